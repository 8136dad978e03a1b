"""The benchmark and its scorer: gold scores 1.0, known mistakes score what we compute by hand, the splits and
inputs hide the gold, bad files fail clearly."""
import json
from collections import Counter

import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from launchbench import connect
from launchbench.cli import main
from launchbench.evaluate import evaluate, macro_f1, qa_correct, qa_judgement


def _dicts(con, sql):
    cur = con.execute(sql)
    return [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()]


@pytest.fixture(scope="module")
def gold():
    con = connect()
    questions = _dicts(con, "select q.*, l.local_timezone from benchmark_questions q left join launches l "
                            "using (launch_id) order by qid")
    claims = _dicts(con, "select * from benchmark_claims order by claim_id")
    evidence = _dicts(con, "select * from benchmark_evidence order by claim_id, position")
    return questions, claims, evidence


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def gold_qa(questions):
    return [{"qid": q["qid"], "answer": json.loads(q["gold_answer"]) if q["gold_answer"] else None}
            for q in questions if "qa" in q["tasks"]]


def gold_claims(claims, evidence):
    deciding = {}
    for e in evidence:
        if e["role"] == "deciding":
            deciding.setdefault(e["claim_id"], []).append(e["passage_id"])
    return [{"claim_id": c["claim_id"], "verdict": c["gold_verdict"], "evidence": deciding.get(c["claim_id"], [])}
            for c in claims]


# ---------------------------------------------------------------- the benchmark's shape

def test_benchmark_size_splits_and_spread(gold):
    questions, claims, _ = gold
    assert len(questions) >= 300
    assert sum(q["split"] == "test" for q in questions) >= 100
    per_launch = Counter(q["launch_id"] for q in questions if q["launch_id"])
    assert max(per_launch.values()) / len(questions) <= 0.15, per_launch.most_common(1)
    assert {q["difficulty"] for q in questions} == {"lookup", "aggregate", "multi_hop", "cross_launch"}
    # stratified: every stratum with five or more items has 25-55% of them in test
    strata = Counter((q["difficulty"], q["answer_type"]) for q in questions)
    for stratum, n in strata.items():
        if n >= 5:
            share = sum(q["split"] == "test" for q in questions if (q["difficulty"], q["answer_type"]) == stratum) / n
            assert 0.25 <= share <= 0.55, (stratum, share)
    # the claims task is split by launch: no launch has claims in both splits
    splits_per_launch = {}
    for c in claims:
        splits_per_launch.setdefault(c["launch_id"], set()).add(c["split"])
    assert all(len(s) == 1 for s in splits_per_launch.values())
    assert 0.25 <= sum(c["split"] == "test" for c in claims) / len(claims) <= 0.5


def test_questions_are_fair_items(gold):
    questions, _, _ = gold
    qa = [q for q in questions if "qa" in q["tasks"]]
    # a trivial "null" baseline must stay low: few questions are unanswerable
    assert 0 < sum(not q["answerable"] for q in qa) / len(qa) < 0.1
    # ids say nothing of answerability, and a question's wording is unique
    assert all(q["qid"][0] == "q" for q in questions)
    assert len({q["question"] for q in questions}) == len(questions)
    # only lists can be ordered, and an ordered list's gold SQL orders it
    for q in questions:
        assert not q["ordered"] or (q["answer_type"] == "list" and "order by" in q["gold_sql"].lower())
    # intervals are [low, high]
    for q in questions:
        if q["answer_type"] == "interval" and q["answerable"]:
            low, high = json.loads(q["gold_answer"])
            assert low <= high
    # the curation counts are in the sql task only
    assert all("qa" not in q["tasks"] for q in questions if q["template"] in ("syndicated-pages", "untitled-pages"))


