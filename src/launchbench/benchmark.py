"""Build the benchmark tables: questions with gold answers computed from gold SQL, and the claim-verdict task.

Part of the build (after launch_metrics): the gold SQL runs on a read-only connection over the freshly written
Parquet, so a gold answer is always what the data says, never a typed-in value.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pyarrow as pa
import yaml

from launchbench.paths import project_root
from launchbench.schema import load_schemas

QUESTION_FIELDS = {"qid", "question", "gold_sql", "answer_type", "tolerance", "tags", "answerable"}
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


class BenchmarkError(ValueError):
    pass


def is_ordered(sql: str) -> bool:
    """Does the gold SQL order its final rows? (an ORDER BY outside any parentheses)"""
    depth, text = 0, []
    for ch in sql:
        depth += ch == "("
        depth -= ch == ")"
        text.append(ch if depth == 0 else " ")
    return re.search(r"\border\s+by\b", "".join(text), re.IGNORECASE) is not None


def to_jsonable(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "is_integer") and value.is_integer():
        return int(value)
    return value


def answer_from_rows(answer_type: str, rows: list[tuple]):
    """The gold answer a result set gives, by answer type (None when there is nothing)."""
    if answer_type == "list":
        values = [to_jsonable(r[0]) for r in rows if r[0] is not None]
        return values or None
    if not rows or rows[0][0] is None:
        return None
    value = to_jsonable(rows[0][0])
    if answer_type == "number":
        return float(value) if not isinstance(value, int) else value
    if answer_type == "boolean":
        return bool(value)
    return str(value) if answer_type in ("string", "timestamp") else value


def questions_file(records: Path) -> Path | None:
    """benchmark/questions.yaml for the dataset's own records; other record sets (test fixtures) may carry a
    benchmark_questions.yaml of their own, else they get no questions."""
    if records.resolve() == (project_root() / "dataset" / "records").resolve():
        return project_root() / "benchmark" / "questions.yaml"
    own = records / "benchmark_questions.yaml"
    return own if own.exists() else None


def load_questions(path: Path | None) -> list[dict]:
    if path is None:
        return []
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    seen = set()
    for i, q in enumerate(items):
        label = f"{path.name}: question [{i}] ({q.get('qid', '?')})"
        unknown = set(q) - QUESTION_FIELDS
        if unknown:
            raise BenchmarkError(f"{label}: unknown field(s) {', '.join(sorted(unknown))}")
        if q["qid"] in seen:
            raise BenchmarkError(f"{label}: duplicate qid")
        seen.add(q["qid"])
    return items


GOLD_LIMITS_ROWS = 100_000  # a gold answer is a cell or a short list; more rows than this is a broken query


def question_rows(con, questions: list[dict]) -> list[dict]:
    from launchbench.sandbox import DEFAULT_LIMITS, fetch

    limits = dataclasses.replace(DEFAULT_LIMITS, max_rows=GOLD_LIMITS_ROWS)
    rows = []
    for q in questions:
        try:
            _, result, _ = fetch(con, q["gold_sql"], limits=limits)
        except Exception as exc:
            raise BenchmarkError(f"benchmark/questions.yaml: {q['qid']}: gold_sql failed: {exc}") from exc
        answerable = q.get("answerable", True)
        answer = answer_from_rows(q["answer_type"], result)
        if answerable and answer is None:
            raise BenchmarkError(f"benchmark/questions.yaml: {q['qid']}: gold_sql returns no answer; "
                                 "mark it answerable: false or fix the SQL")
        if not answerable and answer is not None:
            raise BenchmarkError(f"benchmark/questions.yaml: {q['qid']}: marked unanswerable but the data now "
                                 f"answer it ({answer!r}); make it answerable")
        rows.append({"qid": q["qid"], "question": q["question"], "gold_sql": " ".join(q["gold_sql"].split()),
                     "gold_answer": None if answer is None else json.dumps(answer, ensure_ascii=False),
                     "answer_type": q["answer_type"], "tolerance": float(q.get("tolerance", 0)),
                     "tags": list(q["tags"]), "answerable": answerable, "ordered": is_ordered(q["gold_sql"])})
    return sorted(rows, key=lambda r: r["qid"])


def build_tables(folder: Path, records: Path) -> dict[str, pa.Table]:
    """benchmark_questions and benchmark_claims computed over the Parquet in `folder`."""
    from launchbench.sandbox import connect_read_only

    schemas = load_schemas()
    con = connect_read_only(folder)
    try:
        questions = question_rows(con, load_questions(questions_file(records)))
        claims = con.sql(CLAIMS_SQL).to_arrow_table()
    finally:
        con.close()
    return {
        "benchmark_questions": pa.Table.from_pylist(questions, schema=schemas["benchmark_questions"].arrow_schema()),
        "benchmark_claims": claims.cast(schemas["benchmark_claims"].arrow_schema()),
    }
