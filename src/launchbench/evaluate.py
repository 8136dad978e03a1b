"""Score predictions against the benchmark: qa (answers), sql (execution accuracy) and claims (verdicts and the
evidence cited for them).

The gold data are the published tables benchmark_questions, benchmark_claims and benchmark_evidence; the scoring
rules are in benchmark/README.md. A malformed prediction file is an error naming the line, never a silent zero.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from launchbench.db import dicts
from launchbench.schema import load_schemas

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

def read_predictions(path: Path, task: str, known: dict[str, set[str]]) -> dict[str, object]:
    """{id: prediction} from a JSON Lines file. `known` maps each id to the passage ids it may cite (claims)."""
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
        if not isinstance(ident, str) or ident not in known:
            raise PredictionError(f"{where}: unknown {key} {ident!r} (not in this split and task)")
        if ident in predictions:
            raise PredictionError(f"{where}: second prediction for {key} {ident!r}")
        value = obj[value_field]
        if task == "sql" and not isinstance(value, str):
            raise PredictionError(f"{where}: 'sql' must be a string")
        if task == "claims":
            verdicts = load_schemas()["claims"].column("verdict").enum  # the verdicts vocabulary
            if value not in verdicts:
                raise PredictionError(f"{where}: verdict {value!r} is not one of {', '.join(verdicts)}")
            evidence = obj.get("evidence", [])
            if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
                raise PredictionError(f"{where}: 'evidence' must be a list of passage ids")
            unknown = [e for e in evidence if e not in known[ident]]
            if unknown:
                raise PredictionError(f"{where}: evidence {unknown[0]!r} is not a candidate passage of {ident}")
            value = (value, set(evidence))
        predictions[ident] = value
    return predictions


# ---------------------------------------------------------------- qa: labels

def normalize_text(value) -> str:
    """Unicode NFKC, case folded, underscores as spaces (wire_service = wire service), punctuation other than
    `: . + -` removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", str(value)).casefold().replace("_", " ")
    text = re.sub(r"[^\w\s:.+-]", " ", text)
    return " ".join(text.split()).strip(" .")


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """{normalised name: normalised first name of its group} from benchmark/synonyms.yaml."""
    import yaml

    from launchbench.paths import project_root
    from launchbench.records import _StrictLoader  # no aliases, no duplicate keys

    path = project_root() / "benchmark" / "synonyms.yaml"
    groups = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader) if path.exists() else []
    if not isinstance(groups or [], list) or not all(
            isinstance(g, list) and g and all(isinstance(n, str) for n in g) for g in groups or []):
        raise ValueError(f"{path}: expected a list of groups, each a list of names")
    return {normalize_text(name): normalize_text(group[0]) for group in groups or [] for name in group}


def label(value) -> str:
    """A label as the scorer compares it: normalised, then read as its synonym group's first name."""
    text = normalize_text(value)
    return synonyms().get(text, text)


# ---------------------------------------------------------------- qa: numbers, intervals, times

MAGNITUDES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6, "b": 1e9, "bn": 1e9,
              "billion": 1e9, "billions": 1e9}
_NUM = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MAG = r"k|thousand|m|mn|million|millions|b|bn|billion|billions"
# a number as people write it: hedged ("about", "~"), with separators, a magnitude ("1.3 million", "1.3M"), a
# percent sign or a unit word after it ("25 minutes", "600,000 listeners")
_NUMBER = re.compile(r"^(?:about|approximately|approx\.?|around|roughly|circa|ca\.|some|~)?\s*"
                     rf"(?P<num>{_NUM})\s*(?P<mag>{_MAG})?\b\s*"
                     r"(?P<pct>%|percent|per cent)?\s*(?P<unit>[a-z ]*)$")
# an interval written as text: "1.1 million to 2 million", "between 500,000 and 700,000", "18-40 minutes"
_INTERVAL = re.compile(r"^(?:between\s+|from\s+)?(?P<low>.+?)\s*(?:\bto\b|\band\b|–|—|-(?=\s*[\d~]))\s*(?P<high>.+)$")


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


