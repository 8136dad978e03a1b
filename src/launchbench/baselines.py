"""`launchbench baselines`: simple systems scored by the real scorer, so a model's score has something to beat.

Each baseline sees what `launchbench export` gives a system (the inputs of a split, and the data a system may
read); the learned ones also read the dev split's gold, never test's. Nothing is random, so a run reproduces.
  majority   qa/sql: the commonest dev answer of the same question pattern (the question with its launch masked);
             claims: the commonest dev verdict, overall and per claim kind. Scored on dev, an item learns only
             from other items (questions) or other launches (claims).
  keyword    qa/sql: finds the launch by the words of its title and a launch_metrics column by keywords, and
             answers with that cell (for sql, the query that reads it).
  bm25       qa: the value of the observation whose quoted words best match the question (BM25 over the
             observations' evidence quotes); claims: ranks the candidate passages by BM25 against the claim, cites
             the best two, and says unverified when even the best scores below a threshold tuned on dev, else the
             dev majority verdict of the claim kind.
"""
from __future__ import annotations

import collections
import json
import re
import tempfile
from pathlib import Path

from launchbench.db import dicts
from launchbench.evaluate import evaluate
from launchbench.export import input_rows

_WORD = re.compile(r"[a-z0-9]+")
_LAUNCH_PHRASE = re.compile(r"“[^”]*” \(\d{1,2} \w+ \d{4}\)")
STOPWORDS = set("the a an of on in at by to for and or did does do was is what how which who when with its it "
                "as from that this give their s".split())


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(str(text).casefold()) if w not in STOPWORDS]


def _dev_gold(con, task: str) -> list[dict]:
    if task == "claims":
        sql = "select claim_id, launch_id, claim_kind, gold_verdict from benchmark_claims where split = 'dev'"
    else:
        sql = f"select qid, question, gold_answer, gold_sql from benchmark_questions where split = 'dev' " \
              f"and list_contains(tasks, '{task}')"
    return dicts(con, sql)


def _commonest(values: list):
    counts = collections.Counter(json.dumps(v, sort_keys=True) for v in values)
    return json.loads(max(sorted(counts), key=counts.get)) if counts else None


# ---------------------------------------------------------------- qa and sql

def _pattern(question: str) -> str:
    return _LAUNCH_PHRASE.sub("{launch}", question)


def majority_qa(items, dev, task):
    by_pattern = collections.defaultdict(list)
    for d in dev:
        by_pattern[_pattern(d["question"])].append(d)
    out = []
    for item in items:
        # on dev an item never learns from its own gold (leave one out)
        seen = [d for d in by_pattern.get(_pattern(item["question"]), []) if d["qid"] != item["qid"]]
        if task == "qa":
            answer = _commonest([json.loads(d["gold_answer"]) if d["gold_answer"] else None for d in seen])
            out.append({"qid": item["qid"], "answer": answer})
        else:  # the commonest gold query of the pattern, as written for another launch
            out.append({"qid": item["qid"], "sql": _commonest([d["gold_sql"] for d in seen]) or "select null"})
    return out


# keywords -> launch_metrics column, first match wins
KEYWORDS = [(("range", "delays"), ("delay_minutes_low", "delay_minutes_high")),
            (("range", "audiences"), ("peak_listeners_low", "peak_listeners_high")),
            (("range", "running"), ("duration_minutes_low", "duration_minutes_high")),
            (("scheduled", "time"), ("scheduled_start_utc",)),
            (("interested", "peak"), ("peak_listeners_claimed",)),
            (("minutes", "late"), ("delay_minutes",)), (("scheduled", "start", "minutes"), ("delay_minutes",)),
            (("long", "minutes"), ("duration_minutes",)), (("peak",), ("peak_listeners",)),
            (("verdict",), ("claimed_cause_verdict",)), (("begin",), ("conversation_start_utc",))]


def _keyword_cell(question: str, launches: list[tuple[str, str]]):
    words = set(tokens(question))
    scored = sorted(((len(words & set(tokens(title))), launch_id) for launch_id, title in launches), reverse=True)
    launch_id = scored[0][1] if scored and scored[0][0] >= 3 else None
    columns = next((cols for keys, cols in KEYWORDS if all(k in words for k in keys)), None)
    return launch_id, columns


def keyword_qa(items, con, task):
    launches = con.execute("select launch_id, title from launches").fetchall()
    out = []
    for item in items:
        launch_id, columns = _keyword_cell(item["question"], launches)
        if launch_id is None or columns is None:
            out.append({"qid": item["qid"], **({"answer": None} if task == "qa" else {"sql": "select null"})})
            continue
        sql = f"select {', '.join(columns)} from launch_metrics where launch_id = '{launch_id}'"
        if task == "sql":
            out.append({"qid": item["qid"], "sql": sql})
            continue
        row = con.execute(sql).fetchone()
        values = [v.isoformat() if hasattr(v, "isoformat") else v for v in row]
        out.append({"qid": item["qid"], "answer": values if len(values) == 2 else values[0]})
    return out


