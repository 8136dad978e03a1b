"""Score predictions against the benchmark: qa (answers), sql (execution accuracy) and claims (verdicts).

The gold data are the published tables benchmark_questions and benchmark_claims; the scoring rules are in
benchmark/README.md. A malformed prediction file is an error naming the line, never a silent zero.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

TASKS = ("qa", "sql", "claims")
VERDICTS = ("supported", "disputed", "refuted", "unverified")
SQL_TIMEOUT_SECONDS = 10.0
UNANSWERABLE = "unanswerable"


class PredictionError(ValueError):
    pass


@dataclass
class Score:
    task: str
    n: int
    score: float
    per_tag: dict[str, float] = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"task": self.task, "n": self.n, "score": self.score, "per_tag": self.per_tag, **self.details,
                "items": self.items}


# ---------------------------------------------------------------- reading predictions

def read_predictions(path: Path, task: str, known_ids: set[str]) -> dict[str, object]:
    key = "claim_id" if task == "claims" else "qid"
    value_field = {"qa": "answer", "sql": "sql", "claims": "verdict"}[task]
    predictions = {}
    text = Path(path).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}: line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PredictionError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise PredictionError(f"{where}: expected a JSON object like {{\"{key}\": ..., \"{value_field}\": ...}}")
        if key not in obj or value_field not in obj:
            raise PredictionError(f"{where}: needs the fields {key!r} and {value_field!r}")
        ident = obj[key]
        if ident not in known_ids:
            raise PredictionError(f"{where}: unknown {key} {ident!r}")
        if ident in predictions:
            raise PredictionError(f"{where}: second prediction for {key} {ident!r}")
        value = obj[value_field]
        if task == "sql" and not isinstance(value, str):
            raise PredictionError(f"{where}: 'sql' must be a string")
        if task == "claims" and value not in VERDICTS:
            raise PredictionError(f"{where}: verdict {value!r} is not one of {', '.join(VERDICTS)}")
        predictions[ident] = value
    return predictions


# ---------------------------------------------------------------- qa

def normalize_text(value) -> str:
    """Unicode NFKC, case folded, underscores as spaces (wire_service = wire service), punctuation other than
    `: . + -` removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", str(value)).casefold().replace("_", " ")
    text = re.sub(r"[^\w\s:.+-]", " ", text)
    return " ".join(text.split()).strip(" .")


MAGNITUDES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6, "b": 1e9, "bn": 1e9,
              "billion": 1e9, "billions": 1e9}
# a number as people write it: hedged ("about", "~"), with separators, a magnitude ("1.3 million", "1.3M"), a
# percent sign or a unit word after it ("25 minutes", "600,000 listeners")
_NUMBER = re.compile(r"^(?:about|approximately|approx\.?|around|roughly|circa|ca\.|some|~)?\s*"
                     r"(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*"
                     r"(?P<mag>k|thousand|m|mn|million|millions|b|bn|billion|billions)?\b\s*"
                     r"(?P<pct>%|percent|per cent)?\s*(?P<unit>[a-z ]*)$")


