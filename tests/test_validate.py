"""validate: the good data passes; each corruption fails and names its table, column and check."""
import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import DATA, rewrite
from launchbench.cli import main
from launchbench.validate import failed, validate

UTC = dt.timezone.utc


def first(rows, **match):
    return next(r for r in rows if all(r[k] == v for k, v in match.items()))


def set_on(match, **values):
    return lambda rows: first(rows, **match).update(values)


def _duplicate_first(rows):
    rows.append(dict(rows[0]))


def _naive_times(data):
    path = data / "launches.parquet"
    t = pq.read_table(path)
    i = t.schema.get_field_index("scheduled_start_utc")
    pq.write_table(t.set_column(i, pa.field("scheduled_start_utc", pa.timestamp("us")),
                                t.column(i).cast(pa.timestamp("us"))), path)


def _extra_column(data):
    path = data / "actors.parquet"
    t = pq.read_table(path)
    pq.write_table(t.append_column("nickname", pa.array(["x"] * t.num_rows)), path)


def _wrong_type(data):
    path = data / "observations.parquet"
    t = pq.read_table(path)
    i = t.schema.get_field_index("value_num")
    pq.write_table(t.set_column(i, "value_num", t.column(i).cast(pa.string())), path)


def _empty(data):
    path = data / "platforms.parquet"
    t = pq.read_table(path)
    pq.write_table(t.slice(0, 0), path)


def _orphan_source(rows):
    extra = dict(rows[0])
    extra.update(source_id="zz-never-cited", url="https://example.org/never")
    rows.append(extra)


def _early_start(rows):
    row = first(rows, metric="conversation_start", rank="normal")
    row["value_time_utc"] = row["value_time_utc"] - dt.timedelta(hours=2)


def _copy_observation(**changes):
    """A second row with the same words for the same figure, differing only in `changes` (and its id)."""
    def change(rows):
        extra = dict(first(rows, metric="peak_concurrent_listeners", rank="normal"))
        extra.update(observation_id="zz-copied-quote", **changes)
        rows.append(extra)
    return change


def _other_report(data):
    reports = pq.read_table(data / "reports.parquet").column("report_id").to_pylist()
    return reports[-1]


def _quote_under_two_reports(data):
    rewrite(data, "observations", _copy_observation(report_id=_other_report(data)))


def _orphan_report(rows):
    rows.append(dict(rows[0], report_id="zz-never-carried"))


def _start_off_delay(rows):
    row = first(rows, launch_id="2023-05-24-desantis-twitter-spaces")
    row["conversation_start_utc"] = row["conversation_start_utc"] + dt.timedelta(minutes=10)


def _claims_with(data, verdict):
    return {c["claim_id"]: c for c in pq.read_table(data / "claims.parquet").to_pylist() if c["verdict"] == verdict}


def _evidence_of(verdict, **changes):
    """Change every evidence row of the first claim with this verdict (so no row of it can decide it)."""
    def change(rows):
        target = sorted(set(_claims_with(DATA, verdict)))[0]
        for r in rows:
            if r["claim_id"] == target:
                r.update(changes)
    return change


def _evidence_on_claim_page(verdict):
    """Move a claim's evidence onto the claim's own page: the claimant's page cannot settle it."""
    def corrupt(data):
        claims = _claims_with(data, verdict)
        claim_id = sorted(claims)[0]
        rewrite(data, "claim_evidence", lambda rows: [r.update(source_id=claims[claim_id]["source_id"])
                                                      for r in rows if r["claim_id"] == claim_id])
        rewrite(data, "claims", set_on({"claim_id": claim_id}, evidence_source_ids=[claims[claim_id]["source_id"]]))
    return corrupt


