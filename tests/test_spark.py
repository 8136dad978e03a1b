"""Spark gives the same answers as DuckDB, row for row, on the committed data (SQL transpiled by sqlglot).

Needs pyspark and a Java runtime; skipped with a message otherwise. Marked `spark` (about a minute here)."""
import datetime as dt
import shutil

import pyarrow.parquet as pq
import pytest

from conftest import ROOT, rewrite

pyspark = pytest.importorskip("pyspark", reason="pyspark not installed (pip install 'launchbench[spark]')")
pytestmark = pytest.mark.spark

DATA = ROOT / "dataset" / "data"
PARAMS = {"launch_timeline": {"launch_id": "2023-05-24-desantis-twitter-spaces"},
          "figures_for_metric": {"launch_id": "2024-08-12-trump-musk-x-spaces", "metric": "conversation_start"}}


@pytest.fixture(scope="module")
def spark():
    if not shutil.which("java"):
        pytest.skip("no Java runtime for Spark")
    from launchbench.spark import session

    spark = session()
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def committed(spark):
    from launchbench.spark import register

    register(spark, DATA)
    return spark


def test_named_queries_match_duckdb(committed):
    from launchbench.queries import named_queries, run
    from launchbench.spark import as_bag, run_query

    for name in named_queries():
        duck_names, duck_rows = run(name, PARAMS.get(name, {}), DATA)
        spark_names, spark_rows = run_query(committed, name, PARAMS.get(name, {}))
        assert spark_names == duck_names, name
        assert duck_rows, name
        assert as_bag(spark_rows) == as_bag(duck_rows), name


def test_resolution_rule_on_spark_reproduces_launch_metrics(committed):
    from launchbench.spark import as_bag, run_sql

    sql = (ROOT / "queries" / "derived" / "launch_metrics.sql").read_text()
    names, rows = run_sql(committed, sql)
    stored = pq.read_table(DATA / "launch_metrics.parquet")
    assert names == stored.column_names
    assert as_bag(rows) == as_bag([tuple(r.values()) for r in stored.to_pylist()])


def test_validation_column_checks_match_duckdb(spark, data):
    """Same unexpected-row counts for every row-level expectation, on data with known corruptions."""
    import duckdb

    from launchbench.db import connect
    from launchbench.expectations import suites
    from launchbench.spark import column_check_counts, register, run_sql

    def corrupt(rows):
        rows[0]["value_num"], rows[0]["metric"] = -5.0, "peak_concurrent_listeners"
        rows[1]["qualifier"] = "roughly"
        rows[2]["value_time_utc"] = dt.datetime(2300, 1, 1, tzinfo=dt.timezone.utc)
    rewrite(data, "observations", corrupt)
    register(spark, data)
    con = connect(data)
    duck_run = lambda sql: (None, con.execute(sql).fetchall())
    spark_run = lambda sql: run_sql(spark, sql)
    nonzero = 0
    for table, exps in suites().items():
        types = {r[0]: r[1] for r in con.execute(f'describe "{table}"').fetchall()}
        duck = column_check_counts(duck_run, table, exps, types)
        sparks = column_check_counts(spark_run, table, exps, types)
        assert sparks == duck, table
        nonzero += sum(bool(c) for c in duck if c is not None)
    assert nonzero >= 3
    assert isinstance(con, duckdb.DuckDBPyConnection)
