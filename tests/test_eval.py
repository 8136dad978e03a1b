"""The benchmark scorer: gold scores 1.0, known mistakes score what we compute by hand, bad files fail clearly."""
import json

import pytest

from conftest import ROOT
from launchbench import connect
from launchbench.cli import main
from launchbench.evaluate import evaluate, macro_f1


@pytest.fixture(scope="module")
def gold():
    con = connect()
    questions = [dict(zip([d[0] for d in con.description], r)) for r in
                 [*con.execute("select * from benchmark_questions order by qid").fetchall()]]
    claims = con.execute("select claim_id, gold_verdict, claim_kind from benchmark_claims order by claim_id").fetchall()
    return questions, claims


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def gold_qa(questions):
    return [{"qid": q["qid"], "answer": json.loads(q["gold_answer"]) if q["gold_answer"] else None} for q in questions]


def test_benchmark_size_and_shape(gold):
    questions, claims = gold
    assert len(questions) >= 40
    assert sum(not q["answerable"] for q in questions) >= 5
    tags = {t for q in questions for t in q["tags"]}
    assert {"delay", "audience", "claims", "sources", "cross-launch", "timeline"} <= tags
    assert len(claims) >= 10


@pytest.mark.parametrize("task", ["qa", "sql", "claims"])
def test_gold_predictions_score_one(task, gold, tmp_path):
    questions, claims = gold
    rows = {"qa": gold_qa(questions),
            "sql": [{"qid": q["qid"], "sql": q["gold_sql"]} for q in questions],
            "claims": [{"claim_id": c, "verdict": v} for c, v, _ in claims]}[task]
    score = evaluate(task, write(tmp_path / "p.jsonl", rows))
    assert score.score == 1.0 and score.n == len(rows)
    assert all(v == 1.0 for v in score.per_tag.values())


def test_qa_known_mistakes_score_exactly(gold, tmp_path):
    questions, _ = gold
    preds = {p["qid"]: p for p in gold_qa(questions)}
    by_id = {q["qid"]: q for q in questions}
    numeric = [q for q in questions if q["answer_type"] == "number" and q["answerable"] and q["tolerance"] == 0][:3]
    for q in numeric:  # off by one: wrong under zero tolerance
        preds[q["qid"]]["answer"] = json.loads(q["gold_answer"]) + 1
    tolerant = next(q for q in questions if q["answer_type"] == "number" and q["tolerance"] >= 0.05)
    gold_value = json.loads(tolerant["gold_answer"])
    preds[tolerant["qid"]]["answer"] = gold_value * (1 + tolerant["tolerance"] / 2)  # inside tolerance: right
    unanswerable = next(q for q in questions if not q["answerable"])
    preds[unanswerable["qid"]]["answer"] = 42  # an answer to an unanswerable question: wrong
    text_q = next(q for q in questions if q["answer_type"] == "string")
    preds[text_q["qid"]]["answer"] = "  " + json.loads(text_q["gold_answer"]).upper() + " "  # normalised: right
    missing = next(q for q in questions if q["answer_type"] == "list")
    del preds[missing["qid"]]  # missing: wrong
    score = evaluate("qa", write(tmp_path / "p.jsonl", list(preds.values())))
    wrong = 3 + 1 + 1
    assert score.score == pytest.approx((len(questions) - wrong) / len(questions))
    assert {i["id"] for i in score.items if not i["correct"]} == \
        {q["qid"] for q in numeric} | {unanswerable["qid"], missing["qid"]}
    delay_items = [q for q in questions if "delay" in q["tags"]]
    delay_wrong = sum(1 for q in delay_items if q["qid"] in {x["qid"] for x in numeric} | {missing["qid"]})
    assert score.per_tag["delay"] == pytest.approx((len(delay_items) - delay_wrong) / len(delay_items))
    assert by_id


