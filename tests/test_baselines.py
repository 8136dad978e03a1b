"""The shipped baselines run on the exported inputs, are scored by the real scorer, and stay far from gold."""
import json

from launchbench.cli import main


def test_baselines_run_and_stay_far_from_gold(tmp_path, capsys):
    out = tmp_path / "baselines.json"
    assert main(["baselines", "--task", "qa", "--task", "claims", "--split", "test", "--json", str(out)]) == 0
    results = {(r["task"], r["baseline"]): r for r in json.loads(out.read_text())}
    assert results[("qa", "null")]["score"] < 0.2  # few unanswerable items: answering null everywhere gets little
    assert all(r["score"] < 0.7 for r in results.values())
    assert {r["split"] for r in results.values()} == {"test"}
    bm25 = results[("claims", "bm25 evidence + kind majority")]
    assert 0 < bm25["evidence_score"] <= bm25["score"]  # it cites passages, and some of them decide
    assert results[("claims", "majority")]["evidence_score"] <= results[("claims", "majority")]["score"]
    assert all(r["benchmark_version"] and r["dataset_version"] for r in results.values())
    assert "| qa | test | keyword lookup |" in capsys.readouterr().out