# (id, corruption: a function of the data folder, expected table, expected column, expected words in the check)
C = lambda table, change: (lambda data: rewrite(data, table, change))
CORRUPTIONS = [
    ("negative-audience", C("observations", set_on({"metric": "peak_concurrent_listeners"}, value_num=-5.0)),
     "observations", "value_num", "between"),
    ("duplicate-primary-key", C("observations", _duplicate_first), "observations", "observation_id", "unique"),
    ("dangling-source-id", C("observations", set_on({"metric": "delay_minutes"}, source_id="nowhere")),
     "observations", "source_id", "foreign_key"),
    ("unknown-enum", C("claims", set_on({"verdict": "disputed"}, verdict="maybe")), "claims", "verdict", "in_set"),
    ("naive-timestamp", _naive_times, "launches", "scheduled_start_utc", "column_type"),
    ("far-future-timestamp", C("timeline", set_on({"seq": 1}, at_utc=dt.datetime(2204, 5, 24, tzinfo=UTC))),
     "timeline", "at_utc", "between"),
    ("delay-10000-minutes", C("observations", set_on({"metric": "delay_minutes"}, value_num=10000.0)),
     "observations", "value_num", "between"),
    ("empty-publisher", C("sources", set_on({}, publisher="")), "sources", "publisher", "lengths"),
    ("non-http-url", C("sources", set_on({}, url="ftp://example.org/x")), "sources", "url", "regex"),
    ("refuted-on-context-only", lambda data: rewrite(data, "claim_evidence", _evidence_of("refuted", stance="context")),
     "claims", "verdict", "verdict_has_deciding_evidence"),
    ("supported-by-interested-party-only",
     lambda data: rewrite(data, "claim_evidence", _evidence_of("supported", asserted_by_kind="campaign")),
     "claims", "verdict", "verdict_has_deciding_evidence"),
    ("disputed-on-claimants-own-page", _evidence_on_claim_page("disputed"),
     "claims", "verdict", "verdict_has_deciding_evidence"),
    ("evidence-source-ids-disagree", C("claims", set_on({"verdict": "refuted"}, evidence_source_ids=[])),
     "claims", "evidence_source_ids", "evidence_source_ids_agree"),
    ("evidence-quote-a-paragraph", C("claim_evidence", lambda rows: rows[0].update(quote=" ".join(["word"] * 60))),
     "claim_evidence", "quote", "evidence_quotes_short"),
    ("evidence-note-template", C("claim_evidence", lambda rows: rows[1].update(note=rows[0]["note"])),
     "claim_evidence", "note", "evidence_notes_written_per_row"),
    ("metrics-disagree", C("launch_metrics", set_on({}, peak_listeners=123.0)),
     "launch_metrics", "peak_listeners", "launch_metrics_matches_observations"),
    ("missing-table", lambda data: (data / "reactions.parquet").unlink(), "reactions", None, "table_exists"),
    ("extra-unknown-column", _extra_column, "actors", "nickname", "no_unknown_columns"),
    ("wrong-column-type", _wrong_type, "observations", "value_num", "column_type"),
    ("empty-table", _empty, "platforms", None, "row_count"),
    ("both-value-fields", C("observations", set_on({"metric": "peak_concurrent_listeners"},
                                                   value_time_utc=dt.datetime(2023, 5, 24, tzinfo=UTC))),
     "observations", "value_time_utc", "be_null"),
    ("orphan-source", C("sources", _orphan_source), "sources", "source_id", "no_orphan_sources"),
    ("relaunch-flag-without-rows", C("launches", set_on({"relaunched": False}, relaunched=True)),
     "launches", "relaunched", "relaunched_has_relaunch_observations"),
    ("start-long-before-schedule", C("observations", _early_start),
     "observations", "value_time_utc", "conversation_starts_after_schedule"),
    ("quote-under-two-reports", _quote_under_two_reports, "observations", "evidence_quote",
     "problem=two reports"),
    ("quote-under-two-reporter-kinds", C("observations", _copy_observation(reporter_kind="commentator")),
     "observations", "evidence_quote", "problem=two reporter kinds"),
    ("start-disagrees-with-delay", C("launch_metrics", _start_off_delay),
     "launch_metrics", "conversation_start_utc", "conversation_start_agrees_with_delay"),
    ("report-no-page-carries", C("reports", _orphan_report), "reports", "report_id", "no_orphan_reports"),
    ("source-report-dangles", C("sources", set_on({}, report_id="nowhere")),
     "sources", "report_id", "foreign_key -> reports.report_id"),
]


def test_committed_data_passes():
    results = validate(DATA)
    assert failed(results) == [], "\n".join(r.describe() for r in failed(results))
    assert len(results) > 150
    kinds = {r.kind for r in results}
    assert kinds == {"structure", "expectation", "cross_table"}


