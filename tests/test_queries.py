"""Named queries, views.sql and the read-only `sql` command, on the committed Parquet."""
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT
from launchbench.cli import main
from launchbench.db import connect
from launchbench.sandbox import SqlRefused, connect_read_only, fetch
from launchbench.queries import QueryError, named_queries, run
from launchbench.schema import load_schemas

DS = "2023-05-24-desantis-twitter-spaces"
EXPECTED_COLUMNS = {
    "launches_side_by_side": ["launch_id", "platform_id", "scheduled_start_utc", "conversation_start_utc"],
    "start_times": ["launch_id", "metric", "reported_time_utc", "implied_delay_minutes", "publisher"],
    "audience_claimed_vs_independent": ["launch_id", "metric", "side", "n_reports", "median"],
    "claims_with_verdicts": ["launch_id", "claim_id", "claimant", "verdict", "evidence_source_ids"],
    "source_mix": ["launch_id", "source_kind", "n_sources", "n_reports", "n_publishers", "n_copies"],
    "launch_timeline": ["seq", "at_utc", "minutes_from_schedule", "kind", "description"],
    "reactions_pointing_back": ["launch_id", "references_launch_id", "actor", "statement"],
    "platform_track_record": ["platform_id", "n_launches", "share_delayed", "median_delay_minutes"],
    "figures_for_metric": ["observation_id", "value_num", "value_time_utc", "qualifier", "rank", "evidence_quote"],
}
PARAMS = {"launch_timeline": {"launch_id": DS}, "figures_for_metric": {"launch_id": DS, "metric": "delay_minutes"}}


def test_at_least_eight_queries_with_headers():
    queries = named_queries()
    assert len(queries) >= 8 and set(EXPECTED_COLUMNS) <= set(queries)
    for q in queries.values():
        assert q.purpose and q.grain


@pytest.mark.parametrize("name", sorted(EXPECTED_COLUMNS))
def test_every_query_runs_with_its_columns(name):
    names, rows = run(name, PARAMS.get(name, {}))
    assert set(EXPECTED_COLUMNS[name]) <= set(names), names
    assert rows, f"{name} returned no rows on the committed data"


def test_timeline_query_is_in_order_for_the_launch():
    names, rows = run("launch_timeline", {"launch_id": DS})
    seqs = [r[names.index("seq")] for r in rows]
    assert seqs == list(range(1, len(seqs) + 1))


def test_claims_with_verdicts_shows_the_deciding_quotes():
    """Each judged claim lists its passages, an independent one that takes a side first; unverified claims none such."""
    names, rows = run("claims_with_verdicts")
    claims = [dict(zip(names, r)) for r in rows]
    con = connect()
    quotes = {q for (q,) in con.execute("select quote from claim_evidence").fetchall()}
    for c in claims:
        evidence = c["evidence"] or []
        assert all(e["quote"] in quotes and e["url"].startswith("http") for e in evidence), c["claim_id"]
        deciding = [e for e in evidence if e["independent"] and e["stance"] != "context"]
        assert c["n_independent_deciding"] == len(deciding)
        if c["verdict"] == "unverified":
            assert not deciding, c["claim_id"]
        else:
            assert deciding and evidence[0] in deciding, c["claim_id"]
    assert {c["verdict"] for c in claims} == {"supported", "refuted", "disputed", "unverified"}


def test_parameters_are_bound_not_pasted():
    injection = f"{DS}' or '1'='1"
    with pytest.raises(ValueError, match="no launch_id .* in launches"):  # the whole string is one value: no
        run("launch_timeline", {"launch_id": injection})                   # launch has that id
    with pytest.raises(ValueError, match="no metric .* in metrics"):
        run("figures_for_metric", {"launch_id": DS, "metric": "x'; drop view launches; --"})
    assert run("launch_timeline", {"launch_id": DS})[1]  # and nothing was dropped


def test_missing_and_unknown_parameters_are_clear_errors():
    with pytest.raises(QueryError, match="needs --param launch_id"):
        run("launch_timeline", {})
    with pytest.raises(QueryError, match="has no parameter colour"):
        run("start_times", {"colour": "red"})
    with pytest.raises(QueryError, match="no query named"):
        run("nope")


def test_views_sql_covers_every_table_and_works_with_duckdb_init():
    text = (ROOT / "queries" / "views.sql").read_text()
    from launchbench.db import views_sql
    from launchbench.schema import vocabularies

    assert text == views_sql(), "queries/views.sql is stale: run launchbench build"
    for name in load_schemas():
        assert f"VIEW {name} AS SELECT * FROM read_parquet('dataset/data/{name}.parquet')" in text
    con = duckdb.connect()
    con.execute(text)  # what `duckdb -init queries/views.sql` runs, from the repository root
    ours = connect()
    shared = [p.stem for p in (ROOT / "queries" / "shared").glob("*.sql")]
    for name in [*load_schemas(), *vocabularies(), *shared]:
        assert con.execute(f"select count(*) from {name}").fetchone() == ours.execute(
            f"select count(*) from {name}").fetchone()


def test_read_only_sql_refuses_writes_and_file_access():
    con = connect_read_only()
    assert fetch(con, "select count(*) from launches")[1][0][0] >= 2
    for statement, words in [
        ("create table x as select 1", "CREATE"),
        ("copy launches to '/tmp/launches.csv'", "COPY"),
        ("attach '/tmp/other.db'", "ATTACH"),
        ("select * from read_csv('/etc/passwd')", "outside the data folder"),
        ("select 1; select 2", "exactly one statement"),
    ]:
        with pytest.raises(SqlRefused, match=words):
            fetch(con, statement)
    with pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")  # the lock holds


def test_a_large_csv_result_streams_every_row_in_batches(monkeypatch, capsysbinary):
    """Beyond SMALL_RESULT rows the CSV goes through Arrow batches; the rows must equal the small path's."""
    import csv
    import io

    from launchbench import queries

    def rows_of(small_result):
        monkeypatch.setattr(queries, "SMALL_RESULT", small_result)
        assert main(["query", "start_times", "--format", "csv"]) == 0
        return list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode())))
    everything = rows_of(100_000)
    assert len(everything) > 20 and rows_of(7) == everything


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_query_command_formats(fmt, capsys):
    assert main(["query", "platform_track_record", "--format", fmt]) == 0
    assert "twitter-spaces" in capsys.readouterr().out


def test_sql_command_refusal_exits_1(capsys):
    assert main(["sql", "delete from launches"]) == 1
    assert "refused" in capsys.readouterr().err


def test_every_command_help_has_an_example():
    """sqlite-utils style: docs cover every command, with an example in its --help."""
    from launchbench.cli import _parser

    commands = _parser()._subparsers._group_actions[0].choices
    for name in commands:
        out = subprocess.run([sys.executable, "-m", "launchbench", name, "--help"], capture_output=True, text=True, cwd=ROOT).stdout
        assert "Example" in out and f"launchbench {name}" in out, name
        assert f"launchbench {name}" in (ROOT / "README.md").read_text(), f"README does not mention {name}"


def test_a_closed_pipe_is_not_an_error():
    """`launchbench ... | head` must not print a BrokenPipeError traceback."""
    import subprocess

    pipe = subprocess.run(f"{sys.executable} -m launchbench query claims_with_verdicts --format json | head -1",
                          shell=True, capture_output=True, text=True, cwd=ROOT)
    assert pipe.stdout.strip() == "[" and "Traceback" not in pipe.stderr and "BrokenPipe" not in pipe.stderr