def _as_interval(value) -> tuple[float, float] | None:
    """[low, high] as a JSON pair of numbers or number strings, or text such as "500,000 to 700,000". A magnitude
    or unit written once at the end applies to both ends ("1.1 to 2 million")."""
    if isinstance(value, list) and len(value) == 2:
        low, high = _as_number(value[0]), _as_number(value[1])
    elif isinstance(value, str):
        match = _INTERVAL.match(unicodedata.normalize("NFKC", value).strip().casefold())
        if not match:
            return None
        low_text, high_text = match["low"].strip(), match["high"].strip()
        low, high = _as_number(low_text), _as_number(high_text)
        tail = re.match(rf"^~?\s*(?P<num>{_NUM})\s*(?P<mag>{_MAG})\b", high_text)
        if low is not None and tail and re.fullmatch(_NUM, low_text) and low <= float(tail["num"].replace(",", "")):
            low *= MAGNITUDES[tail["mag"]]
    else:
        return None
    return None if low is None or high is None or low > high else (low, high)


def interval_overlap(got: tuple[float, float], want: tuple[float, float]) -> float:
    """Intersection over union of two intervals (1.0 for equal ones; a point interval equal to a point is 1.0)."""
    inter = max(0.0, min(got[1], want[1]) - max(got[0], want[0]))
    union = max(got[1], want[1]) - min(got[0], want[0])
    if union == 0:
        return 1.0 if got == want else 0.0
    return inter / union


# the zones people name; an Eastern "EST" in August is read as Eastern local time, which is what people mean
ZONE_NAMES = {"utc": "UTC", "gmt": "UTC", "z": "UTC",
              "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
              "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
              "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
              "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
              "bst": "Europe/London", "cet": "Europe/Berlin", "cest": "Europe/Berlin", "pkt": "Asia/Karachi",
              "ist": "Asia/Kolkata", "eat": "Africa/Nairobi"}
_CLOCK = re.compile(r"^(?:(?P<date>\d{4}-\d{2}-\d{2})[ t])?(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*"
                    r"(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)?\s*(?P<zone>[a-z]+(?:/[a-z_]+)?)?$")


