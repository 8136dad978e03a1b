"""compare on the committed Parquet: every format shows every launch; json equals launch_metrics."""
import csv
import io
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from launchbench.compare import render

DATA = ROOT / "dataset" / "data"
SEEDS = ["2023-05-24-desantis-twitter-spaces", "2024-08-12-trump-musk-x-spaces"]


def _metrics():
    return pq.read_table(DATA / "launch_metrics.parquet").to_pylist()


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_every_format_shows_both_seed_launches(fmt):
    out = render(fmt, DATA)
    for launch_id in SEEDS:
        assert launch_id in out


def test_json_matches_launch_metrics():
    rows = json.loads(render("json", DATA))
    expected = _metrics()
    assert [r["launch_id"] for r in rows] == [r["launch_id"] for r in expected]
    for got, want in zip(rows, expected):
        assert list(got) == list(want)  # keyed by the launch_metrics column names, in order
        for key, value in want.items():
            assert got[key] == (value.isoformat() if hasattr(value, "isoformat") else value), key


def test_csv_has_the_launch_metrics_columns():
    rows = list(csv.DictReader(io.StringIO(render("csv", DATA))))
    assert list(rows[0]) == pq.read_schema(DATA / "launch_metrics.parquet").names
    assert {r["launch_id"] for r in rows} >= set(SEEDS)


def test_table_shows_figures_from_launch_metrics():
    from launchbench.compare import MAX_SIDE_BY_SIDE

    out = render("table", DATA)
    rows = _metrics()
    shown = "peak_listeners" if len(rows) <= MAX_SIDE_BY_SIDE else "peak_listeners_independent"
    for row in rows:
        assert row["launch_id"] in out
        if row[shown] is not None:
            assert f"{int(row[shown]):,}" in out
            bound = {"lower_bound": ">= ", "upper_bound": "<= "}.get(row["peak_listeners_basis"], "")
            assert f"{bound}{int(row[shown]):,}, {row['peak_listeners_n_reports']} rep" in out  # basis and support
        if row["scheduled_start_utc"] is not None:
            assert row["scheduled_start_utc"].strftime("%Y-%m-%d %H:%M UTC") in out


def test_side_by_side_for_few_launches_rows_for_many(tmp_path):
    """Two launches print one column each; a wide field prints one line per launch."""
    import shutil

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from launchbench.compare import MAX_SIDE_BY_SIDE

    few = tmp_path / "few"
    shutil.copytree(DATA, few)
    t = pq.read_table(few / "launch_metrics.parquet")
    keep = pc.is_in(t.column("launch_id"), value_set=pa.array(SEEDS))
    pq.write_table(t.filter(keep), few / "launch_metrics.parquet")
    first_line = render("table", few).splitlines()[0]
    assert SEEDS[0] in first_line and SEEDS[1] in first_line
    if len(_metrics()) > MAX_SIDE_BY_SIDE:
        lines = render("table", DATA).splitlines()
        assert lines[0].startswith("launch") and len(lines) == len(_metrics()) + 2


def test_console_command_runs_and_imports_only_duckdb():
    """The quickstart command, as a process; it must not pull in the heavy libraries."""
    probe = ("import sys; from launchbench.cli import main; main(['compare']); "
             "heavy = {'pyarrow', 'yaml', 'pandas', 'great_expectations', 'datasets'}; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert SEEDS[0] in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        render("xml", DATA)


def test_every_headline_traces_to_independent_reports_in_one_hop():
    """Each report id behind a headline figure is an independent report giving that figure's metric."""
    from launchbench.db import connect

    con = connect(DATA)
    for quantity, metrics in [("delay", "'delay_minutes', 'conversation_start'"),
                              ("peak_listeners", "'peak_concurrent_listeners', 'concurrent_listeners'"),
                              ("duration", "'duration_minutes'")]:
        bad = con.execute(f"""
            select m.launch_id, r.report_id from launch_metrics m, unnest(m.{quantity}_report_ids) as r(report_id)
            where not exists (select 1 from observation_reports o
                              where o.launch_id = m.launch_id and o.counted_report_id = r.report_id
                                and o.metric in ({metrics}) and o.independent and o.rank <> 'deprecated')
        """).fetchall()
        assert bad == [], quantity
        counts = con.execute(f"select count(*) filter (where {quantity}_n_reports <> len({quantity}_report_ids)), "
                             f"count(*) filter (where {quantity}_n_reports > 0) from launch_metrics").fetchone()
        assert counts[0] == 0 and counts[1] > 0, quantity
