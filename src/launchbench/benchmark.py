"""Build the benchmark tables: questions with gold answers computed from gold SQL, and the claim-verdict task with
its candidate evidence.

Part of the build (after launch_metrics): the gold SQL runs on a read-only connection over the freshly written
Parquet, so a gold answer is always what the data says, never a typed-in value. The definitions are in
benchmark/: questions.yaml (per-launch templates and hand-written questions), benchmark.yaml (version and splits).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
import re
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import yaml

from launchbench.paths import project_root
from launchbench.schema import load_schemas

COMMON_FIELDS = {"key", "question", "gold_sql", "answer_type", "tolerance", "ordered", "difficulty", "tags", "tasks"}
TEMPLATE_FIELDS = COMMON_FIELDS | {"when_no_answer", "skip_launches"}
QUESTION_FIELDS = COMMON_FIELDS | {"launch_id", "answerable"}
REQUIRED_FIELDS = ("key", "question", "gold_sql", "answer_type", "difficulty", "tags")
WHEN_NO_ANSWER = ("skip", "unanswerable")
TASKS = ("qa", "sql", "claims")
QA_TASKS = ("qa", "sql")
CONFIG_FIELDS = {"version", "released", "test_share", "claims_test_launches", "claims_dev_launches", "distractors"}
_LAUNCH_ID = re.compile(r"^[0-9a-z-]+$")  # what a launch id may hold, so it can be put into SQL text as it is

CLAIMS_SQL = """
with final as (
    select c.claim_id, c.launch_id, c.claim_kind, c.statement,
           'Launch: ' || l.title || ' (' || p.name || ', scheduled '
             || coalesce(strftime(l.scheduled_start_utc, '%Y-%m-%d %H:%M') || ' UTC', 'time not recorded')
             || '). Claimant: ' || a.name || ' (' || replace(c.claimant_kind, '_', ' ') || '). Made: '
             || coalesce(strftime(c.made_at_utc, '%Y-%m-%d %H:%M') || ' UTC', 'time not recorded') || '.' as context,
           c.verdict as gold_verdict
    from claims c join launches l using (launch_id) join actors a on a.actor_id = c.claimant_actor_id
    join platforms p on p.platform_id = l.platform_id
)
select * from final order by claim_id
"""
# every evidence row with what a system is shown of it, and whether it decides its own claim's verdict
EVIDENCE_SQL = """
select e.evidence_id, e.claim_id, c.launch_id, e.quote, s.publisher, s.url, e.asserted_by,
       e.evidence_id in (select evidence_id from deciding_evidence) as deciding