def bm25_qa(items, con):
    from rank_bm25 import BM25Okapi

    rows = con.execute("select o.evidence_quote, o.metric, o.reported_by, l.title, o.value_num, o.value_time_utc "
                       "from observations o join launches l using (launch_id) order by o.observation_id").fetchall()
    index = BM25Okapi([tokens(" ".join(str(v) for v in r[:4])) or ["_"] for r in rows])
    out = []
    for item in items:
        scores = index.get_scores(tokens(item["question"]))
        best = rows[max(range(len(rows)), key=lambda i: scores[i])]
        kind = item["answer_type"]
        answer = {"number": best[4], "interval": [best[4], best[4]] if best[4] is not None else None,
                  "timestamp": best[5].isoformat() if best[5] else None}.get(kind)
        out.append({"qid": item["qid"], "answer": answer})
    return out


# ---------------------------------------------------------------- claims

def majority_claims(items, dev, per_kind: bool):
    """On dev a claim learns only from other launches' gold (the split is by launch, so test does the same)."""
    out = []
    for c in items:
        seen = [d for d in dev if d["launch_id"] != c["launch_id"]]
        overall = _commonest([d["gold_verdict"] for d in seen])
        kind = [d["gold_verdict"] for d in seen if d["claim_kind"] == c["claim_kind"]]
        out.append({"claim_id": c["claim_id"], "verdict": (_commonest(kind) or overall) if per_kind else overall})
    return out


def _bm25_ranked(claim: dict) -> list[tuple[float, str]]:
    from rank_bm25 import BM25Okapi

    passages = claim["candidates"]
    if not passages:
        return []
    index = BM25Okapi([tokens(p["quote"]) or ["_"] for p in passages])
    scores = index.get_scores(tokens(claim["statement"]))
    return sorted(((float(s), p["passage_id"]) for s, p in zip(scores, passages)), reverse=True)


def bm25_claims(items, dev_items, dev):
    kinds = majority_claims(items, dev, per_kind=True)
    gold = {d["claim_id"]: d["gold_verdict"] for d in dev}
    dev_best = [(_bm25_ranked(c)[:1] or [(0.0, "")])[0][0] for c in dev_items]
    dev_kind = {p["claim_id"]: p["verdict"] for p in majority_claims(dev_items, dev, per_kind=True)}

    def dev_accuracy(threshold):
        return sum((("unverified" if best < threshold else dev_kind[c["claim_id"]]) == gold[c["claim_id"]])
                   for best, c in zip(dev_best, dev_items))
    threshold = max(sorted(set(dev_best)) + [0.0], key=lambda t: (dev_accuracy(t), -t))
    out = []
    for c, kind in zip(items, kinds):
        ranked = _bm25_ranked(c)
        best = ranked[0][0] if ranked else 0.0
        out.append({"claim_id": c["claim_id"], "verdict": "unverified" if best < threshold else kind["verdict"],
                    "evidence": [pid for _, pid in ranked[:2]]})
    return out


# ---------------------------------------------------------------- running them

def predictions(task: str, split: str, data: Path | None = None) -> dict[str, list[dict]]:
    from launchbench.db import connect
    from launchbench.paths import data_dir_for

    data = Path(data) if data else data_dir_for(None)
    items = input_rows(task, data, split)
    con = connect(data)
    try:
        dev = _dev_gold(con, task)
        if task == "claims":
            dev_items = input_rows("claims", data, "dev")
            return {"majority": majority_claims(items, dev, per_kind=False),
                    "majority per claim kind": majority_claims(items, dev, per_kind=True),
                    "bm25 evidence + kind majority": bm25_claims(items, dev_items, dev)}
        answer = "answer" if task == "qa" else "sql"
        empty = {"qa": None, "sql": "select null"}[task]
        runs = {"null" if task == "qa" else "select null": [{"qid": i["qid"], answer: empty} for i in items],
                "majority per question pattern": majority_qa(items, dev, task),
                "keyword lookup": keyword_qa(items, con, task)}
        if task == "qa":
            runs["bm25 over observations"] = bm25_qa(items, con)
        return runs
    finally:
        con.close()


def run(tasks=("qa", "sql", "claims"), splits=("dev", "test"), data: Path | None = None) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for task in tasks:
            for split in splits:
                for name, rows in predictions(task, split, data).items():
                    path = Path(tmp) / "p.jsonl"
                    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
                    score = evaluate(task, path, data, split=split)
                    d = score.details
                    results.append({"task": task, "split": split, "baseline": name, "n": score.n,
                                    "score": round(score.score, 3), "ci95": [round(x, 3) for x in d["ci95"]],
                                    **{k: round(d[k], 3) for k in ("macro_f1", "evidence_score") if k in d},
                                    "dataset_version": d["dataset_version"],
                                    "benchmark_version": d["benchmark_version"]})
    return results


def table(results: list[dict]) -> str:
    lines = ["| task | split | baseline | n | score (95% interval) | macro-F1 | evidence score |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['task']} | {r['split']} | {r['baseline']} | {r['n']} | {r['score']:.3f} "
                     f"({r['ci95'][0]:.3f} to {r['ci95'][1]:.3f}) | {r.get('macro_f1', '')} | "
                     f"{r.get('evidence_score', '')} |")
    return "\n".join(lines)
