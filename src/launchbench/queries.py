"""Named comparative queries: one .sql file each in queries/, a header stating name, purpose, params and grain.

Parameters are bound by DuckDB ($name), never pasted into the SQL text, so a value is only ever a value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from launchbench.paths import queries_dir

SKIP = {"views.sql"}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    purpose: str
    params: tuple[str, ...]
    grain: str
    sql: str
    path: Path


class QueryError(ValueError):
    pass


def sql_header(sql: str) -> dict[str, str]:
    """The leading `-- key: value` comment lines of a SQL file (named queries and validation checks)."""
    header = {}
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        key, sep, value = line[2:].partition(":")
        if sep:
            header[key.strip()] = value.strip()
    return header


def _parse(path: Path) -> NamedQuery:
    sql = path.read_text(encoding="utf-8")
    header = sql_header(sql)
    for key in ("name", "purpose", "params", "grain"):
        if key not in header:
            raise QueryError(f"{path}: header line '-- {key}: ...' missing")
    if header["name"] != path.stem:
        raise QueryError(f"{path}: header name {header['name']!r} differs from the file name")
    params = tuple(sorted(set(re.findall(r"\$([a-z_]+)", sql))))
    return NamedQuery(path.stem, header["purpose"], params, header["grain"], sql, path)


def named_queries() -> dict[str, NamedQuery]:
    return {p.stem: _parse(p) for p in sorted(queries_dir().glob("*.sql")) if p.name not in SKIP}


def bind(query: NamedQuery, params: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(params) - set(query.params))
    missing = sorted(set(query.params) - set(params))
    if unknown:
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)}; "
                         f"it takes: {', '.join(query.params) or 'none'}")
    if missing:
        raise QueryError(f"query {query.name} needs --param {' --param '.join(m + '=...' for m in missing)}")
    return {k: params[k] for k in query.params}


SMALL_RESULT = 1_000  # rows written by Python; beyond this the rest goes through Arrow's CSV writer


def _query(name: str, params) -> tuple[NamedQuery, dict]:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no query named {name!r}; try `launchbench query --list`")
    query = queries[name]
    return query, bind(query, params or {})


def check_known(con, bound: dict) -> None:
    """A parameter naming a key (launch_id: a launch; metric: a metric of the vocabulary) must name one that
    exists; otherwise the query would print an empty table and the reader would not know why."""
    from launchbench.schema import load_schemas

    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    for name, value in bound.items():
        tables = [t for t, s in load_schemas().items() if list(s.primary_key) == [name]] + [f"{name}s"]
        table = next((t for t in tables if t in views), None)
        if table is None or name not in {r[0] for r in con.execute(f'describe "{table}"').fetchall()}:
            continue
        if not con.execute(f'select count(*) from "{table}" where "{name}" = ?', [value]).fetchone()[0]:
            known = [r[0] for r in con.execute(f'select "{name}" from "{table}" order by 1 limit 30').fetchall()]
            raise ValueError(f"no {name} {value!r} in {table}; known: {', '.join(map(str, known))}")


def run(name: str, params: dict[str, str] | None = None, data_dir: Path | None = None, limits=None,
        with_cut: bool = False):
    """(column names, rows) of a named query on a read-only connection, within `limits` (sandbox.Limits; the
    default caps rows at 10,000). With `with_cut`, also whether rows were cut at the cap."""
    from launchbench.sandbox import DEFAULT_LIMITS, connect_read_only, fetch

    query, bound = _query(name, params)
    con = connect_read_only(data_dir)
    try:
        check_known(con, bound)
        names, rows, cut = fetch(con, query.sql, bound, limits or DEFAULT_LIMITS)
    finally:
        con.close()
    return (names, rows, cut) if with_cut else (names, rows)


def write_csv(name: str, stream, params: dict[str, str] | None = None, data_dir: Path | None = None,
              limits=None) -> None:
    """A named query's result as CSV on a binary stream, every row, within the time limit. Small results stay in
    Python (no pyarrow import); large ones hand the remaining rows to Arrow's C++ CSV writer."""
    import csv
    import io

    from launchbench.formats import csv_cell, write_csv_arrow
    from launchbench.sandbox import DEFAULT_LIMITS, connect_read_only, deadline, execute

    query, bound = _query(name, params)
    limits = limits or DEFAULT_LIMITS
    con = connect_read_only(data_dir)
    try:
        check_known(con, bound)
        with deadline(con, limits.timeout_s):
            cur = execute(con, query.sql, bound)
            first = cur.fetchmany(SMALL_RESULT)
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow([d[0] for d in cur.description])
            writer.writerows([[csv_cell(v) for v in r] for r in first])
            stream.write(text.getvalue().encode("utf-8"))
            if len(first) == SMALL_RESULT:  # the rest in Arrow batches: memory stays flat however many rows
                import warnings

                import pyarrow as pa

                with warnings.catch_warnings():  # the per-batch copy it warns about is what we want here
                    warnings.simplefilter("ignore")
                    for batch in cur.to_arrow_reader(100_000):
                        write_csv_arrow(pa.Table.from_batches([batch]), stream, header=False)
    finally:
        con.close()