def _zone(name: str | None, local_zone: str | None):
    if name is None:
        return ZoneInfo(local_zone) if local_zone else None
    name = ZONE_NAMES.get(name, name)
    try:
        return ZoneInfo(name if "/" not in name else "/".join(p.capitalize() if p.islower() else p
                                                                for p in name.split("/")))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _as_time(value, local_zone: str | None = None, near: dt.datetime | None = None) -> dt.datetime | None:
    """An ISO 8601 time with an offset; or a clock time ("8:42 p.m. ET", "20:42 CEST", "2024-08-12 20:42 ET")
    with a named zone, or without one in the launch's local zone. A clock time without a date is read on the day
    (the gold's local day, or the day before or after) that puts it nearest the gold time."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else None  # an ISO time without a zone is not a time
    except ValueError:
        pass
    match = _CLOCK.match(unicodedata.normalize("NFKC", text).casefold())
    if not match:
        return None
    hour, minute, second = int(match["h"]), int(match["m"] or 0), int(match["s"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"].startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    zone = _zone(match["zone"], local_zone)
    if zone is None:
        return None
    clock = dt.time(hour, minute, second)
    if match["date"]:
        return dt.datetime.combine(dt.date.fromisoformat(match["date"]), clock, zone)
    if near is None:
        return None
    day = near.astimezone(zone).date()
    candidates = [dt.datetime.combine(day + dt.timedelta(days=d), clock, zone) for d in (-1, 0, 1)]
    return min(candidates, key=lambda c: abs((c - near).total_seconds()))


def _as_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = normalize_text(value)
    return {"true": True, "yes": True, "false": False, "no": False}.get(text)


def qa_correct(question: dict, answer, local_zone: str | None = None) -> bool:
    return qa_judgement(question, answer, local_zone)[0]


def qa_judgement(question: dict, answer, local_zone: str | None = None) -> tuple[bool, dict]:
    """(correct, extras): extras carries the interval overlap for interval answers."""
    if not question["answerable"]:
        return answer is None or normalize_text(answer) == UNANSWERABLE, {}
    if answer is None:
        return False, {}
    gold = json.loads(question["gold_answer"])
    kind, tol = question["answer_type"], question["tolerance"]
    close = lambda got, want: abs(got - want) <= tol * max(1.0, abs(want)) + 1e-9
    if kind == "number":
        return any(close(got, gold) for got in _as_numbers(answer)), {}
    if kind == "interval":
        got = _as_interval(answer)
        if got is None:
            return False, {"overlap": 0.0}
        return close(got[0], gold[0]) and close(got[1], gold[1]), {"overlap": interval_overlap(got, tuple(gold))}
    if kind == "timestamp":
        want = dt.datetime.fromisoformat(gold)
        got = _as_time(answer, local_zone, want)
        return got is not None and abs((got - want).total_seconds()) <= tol * 60 + 1e-9, {}
    if kind == "boolean":
        return _as_bool(answer) is gold, {}
    if kind == "list":
        if not isinstance(answer, list):
            return False, {}
        got, want = [label(a) for a in answer], [label(g) for g in gold]
        return (got == want if question["ordered"] else sorted(got) == sorted(want)), {}
    return label(answer) == label(gold), {}


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


def _hidden() -> tuple[str, ...]:
    from launchbench.benchmark import BENCHMARK_TABLES

    return BENCHMARK_TABLES


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


def same_rows(got_rows: list[tuple], gold_rows: list[tuple], ordered: bool) -> bool:
    got = _without_null_rows([tuple(_normalize_cell(v) for v in r) for r in got_rows])
    want = _without_null_rows([tuple(_normalize_cell(v) for v in r) for r in gold_rows])
    if ordered:
        return got == want
    key = lambda r: tuple((v is None, str(type(v)), str(v)) for v in r)
    return sorted(got, key=key) == sorted(want, key=key)


def sql_correct(data_dir: Path | None, question: dict, predicted_sql: str, gold_rows: list[tuple], limits=None,
                perturbed: tuple[Path, list[tuple]] | None = None) -> tuple[bool, str | None]:
    """Right when the prediction gives the gold rows on the data and, with `perturbed` (folder, gold rows there),
    on the perturbed copy too."""
    checks = [(data_dir, gold_rows)] + ([perturbed] if perturbed else [])
    for i, (folder, want) in enumerate(checks):
        try:
            rows = _rows(folder, predicted_sql, _hidden(), limits or sql_limits())
        except Exception as exc:  # errors, refusals and limits all count as wrong
            return False, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        if not same_rows(rows, want, question["ordered"]):
            return False, "differs from the gold rows on the perturbed copy of the data" if i else None
    return True, None


# ---------------------------------------------------------------- claims

def macro_f1(gold: list[str], predicted: list[str | None]) -> float:
    labels = sorted(set(gold) | {p for p in predicted if p})
    scores = []
    for name in labels:
        tp = sum(g == name and p == name for g, p in zip(gold, predicted))
        fp = sum(g != name and p == name for g, p in zip(gold, predicted))
        fn = sum(g == name and p != name for g, p in zip(gold, predicted))
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
    interval). With 100 items it spans about +-10 points, which is why scores should be read with it."""
    import random

    if not correct:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(correct)
    means = sorted(sum(rng.choices(correct, k=n)) / n for _ in range(resamples))
    return (means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1])


def _per_key(items: list[dict], key: str, value: str = "correct") -> dict[str, float]:
    groups: dict[str, list[bool]] = {}
    for item in items:
        groups.setdefault(item[key], []).append(item[value])
    return {k: sum(v) / len(v) for k, v in sorted(groups.items())}


