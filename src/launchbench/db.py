"""Library entry points over the Parquet: `connect()` for SQL, `load()` for Arrow.

Views come from queries/views.sql (one per table), pointed at whichever folder holds the Parquet. Imports only
DuckDB (and pyarrow inside `load`), so `launchbench compare` starts fast.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from launchbench.paths import data_dir_for, queries_dir

_VIEW = re.compile(r"CREATE OR REPLACE VIEW (\w+) AS SELECT \* FROM read_parquet\('dataset/data/(\w+)\.parquet'\);")
READ_ONLY_STATEMENTS = {"SELECT", "EXPLAIN"}


class DataNotFound(FileNotFoundError):
    pass


class QueryRefused(PermissionError):
    """A statement that would write, or read outside the data folder."""


def _view_statements() -> list[tuple[str, str]]:
    """(view name, Parquet file stem) for each view in queries/views.sql."""
    return _VIEW.findall((queries_dir() / "views.sql").read_text(encoding="utf-8"))


def connect(data_dir: str | Path | None = None, tables: list[str] | None = None,
            version: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table (or only `tables`), in the UTC session time zone.
    `version` picks a frozen release (e.g. "1.0.0"); the default is the working data in dataset/data."""
    data = Path(data_dir) if data_dir else data_dir_for(version)
    if not any(data.glob("*.parquet")):
        raise DataNotFound(f"{data}: no Parquet files; run `launchbench build` first")
    views = {name: data / f"{stem}.parquet" for name, stem in _view_statements()}
    missing = sorted(t for t in (tables or []) if t not in views or not views[t].exists())
    if missing:
        raise DataNotFound(f"no table {', '.join(missing)} in {data}")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # TIMESTAMPTZ renders in the session zone; keep it UTC everywhere
    for name, path in views.items():
        if (tables is not None and name not in tables) or not path.exists():
            continue  # each view reads its file's footer: skip the ones the caller does not need
        quoted = str(path.resolve()).replace("'", "''")
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{quoted}')")
    return con


def connect_read_only(data_dir: str | Path | None = None, version: str | None = None) -> duckdb.DuckDBPyConnection:
    """`connect()`, then lock it down: no files outside the data folder, configuration frozen.
    Use `run_read_only()` on it so that only SELECT statements run."""
    data = Path(data_dir) if data_dir else data_dir_for(version)
    con = connect(data)
    folder = str(data.resolve()).replace("'", "''")
    con.execute(f"SET allowed_directories = ['{folder}/']")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def run_read_only(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """Run one SELECT (or EXPLAIN) statement; anything else is refused before it runs."""
    statements = con.extract_statements(sql)
    if len(statements) != 1:
        raise QueryRefused(f"expected exactly one statement, got {len(statements)}")
    kind = statements[0].type.name
    if kind not in READ_ONLY_STATEMENTS:
        raise QueryRefused(f"only SELECT queries are allowed here; this is a {kind} statement")
    try:
        return con.execute(sql, params or {})
    except duckdb.PermissionException as exc:
        raise QueryRefused(f"file access outside the data folder is refused: {exc}") from exc


def load(table: str, data_dir: str | Path | None = None, version: str | None = None):
    """One table as a pyarrow.Table (call `.to_pandas()` for pandas); `version` picks a frozen release."""
    import pyarrow.parquet as pq

    data = Path(data_dir) if data_dir else data_dir_for(version)
    path = data / f"{table}.parquet"
    if not path.exists():
        tables = ", ".join(p.stem for p in sorted(data.glob("*.parquet")))
        raise DataNotFound(f"no table {table!r} in {data}; tables: {tables}")
    return pq.read_table(path)
