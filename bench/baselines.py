"""Baselines for the benchmark, scored by the real scorer (`launchbench eval`), reproducible (no randomness).

    python bench/baselines.py [--json benchmark/baselines.json]

Until the benchmark has dev and test splits (issue 14), the baselines that learn from labels do so leave one
launch out: an item's prediction uses only the other launches' gold. Each baseline sees what `launchbench
export` gives a system (the inputs), plus, for the learned ones, the other launches' labels.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from launchbench.db import connect  # noqa: E402
from launchbench.evaluate import evaluate  # noqa: E402


def _claims_baselines(con) -> dict[str, list[dict]]:
    claims = [dict(zip(("claim_id", "launch_id", "claim_kind", "gold"), r)) for r in con.execute(
        "select claim_id, launch_id, claim_kind, gold_verdict from benchmark_claims order by claim_id").fetchall()]

    def leave_one_launch_out(key):
        out = []
        for c in claims:
            others = [o["gold"] for o in claims if o["launch_id"] != c["launch_id"] and key(o) == key(c)]
            others = others or [o["gold"] for o in claims if o["launch_id"] != c["launch_id"]]
            counts = collections.Counter(others)
            out.append({"claim_id": c["claim_id"], "verdict": max(sorted(counts), key=counts.get)})
        return out
    return {
        "always disputed": [{"claim_id": c["claim_id"], "verdict": "disputed"} for c in claims],
        "majority verdict (other launches)": leave_one_launch_out(lambda c: None),
        "majority verdict per claim kind (other launches)": leave_one_launch_out(lambda c: c["claim_kind"]),
    }


def _qa_baselines(con) -> dict[str, list[dict]]:
    questions = con.execute("select qid, answer_type from benchmark_questions order by qid").fetchall()
    typical = {"number": 1, "boolean": True, "string": "", "list": [], "timestamp": "2024-01-01T00:00:00+00:00"}
    return {
        "null for every question": [{"qid": q, "answer": None} for q, _ in questions],
        "one fixed answer per answer type": [{"qid": q, "answer": typical.get(t)} for q, t in questions],
    }


def _sql_baselines(con) -> dict[str, list[dict]]:
    qids = [q for (q,) in con.execute("select qid from benchmark_questions order by qid").fetchall()]
    return {"select null": [{"qid": q, "sql": "select null"} for q in qids]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    con = connect()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for task, baselines in (("claims", _claims_baselines(con)), ("qa", _qa_baselines(con)),
                                ("sql", _sql_baselines(con))):
            for name, predictions in baselines.items():
                path = Path(tmp) / "p.jsonl"
                path.write_text("".join(json.dumps(p) + "\n" for p in predictions))
                score = evaluate(task, path)
                low, high = score.details["ci95"]
                results.append({"task": task, "baseline": name, "n": score.n, "score": round(score.score, 3),
                                "ci95": [round(low, 3), round(high, 3)],
                                **({"macro_f1": round(score.details["macro_f1"], 3)} if "macro_f1" in score.details
                                   else {})})
    print("| task | baseline | n | score (95% interval) | macro-F1 |")
    print("|---|---|---|---|---|")
    for r in results:
        print(f"| {r['task']} | {r['baseline']} | {r['n']} | {r['score']:.3f} ({r['ci95'][0]:.3f} to "
              f"{r['ci95'][1]:.3f}) | {r.get('macro_f1', '')} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
