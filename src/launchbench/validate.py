"""Stage 3: validate the Parquet. Structure, expectation suites, cross-table SQL; any critical failure fails.

1. structure: every table's file exists with exactly the schema's columns and Arrow types (pyarrow footers only);
2. expectation suites (src/launchbench/expectations.py), run by the DuckDB engine (default) or GX's pandas engine;
3. cross-table checks: foreign keys generated from the schemas, plus validation/checks/*.sql, plus a fresh run of
   the resolution rule compared with the stored launch_metrics.
Every result names its table, column and check. Tables whose structure is broken skip the later steps.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from launchbench.db import shared_views, table_views, vocabulary_views
from launchbench.expectations import SEVERITIES, ConfigError, suites
from launchbench.paths import MANIFEST, data_dir as default_data_dir, manifest_problems, project_root, queries_dir
from launchbench.queries import sql_header
from launchbench.schema import load_schemas

ENGINES = ("duckdb", "gx")
# structure failures after which a table cannot be read as the schema says: its later checks are skipped
CHECK_HEADER = ("check", "table", "severity", "why")  # the header every validation/checks/*.sql file states
UNREADABLE = {"table_exists", "readable_parquet", "column_exists", "column_type", "no_unknown_columns"}


@dataclass
class CheckResult:
    kind: str  # structure | expectation | cross_table
    table: str
    column: str | None
    check: str
    severity: str
    success: bool
    why: str = ""
    element_count: int | None = None
    unexpected_count: int | None = None
    sample: list = field(default_factory=list)
    observed: object = None
    error: str | None = None
    expectation_type: str | None = None
    kwargs: dict | None = None

    def describe(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        if self.error:
            detail = self.error
        elif self.unexpected_count is not None and self.element_count is not None:
            detail = f"{self.unexpected_count} unexpected of {self.element_count}"
        elif self.unexpected_count is not None:
            detail = f"{self.unexpected_count} failing row(s)"
        else:
            detail = f"observed {self.observed}"
        sample = f"; e.g. {', '.join(map(str, self.sample[:3]))}" if self.sample else ""
        return f"{where}: {self.check} [{self.severity}] {detail}{sample}"


def _structure(data: Path) -> list[CheckResult]:
    import pyarrow.parquet as pq

    results = []
    expected_version = _expected_version(data)
    for name, table in load_schemas().items():
        path = data / f"{name}.parquet"
        if not path.exists():
            results.append(CheckResult("structure", name, None, "table_exists", "critical", False,
                                       "Every table of the schemas has a Parquet file.", error=f"{path} is missing"))
            continue
        try:
            actual = pq.read_schema(path)
        except Exception as exc:  # unreadable footer: report it, don't crash
            results.append(CheckResult("structure", name, None, "readable_parquet", "critical", False,
                                       error=f"{path}: {exc}"))
            continue
        expected = table.arrow_schema()
        for f in expected:
            if f.name not in actual.names:
                results.append(CheckResult("structure", name, f.name, "column_exists", "critical", False,
                                           error=f"column missing; expected {f.type}"))
            elif not actual.field(f.name).type.equals(f.type):
                results.append(CheckResult("structure", name, f.name, "column_type", "critical", False,
                                           error=f"type {actual.field(f.name).type}, expected {f.type}"))
        for extra in [n for n in actual.names if n not in expected.names]:
            results.append(CheckResult("structure", name, extra, "no_unknown_columns", "critical", False,
                                       error="column not in the schema"))
        if actual.names != expected.names and set(actual.names) == set(expected.names):
            results.append(CheckResult("structure", name, None, "column_order", "critical", False,
                                       "Columns come in the schema's order (readers may rely on positions).",
                                       error=f"order {', '.join(actual.names)}; expected {', '.join(expected.names)}"))
        version = (actual.metadata or {}).get(b"launchbench.version", b"").decode()
        if version != expected_version:
            results.append(CheckResult("structure", name, None, "version_metadata", "critical", False,
                                       "Every file says which dataset version it belongs to.",
                                       error=f"launchbench.version is {version or 'missing'!r}; expected "
                                             f"{expected_version!r}"))
        if actual.names == expected.names and not any(r.table == name for r in results):
            results.append(CheckResult("structure", name, None, "columns_and_types", "critical", True,
                                       "Columns and Arrow types equal the schema."))
    expected_files = {f"{name}.parquet" for name in load_schemas()} | {MANIFEST}
    stray = sorted(p.name for p in data.iterdir() if p.name not in expected_files)
    results.append(CheckResult("structure", ",".join(stray) or "data folder", None, "no_unknown_files", "critical",
                               not stray, "The data folder holds only the schemas' tables and the manifest.",
                               error=f"unknown file(s) in {data}: {', '.join(stray)}" if stray else None))
    if (data / MANIFEST).exists():  # the build's (or the release's) own sha256 of every file
        problems = manifest_problems(data)
        results.append(CheckResult("structure", "data folder", None, "files_match_manifest", "critical",
                                   not problems, "No file changed since the build wrote it.",
                                   error="; ".join(problems[:3]) or None))
    return results


def _expected_version(data: Path) -> str:
    """The version the files should carry: their folder's manifest says, else dataset/metadata.yaml."""
    try:
        return json.loads((data / MANIFEST).read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        from launchbench.card import dataset_version

        return dataset_version()


def _expectations(con, data: Path, broken: set[str], engine: str) -> list[CheckResult]:
    results = []
    for table, exps in suites().items():
        if table in broken:
            continue
        try:
            if engine == "duckdb":
                from launchbench.sql_engine import run_table

                outcomes = run_table(con, table, exps)
            else:
                from launchbench.gx_engine import run_table

                frame = con.sql(f'select * from "{table}"').to_arrow_table().to_pandas()
                outcomes = run_table(frame, table, exps)
        except duckdb.Error as exc:  # a file that reads as Parquet but not as data (flipped bytes)
            results.append(CheckResult("expectation", table, None, "readable_table", "critical", False,
                                       "Every table can be read to the end.",
                                       error=f"{table}.parquet: {str(exc).splitlines()[0]}"))
            broken.add(table)
            continue
        for exp, out in zip(exps, outcomes):
            check = exp.type.removeprefix("expect_")
            if exp.kwargs.get("row_condition"):
                check += f" where {exp.kwargs['row_condition']}"
            results.append(CheckResult(
                "expectation", table, exp.column, check, exp.severity, out.success and not out.error, exp.why,
                out.element_count, out.unexpected_count, out.sample, out.observed, out.error, exp.type,
                exp.kwargs))
    return results


def _foreign_keys(con, broken: set[str]) -> list[CheckResult]:
    results = []
    for name, table in load_schemas().items():
        for col in table.columns:
            if not col.references:
                continue
            ref_table, _, ref_col = col.references.partition(".")
            if {name, ref_table} & broken:
                continue
            values = f'unnest("{col.name}")' if col.type == "list<string>" else f'"{col.name}"'
            try:
                rows, error = con.execute(
                    f'select distinct v from (select {values} as v from "{name}") '
                    f'where v is not null and v not in (select "{ref_col}" from "{ref_table}") order by v limit 5'
                ).fetchall(), None
            except duckdb.Error as exc:
                rows, error = [], f"{name}/{ref_table}: {str(exc).splitlines()[0]}"
            results.append(CheckResult("cross_table", name, col.name, f"foreign_key -> {col.references}",
                                       "critical", not rows and not error, "Every reference resolves.",
                                       sample=[r[0] for r in rows], error=error))
    return results


def _sql_checks(con) -> list[CheckResult]:
    results = []
    metrics_sql = (queries_dir() / "derived" / "launch_metrics.sql").read_text(encoding="utf-8")
    con.execute(f"create or replace temp view launch_metrics_fresh as {metrics_sql}")
    tables = set(load_schemas())
    for path in sorted((project_root() / "validation" / "checks").glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        meta = sql_header(sql)
        missing = [k for k in CHECK_HEADER if k not in meta]
        if missing:
            raise ConfigError(f"{path}: header line '-- {missing[0]}: ...' missing (a check states "
                              f"{', '.join(CHECK_HEADER)})")
        if meta["table"] not in tables or meta["severity"] not in SEVERITIES:
            raise ConfigError(f"{path}: header names table {meta['table']!r} and severity {meta['severity']!r}; "
                              f"expected a table of schemas/ and one of {', '.join(SEVERITIES)}")
        try:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
            error = None
        except duckdb.Error as exc:
            rows, names, error = [], [], f"{path.name}: {exc}"
        column = meta.get("column")
        if meta["check"] == "launch_metrics_matches_observations" and rows:
            column = ",".join(_differing_columns(con)) or column
        sample = [", ".join(f"{n}={v}" for n, v in zip(names, r)) for r in rows[:5]]
        results.append(CheckResult("cross_table", meta["table"], column, meta["check"], meta["severity"],
                                   not rows and not error, meta.get("why", ""), unexpected_count=len(rows),
                                   sample=sample, error=error))
    return results


def _gold_answers(con) -> list[CheckResult]:
    """Every stored gold answer equals what its stored gold SQL gives now (a typed-over answer is caught)."""
    from launchbench.benchmark import answer_from_rows
    from launchbench.sandbox import DEFAULT_LIMITS, fetch

    wrong, error = [], None
    try:
        questions = con.execute("select qid, gold_sql, answer_type, ordered, gold_answer from benchmark_questions "
                                "order by qid").fetchall()
        for qid, sql, answer_type, ordered, stored in questions:
            try:
                answer = answer_from_rows(answer_type, fetch(con, sql, limits=DEFAULT_LIMITS)[1], ordered)
            except Exception as exc:  # a gold SQL that no longer runs, or is not a plain read
                wrong.append(f"{qid}: gold_sql fails ({str(exc).splitlines()[0]})")
                continue
            if (None if stored is None else json.loads(stored)) != answer:
                wrong.append(f"{qid}: stored {stored}, gold_sql gives {json.dumps(answer, ensure_ascii=False)}")
    except duckdb.Error as exc:
        error = f"benchmark_questions: {str(exc).splitlines()[0]}"
    return [CheckResult("cross_table", "benchmark_questions", "gold_answer", "gold_answers_recomputed", "critical",
                        not wrong and not error, "Each gold answer is what its gold SQL returns on this data.",
                        unexpected_count=len(wrong), sample=wrong[:5], error=error)]


def _differing_columns(con) -> list[str]:
    """Which launch_metrics columns differ between the stored table and a fresh recomputation."""
    def rows(view):
        cur = con.execute(f"select * from {view}")
        names = [d[0] for d in cur.description]
        return names, {r[0]: dict(zip(names, r)) for r in cur.fetchall()}
    names, stored = rows("launch_metrics")
    _, fresh = rows("launch_metrics_fresh")
    def same(a, b):
        if isinstance(a, float) and isinstance(b, float):
            return math.isclose(a, b) or (math.isnan(a) and math.isnan(b))
        return a == b
    differ = {"launch_id"} if set(stored) != set(fresh) else set()
    for key in set(stored) & set(fresh):
        differ |= {n for n in names if not same(stored[key].get(n), fresh[key].get(n))}
    return [n for n in names if n in differ]


def validate(data_dir: Path | None = None, engine: str = "duckdb") -> list[CheckResult]:
    """All checks on the Parquet in `data_dir`; never raises for bad data, only reports it."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    data = Path(data_dir) if data_dir else default_data_dir()
    results = _structure(data)
    broken = {r.table for r in results if not r.success and r.check in UNREADABLE}
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    try:
        for name, statement in table_views(str(data.resolve())):
            if name not in broken:
                con.execute(statement)
        results += _expectations(con, data, broken, engine)
        if broken:
            results.append(CheckResult("cross_table", ",".join(sorted(broken)), None, "cross_table_checks",
                                       "critical", False, error="skipped: fix the structure failures first"))
        else:
            # the same views the queries read; the narrow launch_sources (read by three checks and the rule) is
            # computed once; observation_reports stays a view so each reader's filters reach the Parquet scan
            materialize = frozenset({"launch_sources"})
            try:
                for statement in vocabulary_views() + shared_views(materialize=materialize):
                    con.execute(statement)
            except duckdb.Error as exc:
                results.append(CheckResult("cross_table", "launch_sources", None, "shared_views", "critical", False,
                                           error=f"the shared views cannot be computed: {str(exc).splitlines()[0]}"))
            else:
                results += _foreign_keys(con, broken) + _sql_checks(con) + _gold_answers(con)
    finally:
        con.close()
    return results


def failed(results: list[CheckResult], severity: str = "critical") -> list[CheckResult]:
    return [r for r in results if not r.success and r.severity == severity]


def summary(results: list[CheckResult]) -> str:
    by_table: dict[str, list[CheckResult]] = {}
    for r in results:
        by_table.setdefault(r.table, []).append(r)
    lines = [f"{'table':<16} {'checks':>6} {'passed':>6} {'critical':>8} {'warnings':>8}"]
    for table, rows in by_table.items():
        lines.append(f"{table:<16} {len(rows):>6} {sum(r.success for r in rows):>6} "
                     f"{len(failed(rows)):>8} {len(failed(rows, 'warning')):>8}")
    for severity in ("critical", "warning"):
        bad = failed(results, severity)
        if bad:
            lines.append(f"\n{severity.upper()} ({len(bad)}):")
            lines += [f"  {r.describe()}" for r in bad]
    crit = failed(results)
    lines.append(f"\n{'FAILED' if crit else 'PASSED'}: {len(results)} checks, {len(crit)} critical failure(s), "
                 f"{len(failed(results, 'warning'))} warning(s)")
    return "\n".join(lines)


def write_json(results: list[CheckResult], path: Path) -> None:
    payload = {"success": not failed(results), "checks": [asdict(r) for r in results]}
    Path(path).write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