def test_candidates_mix_own_evidence_and_distractors(gold):
    _, claims, evidence = gold
    by_claim = {}
    for e in evidence:
        by_claim.setdefault(e["claim_id"], []).append(e)
    con = connect()
    deciding = {r[0] for r in con.execute("select evidence_id from deciding_evidence").fetchall()}
    own = {r[0]: r[1] for r in con.execute("select evidence_id, claim_id from claim_evidence").fetchall()}
    for c in claims:
        rows = by_claim[c["claim_id"]]
        assert [r["position"] for r in rows] == list(range(1, len(rows) + 1))
        for r in rows:
            mine = own[r["evidence_id"]] == c["claim_id"]
            assert r["role"] == ("distractor" if not mine else "deciding" if r["evidence_id"] in deciding
                                 else "related")
        has_deciding = any(r["role"] == "deciding" for r in rows)
        assert has_deciding == (c["gold_verdict"] != "unverified")
    assert sum(r["role"] == "distractor" for r in evidence) >= len(claims)


# ---------------------------------------------------------------- gold scores 1.0

@pytest.mark.parametrize("task", ["qa", "claims"])
def test_gold_predictions_score_one(task, gold, tmp_path):
    questions, claims, evidence = gold
    rows = gold_qa(questions) if task == "qa" else gold_claims(claims, evidence)
    score = evaluate(task, write(tmp_path / "p.jsonl", rows))
    assert score.score == 1.0 and score.n == len(rows)
    assert all(v == 1.0 for v in score.per_tag.values())
    if task == "claims":
        assert score.details["evidence_score"] == 1.0


def test_gold_sql_scores_one_and_literals_fail_on_the_perturbed_copy(gold, tmp_path):
    questions, _, _ = gold
    test = [q for q in questions if q["split"] == "test"]
    preds = [{"qid": q["qid"], "sql": q["gold_sql"]} for q in test]
    # a literal that equals the gold on the real data: right there, wrong on the perturbed copy
    literal = [q for q in test if q["template"] in ("peak", "duration", "resolved_delay", "claimed_peak")][:5]
    assert len(literal) >= 3
    for p in preds:
        for q in literal:
            if p["qid"] == q["qid"]:
                p["sql"] = f"select {json.loads(q['gold_answer'])}"
    score = evaluate("sql", write(tmp_path / "p.jsonl", preds), split="test")
    wrong = {i["id"]: i.get("error") for i in score.items if not i["correct"]}
    assert set(wrong) == {q["qid"] for q in literal}
    assert all("perturbed" in e for e in wrong.values())
    assert score.n == len(test) and score.details["split"] == "test"


# ---------------------------------------------------------------- qa

def test_qa_known_mistakes_score_exactly(gold, tmp_path):
    questions, _, _ = gold
    qa = [q for q in questions if "qa" in q["tasks"]]
    preds = {p["qid"]: p for p in gold_qa(questions)}
    numeric = [q for q in qa if q["answer_type"] == "number" and q["answerable"] and q["tolerance"] == 0][:3]
    for q in numeric:  # off by one: wrong under zero tolerance
        preds[q["qid"]]["answer"] = json.loads(q["gold_answer"]) + 1
    tolerant = next(q for q in qa if q["answer_type"] == "number" and q["tolerance"] >= 0.05 and q["answerable"])
    preds[tolerant["qid"]]["answer"] = json.loads(tolerant["gold_answer"]) * (1 + tolerant["tolerance"] / 2)
    unanswerable = next(q for q in qa if not q["answerable"])
    preds[unanswerable["qid"]]["answer"] = 42  # an answer to an unanswerable question: wrong
    text_q = next(q for q in qa if q["answer_type"] == "string" and q["answerable"])
    preds[text_q["qid"]]["answer"] = "  " + json.loads(text_q["gold_answer"]).upper() + " "  # normalised: right
    missing = next(q for q in qa if q["answer_type"] == "list")
    del preds[missing["qid"]]  # missing: wrong
    score = evaluate("qa", write(tmp_path / "p.jsonl", list(preds.values())))
    wrong = {q["qid"] for q in numeric} | {unanswerable["qid"], missing["qid"]}
    assert score.score == pytest.approx((len(qa) - len(wrong)) / len(qa))
    assert {i["id"] for i in score.items if not i["correct"]} == wrong
    delay_items = [q for q in qa if "delay" in q["tags"]]
    delay_wrong = sum(1 for q in delay_items if q["qid"] in wrong)
    assert score.per_tag["delay"] == pytest.approx((len(delay_items) - delay_wrong) / len(delay_items))