def _check_complete(task: str, missing: list[str]) -> None:
    if missing:
        raise PredictionError(f"--strict: {len(missing)} {'claim' if task == 'claims' else 'question'}(s) have no "
                              f"prediction: {', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}")


def _versions(data: Path) -> dict[str, str | None]:
    """The dataset and benchmark versions the gold came from, as the Parquet metadata record them."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(data / "benchmark_questions.parquet").metadata or {}
    get = lambda key: meta[key].decode() if key in meta else None
    return {"dataset_version": get(b"launchbench.version"), "benchmark_version": get(b"launchbench.benchmark_version")}


def _score_claims(con, path: Path, split: str | None, strict: bool) -> tuple[list[dict], dict]:
    where = "where split = ?" if split else ""
    gold = dicts(con, f"select claim_id, claim_kind, gold_verdict, split from benchmark_claims {where} "
                               "order by claim_id", [split] if split else [])
    passages: dict[str, dict[str, str]] = {g["claim_id"]: {} for g in gold}
    for claim_id, passage_id, role in con.execute("select claim_id, passage_id, role from benchmark_evidence").fetchall():
        if claim_id in passages:
            passages[claim_id][passage_id] = role
    predicted = read_predictions(path, "claims", {c: set(p) for c, p in passages.items()})
    if strict:
        _check_complete("claims", [g["claim_id"] for g in gold if g["claim_id"] not in predicted])
    items = []
    for g in gold:
        verdict, cited = predicted.get(g["claim_id"], (None, set()))
        deciding = {p for p, role in passages[g["claim_id"]].items() if role == "deciding"}
        correct = verdict == g["gold_verdict"]
        # FEVER's rule: a verdict that needs evidence counts only with some of it cited; unverified needs none
        evidenced = correct and (g["gold_verdict"] == "unverified" or bool(cited & deciding))
        items.append({"id": g["claim_id"], "tags": [g["claim_kind"]], "split": g["split"], "gold": g["gold_verdict"],
                      "predicted": verdict, "evidence": sorted(cited), "correct": correct,
                      "evidence_correct": evidenced})
    accuracy = sum(i["correct"] for i in items) / len(items) if items else 0.0
    details = {"accuracy": accuracy, "ci95": bootstrap_ci([i["correct"] for i in items]),
               "macro_f1": macro_f1([i["gold"] for i in items], [i["predicted"] for i in items]),
               "evidence_score": sum(i["evidence_correct"] for i in items) / len(items) if items else 0.0,
               "per_gold_verdict": _per_key(items, "gold"), "per_split": _per_key(items, "split"),
               "missing": len(gold) - len(predicted)}
    return items, details


def _score_questions(con, task: str, path: Path, data_dir: Path, split: str | None, strict: bool,
                     limits) -> tuple[list[dict], dict]:
    from launchbench.sandbox import fetch

    where = "and split = ?" if split else ""
    questions = dicts(con, "select q.*, l.local_timezone from benchmark_questions q "
                                    "left join launches l using (launch_id) where list_contains(q.tasks, ?) "
                                    f"{where} order by qid", [task] + ([split] if split else []))
    predicted = read_predictions(path, task, {q["qid"]: set() for q in questions})
    if strict:
        _check_complete(task, [q["qid"] for q in questions if q["qid"] not in predicted])
    items = []
    with tempfile.TemporaryDirectory(prefix="launchbench-perturbed-") as tmp:
        perturbed_con = None
        if task == "sql":
            from launchbench.perturb import perturbed_copy
            from launchbench.sandbox import connect_read_only

            perturbed_dir = perturbed_copy(data_dir, Path(tmp), skip=_hidden())
            perturbed_con = connect_read_only(perturbed_dir)
        try:
            for q in questions:
                item = {"id": q["qid"], "tags": list(q["tags"]), "answer_type": q["answer_type"],
                        "difficulty": q["difficulty"], "split": q["split"], "predicted": predicted.get(q["qid"])}
                if q["qid"] not in predicted:
                    item["correct"] = False
                elif task == "qa":
                    item["correct"], extras = qa_judgement(q, predicted[q["qid"]], q["local_timezone"])
                    item.update(extras)
                else:
                    gold_rows = fetch(con, q["gold_sql"], limits=sql_limits())[1]  # the gold runs on `con`
                    perturbed_gold = fetch(perturbed_con, q["gold_sql"], limits=sql_limits())[1]
                    item["correct"], error = sql_correct(data_dir, q, predicted[q["qid"]], gold_rows, limits,
                                                         (perturbed_dir, perturbed_gold))
                    if error:
                        item["error"] = error
                items.append(item)
        finally:
            if perturbed_con is not None:
                perturbed_con.close()
            shutil.rmtree(tmp, ignore_errors=True)
    details = {"ci95": bootstrap_ci([i["correct"] for i in items]),
               "per_answer_type": _per_key(items, "answer_type"), "per_difficulty": _per_key(items, "difficulty"),
               "per_split": _per_key(items, "split"), "missing": len(questions) - len(predicted)}
    overlaps = [i["overlap"] for i in items if "overlap" in i]
    if overlaps:
        details["interval_overlap"] = sum(overlaps) / len(overlaps)
    return items, details


def evaluate(task: str, predictions_path: Path, data_dir: Path | None = None, timeout_s: float | None = None,
             strict: bool = False, split: str | None = None) -> Score:
    """Score one prediction file on `split` (dev, test, or both when None); `timeout_s` bounds each predicted SQL
    statement (default SQL_TIMEOUT_SECONDS); with `strict`, an id without a prediction is an error instead of a
    wrong item."""
    from launchbench.benchmark import choice_problem
    from launchbench.paths import data_dir_for
    from launchbench.sandbox import connect_read_only

    problem = choice_problem(task, split)
    if problem:
        raise PredictionError(problem)
    data = Path(data_dir) if data_dir else data_dir_for(None)
    con = connect_read_only(data)
    try:
        if task == "claims":
            items, details = _score_claims(con, predictions_path, split, strict)
        else:
            items, details = _score_questions(con, task, predictions_path, data, split, strict,
                                              sql_limits(timeout_s))
    finally:
        con.close()
    score = sum(i["correct"] for i in items) / len(items) if items else 0.0
    return Score(task, len(items), score, _per_tag(items),
                 {"split": split or "all", **_versions(data), **details}, items)


def summary(score: Score) -> str:
    low, high = score.details["ci95"]
    d = score.details
    lines = [f"task {score.task}, split {d['split']} (dataset {d.get('dataset_version')}, benchmark "
             f"{d.get('benchmark_version')}): {score.n} items, score {score.score:.3f} (95% bootstrap interval "
             f"{low:.3f} to {high:.3f})"]
    for key in ("accuracy", "macro_f1", "evidence_score", "interval_overlap", "missing"):
        if key in d:
            value = d[key]
            lines.append(f"  {key.replace('_', ' ')}: {value:.3f}" if isinstance(value, float)
                         else f"  {key.replace('_', ' ')}: {value}")
    for key in ("per_split", "per_difficulty", "per_answer_type", "per_gold_verdict"):
        if key in d:
            lines.append(f"  {key.replace('_', ' ')}:")
            lines += [f"    {name:<22} {value:.3f}" for name, value in d[key].items()]
    lines.append("  per tag:")
    lines += [f"    {tag:<22} {value:.3f}" for tag, value in score.per_tag.items()]
    wrong = [i["id"] for i in score.items if not i["correct"]]
    if wrong:
        lines.append(f"  wrong or missing: {', '.join(wrong[:20])}{' ...' if len(wrong) > 20 else ''}")
    return "\n".join(lines)
