"""Read-only SQL for text we do not trust (`sql`, `query`, the gold and predicted SQL of the benchmark).

A statement runs only if DuckDB's own parser says it is one SELECT, or an EXPLAIN whose wrapped statement is one
SELECT (EXPLAIN ANALYZE executes what it wraps, so the wrapped statement is what counts). The connection sees
only the data folder, has a memory limit and a thread cap, and its configuration is locked before any of that
text runs; a timer interrupts a statement that runs too long, and callers fetch a bounded number of rows.
Every refusal or limit is one `SqlRefused` or `SqlLimit` with a one-line message, never a traceback.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from launchbench.db import connect
from launchbench.paths import data_dir_for


@dataclass(frozen=True)
class Limits:
    # A named query answers in well under a second on the committed data and in seconds on ten million rows; 30 s
    # leaves room for heavy ad-hoc SQL and stops a runaway recursive CTE.
    timeout_s: float = 30.0
    # The dataset is a few MB; the heaviest named query on ten million synthetic observations peaks near 2.6 GB
    # (bench/results.json). 4 GB lets that run and stops a runaway cross join at a sixth of a 24 GB machine
    # (DuckDB fails the statement cleanly when it runs out; nothing spills to disk).
    memory: str = "4GB"
    threads: int = 2
    # Rows printed as a table or JSON; a result beyond it is cut, with a note (CSV streams every row).
    max_rows: int = 10_000


DEFAULT_LIMITS = Limits()


class SqlRefused(PermissionError):
    """A statement that is not a plain read, or that reaches outside the data folder."""


class SqlLimit(RuntimeError):
    """A statement stopped by the time or memory limit."""


def _significant_tokens(text: str) -> list[tuple[str, int]]:
    """(lower-cased token text, start offset) for every token but comments, from DuckDB's own tokenizer."""
    tokens = duckdb.tokenize(text)
    out = []
    for i, (start, kind) in enumerate(tokens):
        if kind == duckdb.token_type.comment:
            continue
        end = tokens[i + 1][0] if i + 1 < len(tokens) else len(text)
        out.append((text[start:end].strip().lower(), start))
    return out


def _explained(text: str) -> str:
    """The statement an EXPLAIN [ANALYZE] [(options)] wraps."""
    tokens = _significant_tokens(text)
    i = 1  # tokens[0] is EXPLAIN
    if i < len(tokens) and tokens[i][0] in ("analyze", "analyse"):
        i += 1
    if i < len(tokens) and tokens[i][0].startswith("("):
        depth = 0
        while i < len(tokens):
            depth += tokens[i][0].count("(") - tokens[i][0].count(")")
            i += 1
            if depth <= 0:
                break
    return text[tokens[i][1]:] if i < len(tokens) else ""


_local = threading.local()


def _parser() -> duckdb.DuckDBPyConnection:
    """An empty connection used only to parse (one per thread: DuckDB connections are not shared across threads)."""
    if not hasattr(_local, "parser"):
        _local.parser = duckdb.connect()
    return _local.parser


def check_read_only(sql: str) -> str:
    """The one statement in `sql` if it is a plain read; raises SqlRefused otherwise (nothing runs)."""
    parser = _parser()
    try:
        try:
            statements = parser.extract_statements(sql)
        except duckdb.Error as exc:
            raise SqlRefused(f"not valid SQL: {str(exc).splitlines()[0]}") from None
        if len(statements) != 1:
            raise SqlRefused(f"expected exactly one statement, got {len(statements)}")
        statement = statements[0]
        kind = statement.type.name
        if kind == "EXPLAIN":
            inner = parser.extract_statements(_explained(statement.query) or "explain")
            inner_kind = inner[0].type.name if len(inner) == 1 else f"{len(inner)} statements"
            if inner_kind != "SELECT":
                raise SqlRefused(f"only SELECT queries are allowed here; this EXPLAIN wraps a {inner_kind} statement")
        elif kind != "SELECT":
            raise SqlRefused(f"only SELECT queries are allowed here; this is a {kind} statement")
        return sql
    except duckdb.Error as exc:  # an EXPLAIN whose inner text does not parse
        raise SqlRefused(f"not valid SQL: {str(exc).splitlines()[0]}") from None


def connect_read_only(data_dir: str | Path | None = None, version: str | None = None,
                      limits: Limits = DEFAULT_LIMITS, hide: tuple[str, ...] = ()) -> duckdb.DuckDBPyConnection:
    """`connect()`, then lock it down before any untrusted text runs: no files outside the data folder, no
    extensions, a memory limit, a thread cap, no spilling to disk, configuration frozen. The views named in
    `hide` are dropped first (the benchmark's SQL task hides the gold tables from the predictions)."""
    data = Path(data_dir) if data_dir else data_dir_for(version)
    con = connect(data)
    for name in hide:
        con.execute(f'DROP VIEW IF EXISTS "{name}"')
    folder = str(data.resolve()).replace("'", "''")
    for setting in ("SET temp_directory = ''", "SET enable_progress_bar = false", "SET autoinstall_known_extensions = false",
                    "SET autoload_known_extensions = false", f"SET memory_limit = '{limits.memory}'",
                    f"SET threads = {int(limits.threads)}", f"SET allowed_directories = ['{folder}/']",
                    "SET enable_external_access = false", "SET lock_configuration = true"):
        con.execute(setting)
    return con


@contextmanager
def deadline(con: duckdb.DuckDBPyConnection, seconds: float):
    """Interrupt whatever `con` runs after `seconds`; the interrupted statement raises SqlLimit."""
    timer = threading.Timer(seconds, con.interrupt)
    timer.start()
    try:
        yield
    except duckdb.InterruptException:
        raise SqlLimit(f"stopped after {seconds:g} s (the time limit; raise it with --timeout)") from None
    except duckdb.OutOfMemoryException:
        raise SqlLimit("stopped: the query needs more than the memory limit") from None
    finally:
        timer.cancel()


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """Run one plain read on a read-only connection and return its cursor (rows not fetched yet). Refusals raise
    SqlRefused; file access outside the folder is a refusal too. Call inside `deadline()`."""
    check_read_only(sql)
    try:
        return con.execute(sql, params or {})
    except duckdb.PermissionException as exc:
        raise SqlRefused(f"file access outside the data folder is refused: {str(exc).splitlines()[0]}") from None


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None,
          limits: Limits = DEFAULT_LIMITS) -> tuple[list[str], list[tuple], bool]:
    """(column names, at most limits.max_rows rows, whether rows were cut) of one plain read, within the limits.
    The result streams, so a huge result costs only the rows kept."""
    with deadline(con, limits.timeout_s):
        cur = execute(con, sql, params)
        rows = cur.fetchmany(limits.max_rows + 1)
    return [d[0] for d in cur.description], rows[:limits.max_rows], len(rows) > limits.max_rows
