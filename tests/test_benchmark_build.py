"""The benchmark definitions: templates become one question per launch, answers come from the data, and a bad
definition stops the build with a message naming the file and the item, writing nothing."""
import pytest

from conftest import FIXTURE_LAUNCH
from launchbench import connect
from launchbench.cli import main

LAUNCH = FIXTURE_LAUNCH.split("/")[1].removesuffix(".yaml")


def _rows(folder, sql):
    con = connect(folder)
    cur = con.execute(sql)
    return [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()]


def test_templates_questions_and_claims_from_the_fixture(records, tmp_path):
    out = tmp_path / "data"
    assert main(["build", "--records", str(records), "--out", str(out)]) == 0
    questions = {q["template"]: q for q in _rows(out, "select * from benchmark_questions")}
    # the waitlist template has no answer for the launch and is skipped; "end" is kept as unanswerable
    assert set(questions) == {"delay", "end", "launch-count"}
    assert questions["delay"]["gold_answer"] == "20" and questions["delay"]["launch_id"] == LAUNCH
    assert "“Candidate A launches on Demo Audio” (24 May 2023)" in questions["delay"]["question"]
    assert questions["end"]["answerable"] is False and questions["end"]["gold_answer"] is None
    assert questions["launch-count"]["tasks"] == ["sql"] and questions["launch-count"]["launch_id"] is None
    assert all(len(q["qid"]) == 7 and q["qid"][0] == "q" for q in questions.values())
    claims = _rows(out, "select * from benchmark_claims")
    assert claims and {c["split"] for c in claims} == {"test"}
    evidence = _rows(out, "select * from benchmark_evidence order by claim_id, position")
    assert {e["claim_id"] for e in evidence} == {c["claim_id"] for c in claims}
    assert {e["role"] for e in evidence} >= {"distractor"}


def test_a_template_skips_the_launches_review_excluded(records, tmp_path):
    path = records / "benchmark" / "questions.yaml"
    path.write_text(path.read_text().replace("    tags: [delay]\n", f"    tags: [delay]\n    skip_launches: [{LAUNCH}]\n"))
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "data")]) == 0
    assert "delay" not in {q["template"] for q in _rows(tmp_path / "data", "select template from benchmark_questions")}


BAD = [
    ("    tags: [delay]\n", "    tags: [delay]\n    colour: red\n", "templates[0] (delay): unknown field(s) colour"),
    ("answer_type: number\n    tolerance: 0\n    difficulty: lookup\n    tags: [delay]",
     "answer_type: prose\n    tolerance: 0\n    difficulty: lookup\n    tags: [delay]",
     "templates[0] (delay): answer_type 'prose' is not one of"),
    ("difficulty: lookup\n    tags: [delay]", "difficulty: easy\n    tags: [delay]", "difficulty 'easy' is not one of"),
    ("  - key: end\n", "  - key: delay\n", "templates[1] (delay): duplicate key"),
    ("select delay_minutes from launch_metrics", "select delay_minutes from no_such_table",
     f"delay for {LAUNCH}: gold_sql failed"),
    ("select delay_minutes from launch_metrics where launch_id = '{launch_id}'", "drop table launches",
     "delay for"),
    ("    tasks: [sql]\n", "    tasks: [sql]\n    answerable: false\n", "launch-count: marked unanswerable but"),
    ("    tasks: [sql]\n", "    tasks: [essay]\n", "tasks must be a non-empty subset of qa, sql"),
    ("    answer_type: number\n    difficulty: aggregate",
     "    answer_type: number\n    ordered: true\n    difficulty: aggregate", "ordered applies to list answers only"),
    ("questions:\n  - key: launch-count", "questions:\n  - &q {key: x}\n  - *q\n  - key: launch-count", "aliases"),
]


@pytest.mark.parametrize("old,new,words", BAD, ids=[b[2][:40] for b in BAD])
def test_a_bad_definition_stops_the_build(old, new, words, records, tmp_path, capsys):
    path = records / "benchmark" / "questions.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    out = tmp_path / "data"
    assert main(["build", "--records", str(records), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "nothing written" in err and words in err and "Traceback" not in err
    assert not out.exists() or not any(out.glob("*.parquet"))


def test_a_launch_with_claims_needs_a_claims_split(records, tmp_path, capsys):
    (records / "benchmark" / "benchmark.yaml").write_text("version: 0.1.0\nclaims_test_launches: []\n"
                                                          "claims_dev_launches: [some-other-launch]\n")
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "data")]) == 1
    assert f"neither claims_test_launches nor claims_dev_launches: {LAUNCH}" in capsys.readouterr().err


def test_published_questions_keep_their_split():
    """Growing the benchmark never moves a published item between dev and test (a dev gold read by a model
    builder must not turn up in test)."""
    import pyarrow.parquet as pq

    from launchbench.benchmark import _assign_splits
    from launchbench.paths import data_dir, released_versions, releases_dir

    latest = releases_dir() / released_versions()[-1] / "benchmark_questions.parquet"
    published = {r["qid"]: r["split"] for r in pq.read_table(latest, columns=["qid", "split"]).to_pylist()}
    now = {r["qid"]: r["split"] for r in pq.read_table(data_dir() / "benchmark_questions.parquet").to_pylist()}
    assert published and all(now[q] == s for q, s in published.items() if q in now)
    # and the rule itself: the stratum's share is kept whole; new items make up what the published ones leave short
    rows = [{"qid": f"q{i:06x}", "difficulty": "lookup", "answer_type": "number"} for i in range(14)]
    _assign_splits(rows, 0.4, {r["qid"]: "test" for r in rows[:4]})
    assert [r["split"] for r in rows[:4]] == ["test"] * 4
    assert sum(r["split"] == "test" for r in rows[4:]) == 1  # 14 x 0.4 = 5 places, 4 taken
    _assign_splits(rows, 0.4, {r["qid"]: "dev" for r in rows[:4]})
    assert sum(r["split"] == "test" for r in rows[4:]) == 5
