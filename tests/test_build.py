"""Build: deterministic bytes, staleness check, atomic failure, and the resolution rule."""
import datetime as dt

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
        "benchmark_claims.parquet", "benchmark_questions.parquet", "launch_metrics.parquet",
        "launches.parquet"]  # the title is in the claim context and in the templated questions
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


ROLE = {"exact": "point", "approx": "point", "more_than": "lower", "at_least": "lower",
        "at_most": "upper", "less_than": "upper", "up_to": "upper"}


def _resolve(rows, value, peak=False):
    """The written rule, re-implemented without SQL: one vote per report and role, the point from point votes,
    bounds only widen the range (or stand in, with their basis, when there is no point vote)."""
    if any(r["rank"] == "preferred" and ROLE[r["qualifier"]] == "point" for r in rows):
        rows = [r for r in rows if ROLE[r["qualifier"]] != "point" or r["rank"] == "preferred"]
    by_report: dict = {}
    for r in rows:
        by_report.setdefault((r["report"], ROLE[r["qualifier"]]), []).append(value(r))
    votes = {"point": {}, "lower": {}, "upper": {}}
    for (report, role), vs in by_report.items():
        votes[role][report] = (max(vs) if role == "lower" or (role == "point" and peak)
                               else min(vs) if role == "upper" else _lower_median(vs))
    points, lowers, uppers = votes["point"], votes["lower"], votes["upper"]
    if points:
        lo = min([*points.values(), *[u for u in uppers.values() if u < min(points.values())]])
        hi = max([*points.values(), *[v for v in lowers.values() if v > max(points.values())]])
        return "point", _lower_median(points.values()), lo, hi, sorted(points)
    if lowers:  # bounds only: the greatest lower bound, backed by the reports that give it
        best = max(lowers.values())
        return ("lower_bound", best, best, min(uppers.values()) if uppers else None,
                sorted(r for r, v in lowers.items() if v == best))
    best = min(uppers.values())
    return "upper_bound", best, None, best, sorted(r for r, v in uppers.items() if v == best)


def _fixture_rows(folder):
    obs = pq.read_table(folder / "observations.parquet").to_pylist()
    page_report = {s["source_id"]: s["report_id"] for s in pq.read_table(folder / "sources.parquet").to_pylist()}
    for o in obs:
        o["report"] = o["report_id"] or page_report[o["source_id"]]
    return obs


def test_launch_metrics_follow_the_rule(records, tmp_path):
    """Recompute the fixture's launch_metrics in plain Python from the written rule."""
    build(tmp_path / "d", records)
    obs = _fixture_rows(tmp_path / "d")
    launch = pq.read_table(tmp_path / "d" / "launches.parquet").to_pylist()[0]
    got = pq.read_table(tmp_path / "d" / "launch_metrics.parquet").to_pylist()[0]
    live = [o for o in obs if o["rank"] != "deprecated"]
    independent = [o for o in live if o["reporter_kind"] in ("wire_service", "news_outlet", "analyst", "outage_tracker")]

    delays = [o for o in independent if o["metric"] in ("delay_minutes", "conversation_start")]
    minutes = lambda o: o["value_num"] if o["metric"] == "delay_minutes" else (
        o["value_time_utc"] - launch["scheduled_start_utc"]).total_seconds() / 60
    # the wire story's three pages are one vote; the news report gives 20 and 31, its vote is 20; "more than 40"
    # is a bound above the points: it widens the range and never becomes the point
    assert _resolve(delays, minutes) == ("point", 20.0, 20.0, 40.0, ["news-story-two", "wire-story-one"])
    assert (got["delay_basis"], got["delay_minutes"], got["delay_minutes_low"], got["delay_minutes_high"],
            got["delay_report_ids"]) == _resolve(delays, minutes)
    assert got["delay_n_reports"] == 2
    # derived values agree: the programme's start is the schedule plus the delay
    assert got["conversation_start_utc"] == launch["scheduled_start_utc"] + dt.timedelta(minutes=20)

    peaks = lambda rows: [o for o in rows if o["metric"] == "peak_concurrent_listeners"]
    value = lambda o: o["value_num"]
    # three pages of one wire story give one vote; the news report's "at least 420,000" stays a bound; the
    # commentator's 900,000 and the owner's "over 600k" never enter the independent point
    assert _resolve(peaks(independent), value, peak=True) == ("point", 300000, 300000, 420000, ["wire-story-one"])
    assert (got["peak_listeners_basis"], got["peak_listeners"], got["peak_listeners_low"],
            got["peak_listeners_high"], got["peak_listeners_report_ids"]) == _resolve(peaks(independent), value, True)
    assert got["peak_listeners_independent"] == got["peak_listeners"] and got["peak_listeners_n_reports"] == 1
    # the owner's post, quoted on a second page, is one assertion; a bound only, and the basis says so
    assert (got["peak_listeners_claimed_basis"], got["peak_listeners_claimed"],
            got["peak_listeners_claimed_report_ids"]) == ("lower_bound", 600000, ["owner-post-three"])

    durations = [o for o in independent if o["metric"] == "duration_minutes"]
    assert _resolve(durations, value)[:2] == ("point", 60)  # votes 60 and 75 (not 60, 75, 75, 75)
    assert (got["duration_minutes"], got["duration_n_reports"]) == (60, 2)
    assert (got["claimed_cause"], got["claimed_cause_verdict"]) == ("cause_demand", "disputed")
    assert got["n_sources"] == 6 and got["n_reports"] == 4 and got["n_observations"] == len(obs) == 18
    assert got["scheduled_start_utc"] == dt.datetime(2023, 5, 24, 22, 0, tzinfo=dt.timezone.utc)