@pytest.mark.parametrize("case", CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_corruption_fails_and_names_table_column_check(case, data, capsys):
    _, corrupt, table, column, words = case
    corrupt(data)
    assert main(["validate", "--data", str(data), "--no-docs"]) == 1
    out = capsys.readouterr().out
    critical = out.split("CRITICAL")[1].split("WARNING")[0]
    where = f"{table}.{column}" if column else f"{table}:"
    lines = [l for l in critical.splitlines() if where in l and words in l]
    assert lines, f"no critical line naming {where} and {words!r} in:\n{critical}"


def test_json_report(tmp_path):
    import json

    report = tmp_path / "report.json"
    assert main(["validate", "--no-docs", "--json", str(report)]) == 0
    payload = json.loads(report.read_text())
    assert payload["success"] is True
    assert {"table", "column", "check", "severity", "success"} <= set(payload["checks"][0])


def test_gx_exception_info_counts_as_failure(data):
    """An expectation GX cannot run (here: a column that is not there) must fail, never pass silently."""
    from launchbench.expectations import Expectation
    from launchbench.gx_engine import run_table

    frame = pq.read_table(data / "actors.parquet").to_pandas()
    exp = Expectation("actors", "expect_column_values_to_not_be_null", {"column": "no_such_column"})
    outcome = run_table(frame, "actors", [exp])[0]
    assert outcome.success is False and outcome.error


def _by_check(results):
    return {(r.table, r.check, r.column): (r.success, r.unexpected_count)
            for r in results if r.kind == "expectation"}


def test_duckdb_engine_agrees_with_gx(data):
    """The fast engine is only a faster way to run the same GX suites: both must give the same answers."""
    rewrite(data, "observations", set_on({"metric": "peak_concurrent_listeners"}, value_num=-5.0,
                                         value_time_utc=dt.datetime(2300, 1, 1, tzinfo=UTC)))
    rewrite(data, "sources", lambda rows: (rows[0].update(publisher="", url="ftp://x"), rows.append(dict(rows[1]))))
    rewrite(data, "claims", set_on({"verdict": "disputed"}, verdict="maybe"))
    fast, gx = validate(data, engine="duckdb"), validate(data, engine="gx")
    assert _by_check(fast) == _by_check(gx)
    assert sum(not ok for ok, _ in _by_check(fast).values()) >= 6


def _results(data, check):
    return [r for r in validate(data) if r.check == check]


def test_a_template_verdict_note_fails(data):
    [result] = _results(data, "verdict_notes_written_per_claim")
    assert result.success and result.severity == "critical"
    rewrite(data, "claims", lambda rows: rows[1].update(verdict_note=rows[0]["verdict_note"]))
    [result] = _results(data, "verdict_notes_written_per_claim")
    assert not result.success and result.unexpected_count == 1


def test_one_figure_with_two_verdicts_is_flagged(data):
    def two_verdicts(rows):
        for r in rows:  # give every claim its own figure, then make two of them assert the same one differently
            r.update(statement=f"claim {r['claim_id']}", claim_kind="other")
        rows[0].update(statement="Over 2 million listened", claim_kind="audience_record", verdict="supported")
        rows[1].update(statement="mehr als 2 Millionen Zuhörer", claim_kind="audience_record", verdict="refuted",
                       launch_id=rows[0]["launch_id"])
    rewrite(data, "claims", two_verdicts)
    [result] = _results(data, "same_assertion_same_verdict")
    assert not result.success and result.severity == "critical" and result.unexpected_count == 1
    assert "2000000" in " ".join(result.sample)


def test_every_launch_meets_the_coverage_standard(data):
    # a warning, so that the small test fixture may fall short; the committed data must not
    [result] = _results(data, "launch_meets_coverage_standard")
    assert result.success, result.sample
    launch = "2023-05-24-desantis-twitter-spaces"
    rewrite(data, "timeline", lambda rows: rows.__setitem__(
        slice(None), [r for r in rows if r["launch_id"] != launch or r["seq"] <= 2]))
    [result] = _results(data, "launch_meets_coverage_standard")
    assert not result.success and result.unexpected_count == 1 and launch in " ".join(map(str, result.sample))