def test_sql_task_counts_errors_and_refusals_as_wrong(gold, tmp_path):
    questions, _ = gold
    preds = [{"qid": q["qid"], "sql": q["gold_sql"]} for q in questions]
    preds[0]["sql"] = "select * from no_such_table"
    preds[1]["sql"] = "copy launches to '/tmp/x.csv'"
    preds[2]["sql"] = "select * from read_csv('/etc/passwd')"
    preds[3]["sql"] = preds[3]["sql"] + " union all select 1"  # an extra row: the bags differ
    score = evaluate("sql", write(tmp_path / "p.jsonl", preds))
    assert score.score == pytest.approx((len(questions) - 4) / len(questions))
    errors = {i["id"]: i.get("error", "") for i in score.items if not i["correct"]}
    assert "Refused" in errors[questions[1]["qid"]] and "Refused" in errors[questions[2]["qid"]]


def test_sql_task_ignores_row_order_unless_gold_orders(gold, tmp_path):
    questions, _ = gold
    unordered = next(q for q in questions if not q["ordered"] and q["answer_type"] == "list")
    ordered = next(q for q in questions if q["ordered"] and q["answer_type"] == "list"
                   and len(json.loads(q["gold_answer"])) > 1)
    preds = [{"qid": q["qid"], "sql": q["gold_sql"]} for q in questions]
    for p in preds:
        if p["qid"] in (unordered["qid"], ordered["qid"]):
            p["sql"] = f"select * from ({p['sql']}) order by 1 desc"
    score = evaluate("sql", write(tmp_path / "p.jsonl", preds))
    wrong = {i["id"] for i in score.items if not i["correct"]}
    assert unordered["qid"] not in wrong and ordered["qid"] in wrong


def test_claims_accuracy_and_macro_f1_by_hand(gold, tmp_path):
    _, claims = gold
    preds = [{"claim_id": c, "verdict": v} for c, v, _ in claims]
    flipped = [p for p in preds if p["verdict"] == "disputed"][:2]
    for p in flipped:
        p["verdict"] = "refuted"
    score = evaluate("claims", write(tmp_path / "p.jsonl", preds))
    assert score.details["accuracy"] == pytest.approx((len(claims) - 2) / len(claims))
    gold_v = [v for _, v, _ in claims]
    pred_v = [p["verdict"] for p in preds]
    by_hand = []
    for label in sorted(set(gold_v) | set(pred_v)):
        tp = sum(g == p == label for g, p in zip(gold_v, pred_v))
        fp = sum(p == label and g != label for g, p in zip(gold_v, pred_v))
        fn = sum(g == label and p != label for g, p in zip(gold_v, pred_v))
        by_hand.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    assert score.details["macro_f1"] == pytest.approx(sum(by_hand) / len(by_hand))
    assert macro_f1(["a", "b"], ["a", "a"]) == pytest.approx((2 / 3 + 0) / 2)