from claim_evidence e join claims c using (claim_id) join sources s on s.source_id = e.source_id
order by e.evidence_id
"""


# the benchmark's own tables: gold, so never shown to a system under test (export, the sql task's connection)
BENCHMARK_TABLES = ("benchmark_questions", "benchmark_claims", "benchmark_evidence")


class BenchmarkError(ValueError):
    pass


def choice_problem(task: str, split: str | None) -> str | None:
    """Why `task` and `split` are not a task and a split of the benchmark (the splits are the schema's), or None."""
    splits = load_schemas()["benchmark_questions"].column("split").enum
    if task not in TASKS:
        return f"unknown task {task!r}; expected one of {', '.join(TASKS)}"
    if split is not None and split not in splits:
        return f"unknown split {split!r}; expected one of {', '.join(splits)}"
    return None


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_jsonable(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "is_integer") and value.is_integer():
        return int(value)
    if hasattr(value, "as_integer_ratio") and not isinstance(value, (bool, int)):
        return float(value)  # DECIMAL
    return value


def answer_from_rows(answer_type: str, rows: list[tuple], ordered: bool = False):
    """The gold answer a result set gives, by answer type (None when there is nothing). An unordered list is a set:
    stored sorted, so the same rows in another order give the same gold."""
    if answer_type == "list":
        values = [to_jsonable(r[0]) for r in rows if r[0] is not None]
        return (values if ordered else sorted(values, key=str)) or None
    if not rows or rows[0][0] is None:
        return None
    if answer_type == "interval":  # one row: low, high
        low, high = rows[0][0], rows[0][1] if len(rows[0]) > 1 else None
        return None if high is None else [to_jsonable(low), to_jsonable(high)]
    value = to_jsonable(rows[0][0])
    if answer_type == "boolean":
        return bool(value)
    return str(value) if answer_type in ("string", "timestamp") else value


# ---------------------------------------------------------------- definitions

def _load(path: Path):
    from launchbench.records import _StrictLoader  # no aliases, no duplicate keys

    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BenchmarkError(f"{path}: cannot be read: {exc}".replace("\n", " ")) from exc


def benchmark_dir(records: Path) -> Path | None:
    """benchmark/ for the dataset's own records; other record sets (test fixtures) may carry a benchmark/ folder of
    their own, else they get no questions."""
    if records.resolve() == (project_root() / "dataset" / "records").resolve():
        return project_root() / "benchmark"
    own = records / "benchmark"
    return own if own.is_dir() else None


def load_config(folder: Path | None) -> dict:
    defaults = {"version": "0.0.0", "released": None, "test_share": 0.4, "claims_test_launches": [],
                "claims_dev_launches": [], "distractors": 4}
    path = folder / "benchmark.yaml" if folder else None
    if path is None or not path.exists():
        return defaults
    config = _load(path)
    if not isinstance(config, dict):
        raise BenchmarkError(f"{path}: expected a mapping of settings")
    unknown = set(config) - CONFIG_FIELDS
    if unknown:
        raise BenchmarkError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
    if not 0 < float(config.get("test_share", 0.4)) < 1:
        raise BenchmarkError(f"{path}: test_share must be between 0 and 1")
    return {**defaults, **config}


def benchmark_version(records: Path | None = None) -> str:
    return str(load_config(benchmark_dir(records or project_root() / "dataset" / "records"))["version"])


def _check_item(item, label: str, allowed: set[str], types: tuple, difficulties: tuple) -> dict:
    if not isinstance(item, dict):
        raise BenchmarkError(f"{label}: expected a mapping with {', '.join(REQUIRED_FIELDS)}")
    unknown = set(item) - allowed
    if unknown:
        raise BenchmarkError(f"{label}: unknown field(s) {', '.join(sorted(unknown))}")
    missing = [f for f in REQUIRED_FIELDS if f not in item]
    if missing:
        raise BenchmarkError(f"{label}: missing field(s) {', '.join(missing)}")
    if item["answer_type"] not in types:
        raise BenchmarkError(f"{label}: answer_type {item['answer_type']!r} is not one of {', '.join(types)}")
    if item["difficulty"] not in difficulties:
        raise BenchmarkError(f"{label}: difficulty {item['difficulty']!r} is not one of {', '.join(difficulties)}")
    if item.get("ordered") and item["answer_type"] != "list":
        raise BenchmarkError(f"{label}: ordered applies to list answers only")
    if item.get("ordered") and not re.search(r"\border\s+by\b", item["gold_sql"], re.IGNORECASE):
        raise BenchmarkError(f"{label}: an ordered list needs an ORDER BY in its gold_sql")
    tasks = item.get("tasks", list(QA_TASKS))
    if not tasks or set(tasks) - set(QA_TASKS):
        raise BenchmarkError(f"{label}: tasks must be a non-empty subset of {', '.join(QA_TASKS)}")
    if item.get("when_no_answer", "skip") not in WHEN_NO_ANSWER:
        raise BenchmarkError(f"{label}: when_no_answer must be one of {', '.join(WHEN_NO_ANSWER)}")
    return item


def load_definitions(folder: Path | None) -> tuple[list[dict], list[dict]]:
    """(templates, questions) from `folder`/questions.yaml, each checked; errors name the file and the item."""
    path = folder / "questions.yaml" if folder else None
    if path is None or not path.exists():
        return [], []
    doc = _load(path) or {}
    if not isinstance(doc, dict) or set(doc) - {"templates", "questions"}:
        raise BenchmarkError(f"{path}: expected the sections templates: and questions:")
    table = load_schemas()["benchmark_questions"]
    types, difficulties = tuple(table.column("answer_type").enum), tuple(table.column("difficulty").enum)
    keys: set[str] = set()
    out = []
    for section, allowed in (("templates", TEMPLATE_FIELDS), ("questions", QUESTION_FIELDS)):
        items = []
        for i, item in enumerate(doc.get(section) or []):
            label = f"{path.name}: {section}[{i}] ({item.get('key', '?') if isinstance(item, dict) else '?'})"
            items.append(_check_item(item, label, allowed, types, difficulties))
            if item["key"] in keys:
                raise BenchmarkError(f"{label}: duplicate key")
            keys.add(item["key"])
        out.append(items)
    return out[0], out[1]


# ---------------------------------------------------------------- questions

GOLD_LIMITS_ROWS = 100_000  # a gold answer is a cell or a short list; more rows than this is a broken query


def _launch_phrase(launch_id: str, title: str) -> str:
    day = dt.date.fromisoformat(launch_id[:10])
    title = title.replace('"', "'")  # the title goes inside typographic quotes
    return f"“{title}” ({day.day} {day:%B %Y})"


def _instances(templates: list[dict], questions: list[dict], launches: list[tuple[str, str]]) -> list[dict]:
    """Every question to ask: each template once per launch, then the hand-written ones."""
    items = []
    for t in templates:
        for launch_id, title in launches:
            if launch_id in t.get("skip_launches", ()):  # reviewed: the question is ambiguous for this launch
                continue
            if not _LAUNCH_ID.match(launch_id):
                raise BenchmarkError(f"launch id {launch_id!r} cannot be put into a template's SQL")
            items.append({**t, "template": t["key"], "launch_id": launch_id, "qid_seed": f"{t['key']}/{launch_id}",
                          "question": t["question"].replace("{launch}", _launch_phrase(launch_id, title)),
                          "gold_sql": t["gold_sql"].replace("{launch_id}", launch_id)})
    for q in questions:
        items.append({**q, "template": q["key"], "qid_seed": q["key"], "launch_id": q.get("launch_id")})
    return items


def published_splits(bench: Path | None) -> dict[str, str]:
    """qid -> split of every question in the latest release that has the benchmark. A published item keeps its
    split for good: moving a dev item (whose gold model builders may have read) into test would leak it."""
    from launchbench.paths import data_dir_for, released_versions, releases_dir

    if bench is None or bench.resolve() != (project_root() / "benchmark").resolve():
        return {}
    for version in reversed(released_versions()):
        if (releases_dir() / version / "benchmark_questions.parquet").exists():
            path = data_dir_for(version) / "benchmark_questions.parquet"  # checked against its manifest first
            import pyarrow.parquet as pq

            table = pq.read_table(path, columns=["qid", "split"])
            return dict(zip(table.column("qid").to_pylist(), table.column("split").to_pylist()))
    return {}


def _assign_splits(rows: list[dict], test_share: float, published: dict[str, str] | None = None) -> None:
    """A question already published keeps its split. Within each stratum (difficulty x answer type) the test share
    is `test_share` of the whole stratum, rounded down: the new items, ordered by a hash of the qid, make up what
    the published ones leave short (so a stratum of new items alone gets the running share of the old rule)."""
    published = published or {}
    strata = defaultdict(list)
    for row in rows:
        strata[(row["difficulty"], row["answer_type"])].append(row)
    for group in strata.values():
        old = [r for r in group if r["qid"] in published]
        new = sorted((r for r in group if r["qid"] not in published), key=lambda r: digest(r["qid"]))
        for row in old:
            row["split"] = published[row["qid"]]
        target = math.floor(len(group) * test_share)
        short = max(0, min(len(new), target - sum(r["split"] == "test" for r in old)))
        # spread the test places over the hash order, as the running rule does for a stratum without old items
        for i, row in enumerate(new):
            row["split"] = "test" if math.floor((i + 1) * short / len(new)) > math.floor(i * short / len(new)) else "dev"


def question_rows(con, templates: list[dict], questions: list[dict], test_share: float,
                  published: dict[str, str] | None = None) -> list[dict]:
    from launchbench.sandbox import DEFAULT_LIMITS, fetch

    limits = dataclasses.replace(DEFAULT_LIMITS, max_rows=GOLD_LIMITS_ROWS)
    launches = con.execute("select launch_id, title from launches order by launch_id").fetchall()
    rows, qids = [], {}
    for item in _instances(templates, questions, launches):
        templated = "qid_seed" in item and item["qid_seed"] != item["key"]
        label = f"benchmark/questions.yaml: {item['key']}" + (f" for {item['launch_id']}" if templated else "")
        try:
            _, result, _ = fetch(con, item["gold_sql"], limits=limits)
        except Exception as exc:
            raise BenchmarkError(f"{label}: gold_sql failed: {str(exc).splitlines()[0]}") from exc
        answer = answer_from_rows(item["answer_type"], result, bool(item.get("ordered", False)))
        if templated:
            if answer is None and item.get("when_no_answer", "skip") == "skip":
                continue
            answerable = answer is not None
        else:
            answerable = item.get("answerable", True)
            if answerable and answer is None:
                raise BenchmarkError(f"{label}: gold_sql returns no answer; mark it answerable: false or fix the SQL")
            if not answerable and answer is not None:
                raise BenchmarkError(f"{label}: marked unanswerable but the data now answer it ({answer!r}); "
                                     "make it answerable")
        qid = "q" + digest(item["qid_seed"])[:6]
        if qid in qids:
            raise BenchmarkError(f"{label}: its id {qid} collides with {qids[qid]}; rename the key")
        qids[qid] = label
        rows.append({"qid": qid, "template": item["template"], "launch_id": item["launch_id"],
                     "question": " ".join(item["question"].split()), "gold_sql": " ".join(item["gold_sql"].split()),
                     "gold_answer": None if answer is None else json.dumps(answer, ensure_ascii=False),
                     "answer_type": item["answer_type"], "tolerance": float(item.get("tolerance", 0)),
                     "ordered": bool(item.get("ordered", False)), "difficulty": item["difficulty"],
                     "tasks": list(item.get("tasks", QA_TASKS)), "tags": list(item["tags"]),
                     "answerable": answerable})
    _assign_splits(rows, test_share, published)
    return sorted(rows, key=lambda r: r["qid"])


# ---------------------------------------------------------------- claims and their candidate evidence

def _claim_splits(config: dict, launch_ids: set[str]) -> dict[str, str]:
    test, dev = set(config["claims_test_launches"]), set(config["claims_dev_launches"])
    if not test and not dev:  # a record set without a benchmark definition (a test fixture): all claims are dev
        return {i: "dev" for i in launch_ids}
    if test & dev:
        raise BenchmarkError(f"benchmark/benchmark.yaml: launches in both claims splits: {', '.join(sorted(test & dev))}")
    unplaced = launch_ids - test - dev
    if unplaced:
        raise BenchmarkError("benchmark/benchmark.yaml: launches with claims in neither claims_test_launches nor "
                             f"claims_dev_launches: {', '.join(sorted(unplaced))} (a new launch needs a split)")
    return {**{i: "test" for i in test}, **{i: "dev" for i in dev}}


def _candidates(claim_id: str, own: list[dict], launch_evidence: list[dict], distractors: int) -> list[dict]:
    """A claim's candidates: its own passages, and up to `distractors` passages of other claims of the same launch
    (chosen by hash, none with a quote the claim already has), shuffled by hash."""
    quotes = {e["quote"] for e in own}
    others, seen = [], set()
    for e in sorted(launch_evidence, key=lambda e: digest(f"{claim_id}|{e['evidence_id']}")):
        if e["claim_id"] != claim_id and e["quote"] not in quotes and e["quote"] not in seen:
            others.append(e)
            seen.add(e["quote"])
    chosen = [(e, "deciding" if e["deciding"] else "related") for e in own] + \
             [(e, "distractor") for e in others[:distractors]]
    chosen.sort(key=lambda pair: digest(f"{claim_id}|{pair[0]['evidence_id']}"))
    return [{"passage_id": "p" + digest(f"{claim_id}|{e['evidence_id']}")[:8], "claim_id": claim_id,
             "position": i, "evidence_id": e["evidence_id"], "quote": e["quote"], "publisher": e["publisher"],
             "url": e["url"], "asserted_by": e["asserted_by"], "role": role}
            for i, (e, role) in enumerate(chosen, start=1)]


def claim_tables(con, config: dict) -> tuple[pa.Table, list[dict]]:
    claims = con.sql(CLAIMS_SQL).to_arrow_table()
    splits = _claim_splits(config, set(claims.column("launch_id").to_pylist()))
    claims = claims.append_column("split", pa.array([splits[i] for i in claims.column("launch_id").to_pylist()]))
    from launchbench.db import dicts

    evidence = dicts(con, EVIDENCE_SQL)
    by_claim, by_launch = defaultdict(list), defaultdict(list)
    for e in evidence:
        by_claim[e["claim_id"]].append(e)
        by_launch[e["launch_id"]].append(e)
    rows = []
    for claim_id, launch_id in zip(claims.column("claim_id").to_pylist(), claims.column("launch_id").to_pylist()):
        # a claim without evidence rows still gets distractors: its candidates are only other claims' passages
        rows += _candidates(claim_id, by_claim[claim_id], by_launch[launch_id], int(config["distractors"]))
    ids = [r["passage_id"] for r in rows]
    if len(ids) != len(set(ids)):
        raise BenchmarkError("benchmark_evidence: two candidate passages got the same id")
    return claims, rows


def build_tables(folder: Path, records: Path) -> dict[str, pa.Table]:
    """benchmark_questions, benchmark_claims and benchmark_evidence computed over the Parquet in `folder`."""
    from launchbench.sandbox import connect_read_only

    schemas = load_schemas()
    bench = benchmark_dir(records)
    config = load_config(bench)
    templates, questions = load_definitions(bench)
    con = connect_read_only(folder)
    try:
        question_table = question_rows(con, templates, questions, float(config["test_share"]),
                                       published_splits(bench))
        claims, evidence = claim_tables(con, config)
    finally:
        con.close()
    claims_schema = schemas["benchmark_claims"].arrow_schema()
    return {
        "benchmark_questions": pa.Table.from_pylist(question_table,
                                                    schema=schemas["benchmark_questions"].arrow_schema()),
        "benchmark_claims": claims.select(claims_schema.names).cast(claims_schema),
        "benchmark_evidence": pa.Table.from_pylist(evidence, schema=schemas["benchmark_evidence"].arrow_schema()),
    }
