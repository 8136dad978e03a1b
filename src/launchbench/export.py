"""`launchbench export`: what a system under test may see, and nothing else.

For a task it writes `inputs.jsonl` (the items without gold answers, gold SQL, verdicts or answerability) and
`data/`, the Parquet a system may read: every table but the benchmark's own, and for the claims task also without
the columns and tables that give verdicts away. The gold stays in the published benchmark tables, which only the
scorer reads.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

from launchbench.paths import data_dir_for

TASKS = ("qa", "sql", "claims")
BENCHMARK_TABLES = ("benchmark_questions", "benchmark_claims")
# what each task's input items carry (the rest of a benchmark row is gold, or says how it is scored)
INPUT_FIELDS = {"qa": ("qid", "question", "answer_type"), "sql": ("qid", "question"),
                "claims": ("claim_id", "launch_id", "claim_kind", "statement", "context")}
# what the claims task may not read: the verdicts, the notes that explain them, and the evidence stances
HIDDEN_FOR_CLAIMS = {"claims": ("verdict", "verdict_note", "evidence_source_ids"),
                     "launch_metrics": ("claimed_cause_verdict",), "claim_evidence": None}  # None: the whole table


def export(task: str, out: Path, data_dir: Path | None = None, version: str | None = None) -> dict[str, int]:
    """Write `out`/inputs.jsonl and `out`/data/ for `task`; returns the number of items and tables written.
    Written into a temporary folder beside `out` and moved in at the end, so a failure leaves nothing."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    data = Path(data_dir) if data_dir else data_dir_for(version)
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} exists and is not empty; export writes into a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".export-{task}-", dir=out.parent))
    try:
        source = "benchmark_claims" if task == "claims" else "benchmark_questions"
        fields = INPUT_FIELDS[task]
        rows = pq.read_table(data / f"{source}.parquet", columns=list(fields)).to_pylist()
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

        (staging / "README.md").write_text(
            f"# LaunchBench {task} task: inputs\n\n> {metadata()['canary']}\n\n"
            f"`inputs.jsonl` holds {len(rows)} items ({', '.join(fields)}). `data/` holds the tables a system may "
            "read; the benchmark's own tables are left out"
            + (", and so are the verdicts, their notes and the evidence stances" if task == "claims" else "")
            + ". Score predictions with `launchbench eval --task " + task + " predictions.jsonl`.\n",
            encoding="utf-8")
        if out.exists():
            out.rmdir()
        staging.rename(out)
        return {"items": len(rows), "tables": tables}
    finally:
        shutil.rmtree(staging, ignore_errors=True)
