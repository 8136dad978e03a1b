"""`launchbench export`: what a system under test may see, and nothing else.

For a task (and a split) it writes `inputs.jsonl` (the items without gold answers, gold SQL, verdicts, evidence
roles or answerability) and `data/`, the Parquet a system may read: every table but the benchmark's own, and for
the claims task also without the columns and tables that give verdicts away. The gold stays in the published
benchmark tables, which only the scorer reads.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from launchbench.benchmark import BENCHMARK_TABLES, choice_problem
from launchbench.paths import data_dir_for

# what each task's input items carry (the rest of a benchmark row is gold, or says how it is scored)
INPUT_FIELDS = {"qa": ("qid", "question", "answer_type"), "sql": ("qid", "question"),
                "claims": ("claim_id", "launch_id", "claim_kind", "statement", "context")}
# what a system sees of each candidate passage (not its evidence_id, which names its claim, nor its role)
PASSAGE_FIELDS = ("passage_id", "quote", "publisher", "url", "asserted_by")
# what the claims task may not read: the verdicts, the notes that explain them, and the evidence stances
HIDDEN_FOR_CLAIMS = {"claims": ("verdict", "verdict_note", "evidence_source_ids"),
                     "launch_metrics": ("claimed_cause_verdict",), "claim_evidence": None}  # None: the whole table


def input_rows(task: str, data: Path, split: str | None = None) -> list[dict]:
    """The items of `task` (and `split`) as a system sees them."""
    source = "benchmark_claims" if task == "claims" else "benchmark_questions"
    table = pq.read_table(data / f"{source}.parquet")
    if split:
        table = table.filter(pc.equal(table.column("split"), split))
    if task != "claims":
        table = table.filter([task in tasks for tasks in table.column("tasks").to_pylist()])
    rows = table.select(list(INPUT_FIELDS[task])).to_pylist()
    if task == "claims":
        passages: dict[str, list[dict]] = {}
        evidence = pq.read_table(data / "benchmark_evidence.parquet").sort_by([("claim_id", "ascending"),
                                                                              ("position", "ascending")])
        for row in evidence.to_pylist():
            passages.setdefault(row["claim_id"], []).append({k: row[k] for k in PASSAGE_FIELDS})
        for row in rows:
            row["candidates"] = passages.get(row["claim_id"], [])
    return rows


def export(task: str, out: Path, data_dir: Path | None = None, version: str | None = None,
           split: str | None = None) -> dict[str, int]:
    """Write `out`/inputs.jsonl and `out`/data/ for `task`; returns the number of items and tables written.
    Written into a temporary folder beside `out` and moved in at the end, so a failure leaves nothing."""
    problem = choice_problem(task, split)
    if problem:
        raise ValueError(problem)
    data = Path(data_dir) if data_dir else data_dir_for(version)
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} exists and is not empty; export writes into a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".export-{task}-", dir=out.parent))
    try:
        rows = input_rows(task, data, split)
        (staging / "inputs.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                              encoding="utf-8")
        (staging / "data").mkdir()
        tables = 0
        for path in sorted(data.glob("*.parquet")):
            if path.stem in BENCHMARK_TABLES:
                continue
            hidden = HIDDEN_FOR_CLAIMS.get(path.stem, ()) if task == "claims" else ()
            if hidden is None:
                continue
            table = pq.read_table(path)
            pq.write_table(table.drop_columns([c for c in hidden if c in table.column_names]),
                           staging / "data" / path.name, compression="zstd")
            tables += 1
        from launchbench.card import metadata

        fields = ", ".join(INPUT_FIELDS[task]) + (", candidates (passage_id, quote, publisher, url, asserted_by)"
                                                  if task == "claims" else "")
        (staging / "README.md").write_text(
            f"# LaunchBench {task} task, {split or 'dev and test'}: inputs\n\n> {metadata()['canary']}\n\n"
            f"`inputs.jsonl` holds {len(rows)} items ({fields}). `data/` holds the tables a system may "
            "read; the benchmark's own tables are left out"
            + (", and so are the verdicts, their notes and the evidence stances" if task == "claims" else "")
            + ". Score predictions with `launchbench eval --task " + task + (f" --split {split}" if split else "")
            + " predictions.jsonl`.\n", encoding="utf-8")
        if out.exists():
            out.rmdir()
        staging.rename(out)
        return {"items": len(rows), "tables": tables}
    finally:
        shutil.rmtree(staging, ignore_errors=True)