@pytest.mark.parametrize("content, words", [
    ('{"qid": "q001", "answer": 1}\n{"qid": "q002"', "line 2: not valid JSON"),
    ('{"qid": "q001"}\n', "line 1: needs the fields 'qid' and 'answer'"),
    ('{"qid": "zzz", "answer": 1}\n', "line 1: unknown qid 'zzz'"),
    ('{"qid": "q001", "answer": 1}\n{"qid": "q001", "answer": 2}\n', "line 2: second prediction"),
    ('[1, 2]\n', "line 1: expected a JSON object"),
])
def test_malformed_predictions_fail_with_the_line(content, words, tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    assert main(["eval", "--task", "qa", str(path)]) == 1
    assert words in capsys.readouterr().err


def test_bad_verdict_is_refused(gold, tmp_path, capsys):
    _, claims = gold
    path = write(tmp_path / "bad.jsonl", [{"claim_id": claims[0][0], "verdict": "true"}])
    assert main(["eval", "--task", "claims", str(path)]) == 1
    assert "line 1: verdict 'true' is not one of" in capsys.readouterr().err


def test_json_report(gold, tmp_path):
    _, claims = gold
    path = write(tmp_path / "p.jsonl", [{"claim_id": c, "verdict": "disputed"} for c, _, _ in claims])
    out = tmp_path / "score.json"
    assert main(["eval", "--task", "claims", str(path), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["task"] == "claims" and report["n"] == len(claims) and 0 <= report["score"] <= 1
    assert report["per_tag"]


def _number_question(gold_value, tolerance=0.0):
    return {"answerable": True, "gold_answer": json.dumps(gold_value), "answer_type": "number",
            "tolerance": tolerance, "ordered": False}


@pytest.mark.parametrize("answer,gold_value,right", [
    ("1.3 million", 1_300_000, True), ("1,300,000", 1_300_000, True), ("about 1.3M", 1_300_000, True),
    ("~1.3 mn listeners", 1_300_000, True), ("25 minutes", 25, True), ("67%", 0.67, True), ("67%", 67, True),
    ("1.2bn", 1_200_000_000, True), (1300000, 1_300_000, True),
    ("more than 1.3 million", 1_300_000, False),  # a bound is not the figure
    ("1.3 million", 130_000, False), ("13", 1_300_000, False), ("many", 1_300_000, False),
])
def test_numbers_are_read_as_people_write_them(answer, gold_value, right):
    from launchbench.evaluate import qa_correct

    assert qa_correct(_number_question(gold_value), answer) is right


def test_labels_ignore_case_spaces_and_underscores():
    from launchbench.evaluate import qa_correct

    q = {"answerable": True, "gold_answer": json.dumps("wire_service"), "answer_type": "string", "tolerance": 0,
         "ordered": False}
    assert qa_correct(q, "Wire service") and qa_correct(q, "  wire_service ") and not qa_correct(q, "news outlet")


def test_sql_decimal_equals_float_and_a_null_row_equals_no_row():
    from launchbench.evaluate import sql_correct

    unordered = {"ordered": False}
    assert sql_correct(None, unordered, "select 1.40::decimal(3, 2)", [(1.4,)]) == (True, None)
    assert sql_correct(None, unordered, "select max(value_num) from observations where false", []) == (True, None)
    assert sql_correct(None, unordered, "select 25", [(24,)])[0] is False


def test_scores_come_with_an_interval_and_breakdowns(gold, tmp_path):
    questions, _ = gold
    answers = gold_qa(questions)
    answers[0]["answer"] = "certainly wrong"
    out = tmp_path / "score.json"
    assert main(["eval", "--task", "qa", str(write(tmp_path / "p.jsonl", answers)), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    low, high = report["ci95"]
    assert low < report["score"] <= high <= 1.0 and high - low < 0.2
    assert set(report["per_answer_type"]) == {q["answer_type"] for q in questions}
    assert min(report["per_answer_type"].values()) < 1.0


def test_strict_refuses_missing_predictions(gold, tmp_path, capsys):
    questions, _ = gold
    path = write(tmp_path / "p.jsonl", gold_qa(questions)[1:])
    assert main(["eval", "--task", "qa", str(path)]) == 0
    assert main(["eval", "--task", "qa", str(path), "--strict"]) == 1
    assert f"--strict: 1 question(s) have no prediction: {questions[0]['qid']}" in capsys.readouterr().err


@pytest.mark.parametrize("task", ["qa", "sql", "claims"])
def test_export_gives_a_system_only_its_inputs(task, tmp_path):
    import pyarrow.parquet as pq

    from launchbench.db import connect as connect_to

    out = tmp_path / "inputs"
    assert main(["export", "--task", task, "--out", str(out)]) == 0
    items = [json.loads(line) for line in (out / "inputs.jsonl").read_text().splitlines()]
    gold_table = "benchmark_claims" if task == "claims" else "benchmark_questions"
    assert len(items) == pq.read_metadata(ROOT / "dataset" / "data" / f"{gold_table}.parquet").num_rows
    forbidden = {"gold_answer", "gold_sql", "gold_verdict", "answerable", "verdict", "tolerance"}
    assert not forbidden & {k for item in items for k in item}
    tables = {p.stem for p in (out / "data").glob("*.parquet")}
    assert "benchmark_questions" not in tables and "benchmark_claims" not in tables and "observations" in tables
    if task == "claims":  # no verdict, note or evidence stance anywhere a system could read it
        assert "claim_evidence" not in tables
        columns = {c for p in (out / "data").glob("*.parquet") for c in pq.read_schema(p).names}
        assert not {"verdict", "verdict_note", "claimed_cause_verdict", "evidence_source_ids"} & columns
    con = connect_to(out / "data")  # and the data stay usable with the library
    assert con.execute("select count(*) from launches").fetchone()[0] >= 2
    assert "canary GUID" in (out / "README.md").read_text()
    assert main(["export", "--task", task, "--out", str(out)]) == 1  # never over an existing export