def test_a_bound_only_metric_reports_its_basis(records, tmp_path):
    def bounds_only(doc):
        doc["observations"] = [o for o in doc["observations"]
                               if not (o["metric"] == "peak_concurrent_listeners" and o["qualifier"] == "approx")]
    edit_yaml(records / FIXTURE_LAUNCH, bounds_only)
    build(tmp_path / "d", records)
    got = pq.read_table(tmp_path / "d" / "launch_metrics.parquet").to_pylist()[0]
    assert (got["peak_listeners_basis"], got["peak_listeners"], got["peak_listeners_low"],
            got["peak_listeners_high"], got["peak_listeners_report_ids"]) == (
        "lower_bound", 420000, 420000, None, ["news-story-two"])


def test_preferred_rows_decide_the_point(records, tmp_path):
    def prefer_news(doc):
        for o in doc["observations"]:
            if o["observation_id"] == "fx-duration-wire":
                o.update(rank="preferred", rank_reason="test")
    edit_yaml(records / FIXTURE_LAUNCH, prefer_news)
    build(tmp_path / "d", records)
    got = pq.read_table(tmp_path / "d" / "launch_metrics.parquet").to_pylist()[0]
    assert (got["duration_minutes"], got["duration_report_ids"]) == (75, ["wire-story-one"])
    assert (got["duration_minutes_low"], got["duration_minutes_high"]) == (75, 75)


def test_timeline_is_numbered_in_time_order(records, tmp_path):
    build(tmp_path / "d", records)
    rows = pq.read_table(tmp_path / "d" / "timeline.parquet").to_pylist()
    assert [(r["seq"], r["kind"]) for r in rows] == [(1, "scheduled"), (2, "conversation_start")]


def test_no_vocabulary_is_typed_in_sql():
    """Reporter kinds and audience metrics reach SQL through the views generated from schemas/, never as lists."""
    import re

    from launchbench.schema import load_schemas

    kinds = set(load_schemas()["observations"].extras["reporter_kinds"])
    for path in [*(ROOT / "queries").rglob("*.sql"), *(ROOT / "validation" / "checks").glob("*.sql")]:
        if path.name == "views.sql":
            continue
        lists = re.findall(r"(?:reporter_kind|claimant_kind|metric) (?:not )?in \(([^)]*)\)", path.read_text())
        for found in lists:
            named = set(re.findall(r"'([a-z_]+)'", found))
            assert not named & kinds, f"{path.name} types reporter kinds {sorted(named & kinds)}"
            assert not {"concurrent_listeners", "cumulative_listeners"} & named, f"{path.name} types audience metrics"


def test_the_largest_room_leads_the_peak(records, tmp_path):
    """A peak is a maximum: the room whose reports give the highest peak leads, and a smaller room's peak and any
    moment's concurrent count only bound the event's peak from below."""
    def add_rows(doc):
        base = dict(reported_by="Other News", reporter_kind="news_outlet", source_id="news-four", rank="normal")
        doc["observations"] += [
            dict(base, observation_id="fx-peak-original", metric="peak_concurrent_listeners", stream_part="original",
                 value_num=500000, qualifier="exact", evidence_quote="peaked at 500,000 in the first room"),
            dict(base, observation_id="fx-concurrent", metric="concurrent_listeners", stream_part="original",
                 value_num=550000, qualifier="approx", evidence_quote="about 550,000 were listening at 6:05")]
    edit_yaml(records / FIXTURE_LAUNCH, add_rows)
    build(tmp_path / "d", records)
    got = pq.read_table(tmp_path / "d" / "launch_metrics.parquet").to_pylist()[0]
    # the original room (500,000) leads the relaunch (300,000); the 550,000 moment raises the range's top
    assert (got["peak_listeners_basis"], got["peak_listeners"], got["peak_listeners_low"],
            got["peak_listeners_high"], got["peak_listeners_report_ids"]) == (
        "point", 500000, 500000, 550000, ["news-story-four"])


def test_a_vocabulary_split_at_a_comma_is_refused(tmp_path):
    """An unquoted comma inside a flow mapping turns half a description into a stray attribute."""
    import shutil

    from launchbench.schema import SchemaError, _load_table

    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    path = tmp_path / "schemas" / "reports.yaml"
    text = path.read_text()
    path.write_text(text.replace("wire_story: {independent: true, description: 'A news agency''s story",
                                 "wire_story: {independent: true, description: A news agency, story"))
    with pytest.raises(SchemaError, match=r"report_kinds\.wire_story: attribute 'story"):
        _load_table(path)


def test_a_figure_read_only_on_a_rewrite_does_not_vote(records, tmp_path):
    """A machine rewrite may garble figures: its row stays in observations but enters no headline figure."""
    def garble(doc):
        for o in doc["observations"]:
            if o["observation_id"] == "fx-peak-wire-mirror":
                o.update(value_num=990000, qualifier="exact", evidence_quote="some 990,000 listened")
    edit_yaml(records / FIXTURE_LAUNCH, garble)
    edit_yaml(records / "sources.yaml", lambda d: next(
        s for s in d["sources"] if s["source_id"] == "wire-one-mirror").update(copy_kind="rewrite"))
    build(tmp_path / "d", records)
    got = pq.read_table(tmp_path / "d" / "launch_metrics.parquet").to_pylist()[0]
    obs = pq.read_table(tmp_path / "d" / "observations.parquet").to_pylist()
    assert any(o["value_num"] == 990000 for o in obs)  # kept, for the record
    assert (got["peak_listeners"], got["peak_listeners_high"]) == (300000, 420000)  # but it does not vote