def _as_numbers(value) -> list[float]:
    """The values an answer can mean: one number, or for a percentage both 67 and 0.67 (the gold may be a share)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float, decimal.Decimal)):
        return [float(value)]
    if not isinstance(value, str):
        return []
    match = _NUMBER.match(unicodedata.normalize("NFKC", value).strip().casefold())
    if not match:
        return []
    number = float(match["num"].replace(",", "")) * MAGNITUDES.get(match["mag"] or "", 1)
    return [number, number / 100] if match["pct"] else [number]


def _as_number(value) -> float | None:
    numbers = _as_numbers(value)
    return numbers[0] if numbers else None


def _as_time(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None  # a time without a zone is not a time


def _as_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = normalize_text(value)
    return {"true": True, "yes": True, "false": False, "no": False}.get(text)


def qa_correct(question: dict, answer) -> bool:
    if not question["answerable"]:
        return answer is None or normalize_text(answer) == UNANSWERABLE
    if answer is None:
        return False
    gold = json.loads(question["gold_answer"])
    kind, tol = question["answer_type"], question["tolerance"]
    if kind == "number":
        return any(abs(got - gold) <= tol * max(1.0, abs(gold)) + 1e-9 for got in _as_numbers(answer))
    if kind == "timestamp":
        got, want = _as_time(answer), dt.datetime.fromisoformat(gold)
        return got is not None and abs((got - want).total_seconds()) <= tol * 60 + 1e-9
    if kind == "boolean":
        return _as_bool(answer) is gold
    if kind == "list":
        if not isinstance(answer, list):
            return False
        got, want = [normalize_text(a) for a in answer], [normalize_text(g) for g in gold]
        return got == want if question["ordered"] else sorted(got) == sorted(want)
    return normalize_text(answer) == normalize_text(gold)


# ---------------------------------------------------------------- sql

def _normalize_cell(value):
    if isinstance(value, decimal.Decimal):  # DECIMAL 1.40 and DOUBLE 1.4 are the same number
        value = float(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, (list, tuple)):
        return tuple(_normalize_cell(v) for v in value)
    return value


# A prediction runs on its own fresh connection (nothing it does can reach the next one or the gold), without the
# benchmark's tables, within these limits; a gold answer is a few rows, so 10,000 is plenty.
SQL_LIMITS = {"timeout_s": SQL_TIMEOUT_SECONDS, "max_rows": 10_000}
HIDDEN_FROM_PREDICTIONS = ("benchmark_questions", "benchmark_claims")


def _rows(data_dir: Path | None, sql: str, hide: tuple[str, ...], limits) -> list[tuple]:
    """The rows of one statement on a fresh read-only connection of its own, without the views in `hide`."""
    from launchbench.sandbox import connect_read_only, fetch

    con = connect_read_only(data_dir, limits=limits, hide=hide)
    try:
        return fetch(con, sql, limits=limits)[1]
    finally:
        con.close()


def sql_limits(timeout_s: float | None = None):
    from launchbench.sandbox import DEFAULT_LIMITS

    return dataclasses.replace(DEFAULT_LIMITS, **{**SQL_LIMITS, **({"timeout_s": timeout_s} if timeout_s else {})})


def _without_null_rows(rows: list[tuple]) -> list[tuple]:
    """A row of NULLs says what no row says (`select max(x)` over nothing): both mean 'no answer'."""
    return [r for r in rows if any(v is not None for v in r)]


def sql_correct(data_dir: Path | None, question: dict, predicted_sql: str,
                gold_rows: list[tuple], limits=None) -> tuple[bool, str | None]:
    try:
        rows = _rows(data_dir, predicted_sql, HIDDEN_FROM_PREDICTIONS, limits or sql_limits())
    except Exception as exc:  # errors, refusals and limits all count as wrong
        return False, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    got = _without_null_rows([tuple(_normalize_cell(v) for v in r) for r in rows])
    want = _without_null_rows([tuple(_normalize_cell(v) for v in r) for r in gold_rows])
    if question["ordered"]:
        return got == want, None
    key = lambda r: tuple((v is None, str(type(v)), str(v)) for v in r)
    return sorted(got, key=key) == sorted(want, key=key), None


# ---------------------------------------------------------------- claims

def macro_f1(gold: list[str], predicted: list[str | None]) -> float:
    labels = sorted(set(gold) | {p for p in predicted if p})
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


# ---------------------------------------------------------------- scoring

def _per_tag(items: list[dict]) -> dict[str, float]:
    tags: dict[str, list[bool]] = {}
    for item in items:
        for tag in item["tags"]:
            tags.setdefault(tag, []).append(item["correct"])
    return {t: sum(v) / len(v) for t, v in sorted(tags.items())}


def bootstrap_ci(correct: list[bool], resamples: int = 2000, seed: int = 20261204) -> tuple[float, float]:
    """95% percentile bootstrap interval of the mean of `correct` (fixed seed: the same file gives the same
    interval). With 90 items it spans about +-10 points, which is why scores should be read with it."""
    import random

    if not correct:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(correct)
    means = sorted(sum(rng.choices(correct, k=n)) / n for _ in range(resamples))
    return (means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1])


def _per_key(items: list[dict], key: str) -> dict[str, float]:
    groups: dict[str, list[bool]] = {}
    for item in items:
        groups.setdefault(item[key], []).append(item["correct"])
    return {k: sum(v) / len(v) for k, v in sorted(groups.items())}


def _check_complete(task: str, missing: list[str]) -> None:
    if missing:
        raise PredictionError(f"--strict: {len(missing)} {'claim' if task == 'claims' else 'question'}(s) have no "
                              f"prediction: {', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}")


def evaluate(task: str, predictions_path: Path, data_dir: Path | None = None, timeout_s: float | None = None,
             strict: bool = False) -> Score:
    """Score one prediction file; `timeout_s` bounds each predicted SQL statement (default SQL_TIMEOUT_SECONDS);
    with `strict`, an id without a prediction is an error instead of a wrong item."""
    from launchbench.sandbox import connect_read_only, fetch

    limits = sql_limits(timeout_s)
    if task not in TASKS:
        raise PredictionError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    con = connect_read_only(data_dir)
    try:
        if task == "claims":
            gold = con.execute("select claim_id, claim_kind, gold_verdict from benchmark_claims "
                               "order by claim_id").fetchall()
            predicted = read_predictions(predictions_path, task, {g[0] for g in gold})
            if strict:
                _check_complete(task, [g[0] for g in gold if g[0] not in predicted])
            items = [{"id": cid, "tags": [kind], "gold": verdict, "predicted": predicted.get(cid),
                      "correct": predicted.get(cid) == verdict} for cid, kind, verdict in gold]
            accuracy = sum(i["correct"] for i in items) / len(items)
            f1 = macro_f1([i["gold"] for i in items], [i["predicted"] for i in items])
            return Score(task, len(items), accuracy, _per_tag(items),
                         {"accuracy": accuracy, "ci95": bootstrap_ci([i["correct"] for i in items]),
                          "macro_f1": f1, "per_gold_verdict": _per_key(items, "gold"),
                          "missing": len(gold) - len(predicted)}, items)
        cur = con.execute("select * from benchmark_questions order by qid")
        names = [d[0] for d in cur.description]
        questions = [dict(zip(names, r)) for r in cur.fetchall()]
        predicted = read_predictions(predictions_path, task, {q["qid"] for q in questions})
        if strict:
            _check_complete(task, [q["qid"] for q in questions if q["qid"] not in predicted])
        items = []
        for q in questions:
            item = {"id": q["qid"], "tags": list(q["tags"]), "answer_type": q["answer_type"],
                    "predicted": predicted.get(q["qid"])}
            if task == "qa":
                item["correct"] = q["qid"] in predicted and qa_correct(q, predicted[q["qid"]])
            else:
                if q["qid"] not in predicted:
                    item["correct"] = False
                else:
                    gold_rows = fetch(con, q["gold_sql"], limits=sql_limits())[1]  # the gold runs on `con`
                    item["correct"], error = sql_correct(data_dir, q, predicted[q["qid"]], gold_rows, limits)
                    if error:
                        item["error"] = error
            items.append(item)
        score = sum(i["correct"] for i in items) / len(items)
        return Score(task, len(items), score, _per_tag(items),
                     {"ci95": bootstrap_ci([i["correct"] for i in items]),
                      "per_answer_type": _per_key(items, "answer_type"),
                      "missing": len(questions) - len(predicted)}, items)
    finally:
        con.close()


def summary(score: Score) -> str:
    low, high = score.details["ci95"]
    lines = [f"task {score.task}: {score.n} items, score {score.score:.3f} (95% bootstrap interval {low:.3f} to "
             f"{high:.3f})"]
    for key in ("accuracy", "macro_f1", "missing"):
        if key in score.details:
            value = score.details[key]
            lines.append(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")
    for key in ("per_answer_type", "per_gold_verdict"):
        if key in score.details:
            lines.append(f"  {key.replace('_', ' ')}:")
            lines += [f"    {name:<22} {value:.3f}" for name, value in score.details[key].items()]
    lines.append("  per tag:")
    lines += [f"    {tag:<22} {value:.3f}" for tag, value in score.per_tag.items()]
    wrong = [i["id"] for i in score.items if not i["correct"]]
    if wrong:
        lines.append(f"  wrong or missing: {', '.join(wrong[:20])}{' ...' if len(wrong) > 20 else ''}")
    return "\n".join(lines)
