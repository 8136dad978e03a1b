"""What a newcomer meets first: versions, missing extras, old releases, unknown keys, readable floats, and the
named queries from any DuckDB client."""
import os
import sys

import duckdb

from conftest import ROOT
from launchbench.cli import main
from launchbench.queries import run


def test_version_names_package_dataset_and_benchmark(capsys):
    import yaml

    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    dataset = yaml.safe_load((ROOT / "dataset" / "metadata.yaml").read_text())["version"]
    benchmark = yaml.safe_load((ROOT / "benchmark" / "benchmark.yaml").read_text())["version"]
    assert out.startswith("launchbench ") and f"dataset {dataset}" in out and f"benchmark {benchmark}" in out


def test_a_missing_extra_prints_the_install_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "rank_bm25", None)  # import now fails as if the package were absent
    assert main(["baselines", "--task", "claims", "--split", "test"]) == 1
    err = capsys.readouterr().err
    assert "pip install 'launchbench[baselines]'" in err and "Traceback" not in err


def test_compare_on_an_old_release_uses_todays_layout(capsys):
    assert main(["compare"]) == 0
    working = capsys.readouterr().out.splitlines()[0]
    for version in ("1.1.0", "2.0.0"):
        assert main(["compare", "--version", version]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == working.rstrip() or lines[0].split() == working.split()
        assert all("None" not in line for line in lines)


def test_an_unknown_launch_id_is_named(capsys):
    assert main(["query", "launch_timeline", "--param", "launch_id=2023-05-24-nobody"]) == 1
    err = capsys.readouterr().err
    assert "no launch_id '2023-05-24-nobody' in launches" in err and "2023-05-24-desantis-twitter-spaces" in err


def test_floats_are_rounded_for_reading_only(capsys):
    assert main(["sql", "select 1/3 as third"]) == 0
    assert "0.3333" in capsys.readouterr().out.splitlines()[-1]
    assert main(["sql", "select 1/3 as third", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0.3333333333333333"


def test_named_queries_are_table_macros_in_views_sql(monkeypatch):
    monkeypatch.chdir(ROOT)  # views.sql reads dataset/data relative to the repository root, as `duckdb -init` does
    con = duckdb.connect()
    con.execute((ROOT / "queries" / "views.sql").read_text())
    launch = "2023-05-24-desantis-twitter-spaces"
    macro = con.execute(f"from launch_timeline('{launch}')").fetchall()
    _, expected = run("launch_timeline", {"launch_id": launch})
    assert macro == expected and len(macro) > 5
    assert len(con.execute("from launches_side_by_side()").fetchall()) == len(run("launches_side_by_side")[1])
    assert os.path.exists(ROOT / "dataset" / "data" / "launches.parquet")