def _question(answer_type, gold_value, tolerance=0.0, ordered=False):
    return {"answerable": True, "gold_answer": json.dumps(gold_value), "answer_type": answer_type,
            "tolerance": tolerance, "ordered": ordered}


@pytest.mark.parametrize("answer,gold_value,right", [
    ("1.3 million", 1_300_000, True), ("1,300,000", 1_300_000, True), ("about 1.3M", 1_300_000, True),
    ("~1.3 mn listeners", 1_300_000, True), ("25 minutes", 25, True), ("67%", 0.67, True), ("67%", 67, True),
    ("1.2bn", 1_200_000_000, True), (1300000, 1_300_000, True),
    ("more than 1.3 million", 1_300_000, False),  # a bound is not the figure
    ("1.3 million", 130_000, False), ("13", 1_300_000, False), ("many", 1_300_000, False),
])
def test_numbers_are_read_as_people_write_them(answer, gold_value, right):
    assert qa_correct(_question("number", gold_value), answer) is right


@pytest.mark.parametrize("answer,zone,right", [
    ("2024-08-13T00:41:00+00:00", None, True), ("2024-08-12T20:41:00-04:00", None, True),
    ("8:41 p.m. ET", None, True), ("8:41 pm EDT", None, True), ("20:41 ET", None, True),
    ("2024-08-12 20:41 ET", None, True), ("00:41 UTC", None, True), ("02:41 CEST", None, True),
    ("8:41 p.m.", "America/New_York", True),  # no zone: the launch's local time
    ("8:41 p.m.", None, False),  # no zone and no launch: not a time
    ("2024-08-13T00:41:00", None, False),  # ISO without an offset: not a time
    ("8:41 a.m. ET", None, False), ("9:41 p.m. ET", None, False), ("25:00 ET", None, False), ("soon", None, False),
])
def test_times_with_named_zones_or_the_launch_local_time(answer, zone, right):
    q = _question("timestamp", "2024-08-13T00:41:00+00:00", tolerance=1)
    assert qa_correct(q, answer, zone) is right


@pytest.mark.parametrize("answer,right", [
    ([1_100_000, 2_000_000], True), (["1.1 million", "2 million"], True), ("1.1 to 2 million", True),
    ("between 1,100,000 and 2,000,000", True), ("1.1M-2M", True), ("1,100,000 to 2 million", True),
    ([1_100_000, 1_900_000], False), ([2_000_000, 1_100_000], False), (1_500_000, False), ("1.1 million", False),
])
def test_interval_answers(answer, right):
    assert qa_correct(_question("interval", [1_100_000, 2_000_000], tolerance=0.01), answer) is right


def test_interval_overlap_is_reported():
    q = _question("interval", [100, 200], tolerance=0.01)
    assert qa_judgement(q, [150, 250]) == (False, {"overlap": pytest.approx(50 / 150)})
    assert qa_judgement(q, [100, 200])[1]["overlap"] == 1.0


def test_labels_normalise_and_read_declared_synonyms():
    q = _question("string", "wire_service")
    assert qa_correct(q, "Wire service") and qa_correct(q, "  wire_service ") and not qa_correct(q, "news outlet")
    assert qa_correct(_question("string", "US"), "United States")
    assert qa_correct(_question("list", ["Associated Press", "Reuters"]), ["Reuters", "AP"])
    assert not qa_correct(_question("list", ["Associated Press", "Reuters"]), ["Reuters"])
    ordered = _question("list", ["a", "b"], ordered=True)
    assert qa_correct(ordered, ["a", "b"]) and not qa_correct(ordered, ["b", "a"])


# ---------------------------------------------------------------- sql

def test_sql_task_counts_errors_and_refusals_as_wrong(gold, tmp_path):
    questions, _, _ = gold
    test = [q for q in questions if q["split"] == "test"]
    preds = [{"qid": q["qid"], "sql": q["gold_sql"]} for q in test]
    preds[0]["sql"] = "select * from no_such_table"
    preds[1]["sql"] = "copy launches to '/tmp/x.csv'"
    preds[2]["sql"] = "select * from read_csv('/etc/passwd')"
    preds[3]["sql"] = preds[3]["sql"] + " union all select 1"  # an extra row: the bags differ
    score = evaluate("sql", write(tmp_path / "p.jsonl", preds), split="test")
    assert score.score == pytest.approx((len(test) - 4) / len(test))
    errors = {i["id"]: i.get("error", "") for i in score.items if not i["correct"]}
    assert "Refused" in errors[test[1]["qid"]] and "Refused" in errors[test[2]["qid"]]


