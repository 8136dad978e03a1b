"""Library entry points over the Parquet: `connect()` for SQL, `load()` for Arrow.

Imports only DuckDB (and pyarrow inside `load`), so `launchbench compare` starts fast.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from launchbench.paths import data_dir as default_data_dir


class DataNotFound(FileNotFoundError):
    pass


def _parquet_files(data: Path) -> dict[str, Path]:
    files = {p.stem: p for p in sorted(data.glob("*.parquet"))}
    if not files:
        raise DataNotFound(f"{data}: no Parquet files; run `launchbench build` first")
    return files


def connect(data_dir: str | Path | None = None, tables: list[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table (or only `tables`), in the UTC session time zone."""
    data = Path(data_dir) if data_dir else default_data_dir()
    files = _parquet_files(data)
    missing = sorted(set(tables or []) - set(files))
    if missing:
        raise DataNotFound(f"no table {', '.join(missing)} in {data}; tables: {', '.join(files)}")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # TIMESTAMPTZ renders in the session zone; keep it UTC everywhere
    for name, path in files.items():
        if tables is not None and name not in tables:
            continue  # each view reads its file's footer: skip the ones the caller does not need
        quoted = str(path.resolve()).replace("'", "''")
        con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet(\'{quoted}\')')
    return con


def load(table: str, data_dir: str | Path | None = None):
    """One table as a pyarrow.Table (call `.to_pandas()` for pandas)."""
    import pyarrow.parquet as pq

    data = Path(data_dir) if data_dir else default_data_dir()
    files = _parquet_files(data)
    if table not in files:
        raise DataNotFound(f"no table {table!r} in {data}; tables: {', '.join(files)}")
    return pq.read_table(files[table])
