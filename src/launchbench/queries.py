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


def _open(name: str, params, data_dir):
    from launchbench.db import connect_read_only, run_read_only

    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no query named {name!r}; try `launchbench query --list`")
    query = queries[name]
    con = connect_read_only(data_dir)
    return con, run_read_only(con, query.sql, bind(query, params or {}))


def run(name: str, params: dict[str, str] | None = None, data_dir: Path | None = None):
    """(column names, rows) of a named query, on a read-only connection."""
    con, cur = _open(name, params, data_dir)
    try:
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def write_csv(name: str, stream, params: dict[str, str] | None = None, data_dir: Path | None = None) -> None:
    """A named query's result as CSV on a binary stream. Small results stay in Python (no pyarrow import);
    large ones hand the remaining rows to Arrow's C++ CSV writer."""
    import csv
    import io

    from launchbench.formats import csv_cell, write_csv_arrow

    con, cur = _open(name, params, data_dir)
    try:
        first = cur.fetchmany(SMALL_RESULT)
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([d[0] for d in cur.description])
        writer.writerows([[csv_cell(v) for v in r] for r in first])
        stream.write(text.getvalue().encode("utf-8"))
        if len(first) == SMALL_RESULT:
            import warnings

            with warnings.catch_warnings():  # the copy it warns about is what we want here
                warnings.simplefilter("ignore")
                rest = cur.to_arrow_table()
            write_csv_arrow(rest, stream, header=False)
    finally:
        con.close()