def test_sql_decimal_equals_float_and_a_null_row_equals_no_row():
    from launchbench.evaluate import sql_correct

    unordered = {"ordered": False}
    assert sql_correct(None, unordered, "select 1.40::decimal(3, 2)", [(1.4,)]) == (True, None)
    assert sql_correct(None, unordered, "select max(value_num) from observations where false", []) == (True, None)
    assert sql_correct(None, unordered, "select 25", [(24,)])[0] is False
    assert sql_correct(None, {"ordered": True}, "select 2 union all select 1", [(1,), (2,)])[0] is False


# ---------------------------------------------------------------- claims

def test_claims_accuracy_macro_f1_and_evidence_by_hand(gold, tmp_path):
    _, claims, evidence = gold
    preds = gold_claims(claims, evidence)
    flipped = [p for p in preds if p["verdict"] == "disputed"][:2]
    for p in flipped:
        p["verdict"] = "refuted"
    no_evidence = [p for p in preds if p["verdict"] == "refuted" and p not in flipped][:3]
    for p in no_evidence:  # the right verdict without the evidence: right, but not evidence-right
        p["evidence"] = []
    distractors = {e["claim_id"]: e["passage_id"] for e in evidence if e["role"] == "distractor"}
    cites_distractor = [p for p in preds if p["verdict"] == "supported" and p["claim_id"] in distractors][:2]
    for p in cites_distractor:
        p["evidence"] = [distractors[p["claim_id"]]]
    score = evaluate("claims", write(tmp_path / "p.jsonl", preds))
    n = len(claims)
    assert score.details["accuracy"] == pytest.approx((n - 2) / n)
    assert score.details["evidence_score"] == pytest.approx((n - 2 - len(no_evidence) - len(cites_distractor)) / n)
    gold_v = [c["gold_verdict"] for c in claims]
    pred_v = [p["verdict"] for p in preds]
    by_hand = []
    for label in sorted(set(gold_v) | set(pred_v)):
        tp = sum(g == p == label for g, p in zip(gold_v, pred_v))
        fp = sum(p == label and g != label for g, p in zip(gold_v, pred_v))
        fn = sum(g == label and p != label for g, p in zip(gold_v, pred_v))
        by_hand.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    assert score.details["macro_f1"] == pytest.approx(sum(by_hand) / len(by_hand))
    assert macro_f1(["a", "b"], ["a", "a"]) == pytest.approx((2 / 3 + 0) / 2)


def test_a_passage_of_another_claim_is_refused(gold, tmp_path, capsys):
    _, claims, evidence = gold
    other = next(e["passage_id"] for e in evidence if e["claim_id"] != claims[0]["claim_id"])
    path = write(tmp_path / "p.jsonl", [{"claim_id": claims[0]["claim_id"], "verdict": "disputed",
                                         "evidence": [other]}])
    assert main(["eval", "--task", "claims", str(path)]) == 1
    assert f"evidence '{other}' is not a candidate passage" in capsys.readouterr().err


# ---------------------------------------------------------------- splits, files and reports

def test_eval_by_split(gold, tmp_path, capsys):
    questions, claims, evidence = gold
    test_claims = [c for c in claims if c["split"] == "test"]
    rows = [r for r in gold_claims(claims, evidence) if r["claim_id"] in {c["claim_id"] for c in test_claims}]
    score = evaluate("claims", write(tmp_path / "p.jsonl", rows), split="test", strict=True)
    assert score.n == len(test_claims) and score.score == 1.0
    dev_claim = next(c for c in claims if c["split"] == "dev")
    path = write(tmp_path / "d.jsonl", [{"claim_id": dev_claim["claim_id"], "verdict": "disputed"}])
    assert main(["eval", "--task", "claims", "--split", "test", str(path)]) == 1
    assert "not in this split" in capsys.readouterr().err


