"""Build: deterministic bytes, staleness check, atomic failure, and the resolution rule."""
import datetime as dt
import statistics

import pyarrow.parquet as pq
import pytest

from conftest import FIXTURE_LAUNCH, ROOT, edit_yaml, sha256_files
from launchbench.build import build, stale_files
from launchbench.cli import main
from launchbench.schema import load_schemas


def test_two_builds_are_byte_identical(records, tmp_path):
    build(tmp_path / "a", records)
    build(tmp_path / "b", records)
    first, second = sha256_files(tmp_path / "a"), sha256_files(tmp_path / "b")
    assert len(first) == len(load_schemas())
    assert first == second


def test_every_table_has_the_schema_arrow_types(records, tmp_path):
    build(tmp_path / "d", records)
    for name, table in load_schemas().items():
        on_disk = pq.read_schema(tmp_path / "d" / f"{name}.parquet")
        assert on_disk.remove_metadata() == table.arrow_schema().remove_metadata(), name


def test_check_reports_stale_data(records, tmp_path, capsys):
    out = tmp_path / "data"
    build(out, records)
    assert stale_files(out, records) == []
    assert main(["build", "--check", "--records", str(records), "--out", str(out)]) == 0
    edit_yaml(records / FIXTURE_LAUNCH, lambda d: d["launch"].update(title="Renamed"))
    stale = stale_files(out, records)
    assert [f for f in stale if f.endswith(".parquet")] == [
        "benchmark_claims.parquet", "launch_metrics.parquet", "launches.parquet"]  # the title is in the claim context
    assert {"croissant.json", "datapackage.json"} <= set(stale)  # their checksums name the changed files
    assert main(["build", "--check", "--records", str(records), "--out", str(out)]) == 1
    assert "stale" in capsys.readouterr().err


def test_failed_build_leaves_existing_data_untouched(records, tmp_path):
    out = tmp_path / "data"
    build(out, records)
    before = sha256_files(out)
    edit_yaml(records / FIXTURE_LAUNCH, lambda d: d["observations"][0].update(metric="bogus"))
    assert main(["build", "--records", str(records), "--out", str(out)]) == 1
    assert sha256_files(out) == before
    # no staging folder left behind; only the first build's data and metadata files
    assert {p.name for p in tmp_path.iterdir()} == {"records", "data", "README.md", "croissant.json",
                                                   "datapackage.json"}


def test_committed_data_is_fresh():
    """CI fails when dataset/data is stale against dataset/records."""
    assert stale_files(ROOT / "dataset" / "data", ROOT / "dataset" / "records") == []


def _lower_median(values):
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def test_launch_metrics_follow_the_rule(records, tmp_path):
    """Recompute the fixture's launch_metrics in plain Python from the written rule."""
    build(tmp_path / "d", records)
    obs = pq.read_table(tmp_path / "d" / "observations.parquet").to_pylist()
    launch = pq.read_table(tmp_path / "d" / "launches.parquet").to_pylist()[0]
    got = pq.read_table(tmp_path / "d" / "launch_metrics.parquet").to_pylist()[0]
    live = [o for o in obs if o["rank"] != "deprecated"]

    def point(rows, field):
        preferred = [r[field] for r in rows if r["rank"] == "preferred"]
        return _lower_median(preferred or [r[field] for r in rows])

    starts = [o for o in live if o["metric"] == "conversation_start"]
    delays = [o["value_num"] for o in live if o["metric"] == "delay_minutes"] + [
        (o["value_time_utc"] - launch["scheduled_start_utc"]).total_seconds() / 60 for o in starts]
    peaks = [o for o in live if o["metric"] == "peak_concurrent_listeners"]
    independent = [o for o in peaks if o["reporter_kind"] in ("wire_service", "news_outlet", "analyst", "outage_tracker")]
    claimed = [o for o in peaks if o["reporter_kind"] in ("platform_owner", "platform", "host", "campaign")]

    assert got["conversation_start_utc"] == point(starts, "value_time_utc")
    assert got["delay_minutes"] == _lower_median(delays) == 25.0  # 20 reported, 25 and 31 implied; 90 deprecated
    assert (got["delay_minutes_low"], got["delay_minutes_high"]) == (min(delays), max(delays)) == (20.0, 31.0)
    assert got["peak_listeners"] == point(peaks, "value_num") == 420000
    assert (got["peak_listeners_low"], got["peak_listeners_high"]) == (300000, 600000)
    assert got["peak_listeners_independent"] == point(independent, "value_num") == 300000
    assert got["peak_listeners_claimed"] == point(claimed, "value_num") == 600000
    assert got["duration_minutes"] == 75
    assert (got["claimed_cause"], got["claimed_cause_verdict"]) == ("cause_demand", "disputed")
    assert got["n_sources"] == 3 and got["n_observations"] == len(obs) == 9
    assert got["scheduled_start_utc"] == dt.datetime(2023, 5, 24, 22, 0, tzinfo=dt.timezone.utc)


def test_preferred_rows_decide_the_point(records, tmp_path):
    def prefer_high(doc):
        for o in doc["observations"]:
            if o["observation_id"] == "fx-peak-owner":
                o.update(rank="preferred", rank_reason="test")
    edit_yaml(records / FIXTURE_LAUNCH, prefer_high)
    build(tmp_path / "d", records)
    got = pq.read_table(tmp_path / "d" / "launch_metrics.parquet").to_pylist()[0]
    assert got["peak_listeners"] == 600000
    assert (got["peak_listeners_low"], got["peak_listeners_high"]) == (300000, 600000)


def test_timeline_is_numbered_in_time_order(records, tmp_path):
    build(tmp_path / "d", records)
    rows = pq.read_table(tmp_path / "d" / "timeline.parquet").to_pylist()
    assert [(r["seq"], r["kind"]) for r in rows] == [(1, "scheduled"), (2, "conversation_start")]


def test_metrics_sql_uses_the_schema_reporter_kinds():
    import re

    from launchbench.schema import reporter_kinds

    sql = (ROOT / "queries" / "derived" / "launch_metrics.sql").read_text()
    for flag in ("independent", "interested"):
        match = re.search(rf"reporter_kind in \(([^)]*)\) as {flag}", sql)
        assert match, flag
        assert sorted(re.findall(r"'([a-z_]+)'", match.group(1))) == reporter_kinds(flag), flag
