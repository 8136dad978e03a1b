"""The same named queries, resolution rule and validation column checks on Apache Spark, from the same Parquet.

The SQL is written once (DuckDB dialect, in queries/ and the expectation compiler) and transpiled to Spark SQL by
sqlglot, so there are never two copies to keep in step. Local mode by default; point `master` (or the
SPARK_REMOTE / spark-submit settings of your cluster) elsewhere and `data_dir` at shared storage to scale out:

    from launchbench.spark import session, register, run_query
    spark = session("spark://head:7077")          # or session() for local[2]
    register(spark, "s3a://bucket/launchbench/1.1.0/")
    names, rows = run_query(spark, "start_times")
"""
from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path


def session(master: str = "local[2]", app_name: str = "launchbench"):
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master).appName(app_name)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")  # as in DuckDB: times are UTC everywhere
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate())


def register(spark, data_dir: str | Path) -> list[str]:
    """One temporary view per Parquet file in `data_dir` (a local folder or any path Spark can read)."""
    folder = str(data_dir).rstrip("/")
    names = sorted(p.stem for p in Path(folder).glob("*.parquet")) if Path(folder).exists() else []
    for name in names:
        spark.read.parquet(f"{folder}/{name}.parquet").createOrReplaceTempView(name)
    # the same vocabulary and shared views as DuckDB's connect(), transpiled from the same statements
    from launchbench.db import shared_selects, vocabulary_selects

    for view, select in vocabulary_selects() + shared_selects():
        spark.sql(f"CREATE OR REPLACE TEMP VIEW {view} AS {to_spark_sql(select)}")
    return names


def to_spark_sql(sql: str) -> str:
    """DuckDB SQL -> Spark SQL. Named parameters `$x` become Spark's `:x` markers."""
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]


def run_sql(spark, sql: str, params: dict | None = None) -> tuple[list[str], list[tuple]]:
    frame = spark.sql(to_spark_sql(sql), args=params or None)
    return frame.columns, [tuple(r) for r in frame.collect()]


def run_query(spark, name: str, params: dict | None = None) -> tuple[list[str], list[tuple]]:
    from launchbench.queries import bind, named_queries

    query = named_queries()[name]
    return run_sql(spark, query.sql, bind(query, params or {}))


def column_check_counts(run, table: str, expectations, types: dict[str, str]) -> list[int | None]:
    """Unexpected-row counts of the row-level expectations of one table, through any `run(sql)` function
    (DuckDB SQL in, (names, rows) out), using the same compiled SQL as `launchbench validate`."""
    from launchbench.sql_engine import aggregate_sql

    sql, positions, _ = aggregate_sql(table, expectations, types)
    counts: list[int | None] = [None] * len(expectations)
    if sql:
        _, rows = run(sql)
        for n, (i, _cond, _pred) in enumerate(positions):
            counts[i] = int(rows[0][2 * n + 1])
    return counts


def normalize(rows: list[tuple]) -> list[tuple]:
    """Rows from either engine in one comparable form (UTC times, rounded floats, tuples for lists)."""
    def cell(v):
        if isinstance(v, dt.datetime):
            if v.tzinfo is not None:
                v = v.astimezone(dt.timezone.utc).replace(tzinfo=None)
            return v.isoformat()
        if isinstance(v, decimal.Decimal):
            v = float(v)
        if isinstance(v, float):
            return round(v, 6) + 0.0
        if isinstance(v, dict):  # a DuckDB struct; Spark gives a Row, which is a tuple in field order
            v = tuple(v.values())
        if isinstance(v, list) and v and all(isinstance(x, (dict, tuple)) for x in v):
            # a list of structs: Spark's collect_list cannot take DuckDB's `list(... order by ...)`, so compare
            # the elements, not their order
            return tuple(sorted((cell(x) for x in v), key=str))
        if isinstance(v, (list, tuple)):
            return tuple(cell(x) for x in v)
        return v
    return [tuple(cell(v) for v in r) for r in rows]


def as_bag(rows: list[tuple]) -> list[tuple]:
    key = lambda r: tuple((v is None, type(v).__name__, str(v)) for v in r)
    return sorted(normalize(rows), key=key)