@pytest.mark.parametrize("content, words", [
    ('{"qid": "QID", "answer": 1}\n{"qid": "QID2"', "line 2: not valid JSON"),
    ('{"qid": "QID"}\n', "line 1: needs the fields 'qid' and 'answer'"),
    ('{"qid": "zzz", "answer": 1}\n', "line 1: unknown qid 'zzz'"),
    ('{"qid": "QID", "answer": 1}\n{"qid": "QID", "answer": 2}\n', "line 2: second prediction"),
    ('[1, 2]\n', "line 1: expected a JSON object"),
])
def test_malformed_predictions_fail_with_the_line(content, words, gold, tmp_path, capsys):
    questions, _, _ = gold
    path = tmp_path / "bad.jsonl"
    path.write_text(content.replace("QID2", questions[1]["qid"]).replace("QID", questions[0]["qid"]))
    assert main(["eval", "--task", "qa", str(path)]) == 1
    assert words in capsys.readouterr().err


def test_bad_verdict_is_refused(gold, tmp_path, capsys):
    _, claims, _ = gold
    path = write(tmp_path / "bad.jsonl", [{"claim_id": claims[0]["claim_id"], "verdict": "true"}])
    assert main(["eval", "--task", "claims", str(path)]) == 1
    assert "line 1: verdict 'true' is not one of" in capsys.readouterr().err


def test_json_report_names_both_versions(gold, tmp_path):
    _, claims, _ = gold
    path = write(tmp_path / "p.jsonl", [{"claim_id": c["claim_id"], "verdict": "disputed"} for c in claims])
    out = tmp_path / "score.json"
    assert main(["eval", "--task", "claims", str(path), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["task"] == "claims" and report["n"] == len(claims) and 0 <= report["score"] <= 1
    assert report["per_tag"] and report["per_split"].keys() == {"dev", "test"}
    import yaml

    assert report["benchmark_version"] == yaml.safe_load((ROOT / "benchmark" / "benchmark.yaml").read_text())["version"]
    assert report["dataset_version"] == yaml.safe_load((ROOT / "dataset" / "metadata.yaml").read_text())["version"]


def test_scores_come_with_an_interval_and_breakdowns(gold, tmp_path):
    questions, _, _ = gold
    answers = gold_qa(questions)
    answers[0]["answer"] = "certainly wrong"
    out = tmp_path / "score.json"
    assert main(["eval", "--task", "qa", str(write(tmp_path / "p.jsonl", answers)), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    low, high = report["ci95"]
    assert low < report["score"] <= high <= 1.0 and high - low < 0.2
    qa = [q for q in questions if "qa" in q["tasks"]]
    assert set(report["per_answer_type"]) == {q["answer_type"] for q in qa}
    assert set(report["per_difficulty"]) == {q["difficulty"] for q in qa}
    assert min(report["per_answer_type"].values()) < 1.0


# ---------------------------------------------------------------- what a system sees

@pytest.mark.parametrize("task", ["qa", "sql", "claims"])
def test_export_shows_inputs_only(task, gold, tmp_path):
    questions, claims, evidence = gold
    out = tmp_path / "inputs"
    assert main(["export", "--task", task, "--split", "test", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in (out / "inputs.jsonl").read_text().splitlines()]
    items = claims if task == "claims" else [q for q in questions if task in q["tasks"]]
    assert len(rows) == sum(i["split"] == "test" for i in items)
    text = (out / "inputs.jsonl").read_text()
    for word in ("gold", "answerable", "verdict", "role", "evidence_id", "deciding", "split"):
        assert f'"{word}' not in text
    if task == "claims":
        assert all(r["candidates"] and set(r["candidates"][0]) == {"passage_id", "quote", "publisher", "url",
                                                                  "asserted_by"} for r in rows)
        assert not (out / "data" / "claim_evidence.parquet").exists()
        assert "verdict" not in pq.read_schema(out / "data" / "claims.parquet").names
    assert not any((out / "data" / f"{t}.parquet").exists()
                   for t in ("benchmark_questions", "benchmark_claims", "benchmark_evidence"))
