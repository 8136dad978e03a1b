"""Bad input: every case gets an error naming the file, the record and the field, exit 1, nothing written."""
import pytest

from conftest import FIXTURE_LAUNCH, edit_yaml
from launchbench.cli import main

LAUNCH_FILE = FIXTURE_LAUNCH.split("/")[-1]


def _obs(doc, i=7):
    return doc["observations"][i]  # fx-peak-owner, a numeric audience figure


def _set_obs(**fields):
    return lambda doc: _obs(doc).update(fields)


def _text_edit(old, new):
    def apply(path):
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
    return apply


# (id, file to edit, change, expected record label, expected field, expected words in the message)
CASES = [
    ("malformed-yaml", FIXTURE_LAUNCH, _text_edit("observations:\n", "observations:\n  - [unclosed\n"),
     None, None, "malformed YAML"),
    ("duplicate-yaml-key", FIXTURE_LAUNCH, _text_edit("  title:", "  country: FR\n  title:"),
     None, None, "duplicate key 'country'"),
    ("unknown-field", FIXTURE_LAUNCH, _set_obs(qualifer="exact"),
     "observations[7] (fx-peak-owner)", "qualifer", "unknown field"),
    ("missing-required-field", FIXTURE_LAUNCH, lambda d: d["launch"].pop("summary"),
     "launches[0] (2023-05-24-candidate-a-demo-audio)", "summary", "missing required field"),
    ("time-without-offset", FIXTURE_LAUNCH, lambda d: d["observations"][1].update(value_time="2023-05-24T18:25"),
     "observations[1] (fx-start-wire)", "value_time", "zone offset"),
    ("unknown-metric", FIXTURE_LAUNCH, _set_obs(metric="listenerz"),
     "observations[7] (fx-peak-owner)", "metric", "unknown value 'listenerz'"),
    ("unknown-qualifier", FIXTURE_LAUNCH, _set_obs(qualifier="roughly"),
     "observations[7] (fx-peak-owner)", "qualifier", "unknown value 'roughly'"),
    ("unknown-enum", FIXTURE_LAUNCH, lambda d: d["launch"].update(event_kind="rally"),
     "launches[0] (2023-05-24-candidate-a-demo-audio)", "event_kind", "unknown value 'rally'"),
    ("negative-audience", FIXTURE_LAUNCH, _set_obs(value_num=-5),
     "observations[7] (fx-peak-owner)", "value_num", "below the minimum"),
    ("non-numeric-audience", FIXTURE_LAUNCH, _set_obs(value_num="lots"),
     "observations[7] (fx-peak-owner)", "value_num", "expected a number"),
    ("both-values", FIXTURE_LAUNCH, _set_obs(value_time="2023-05-24T18:25-04:00"),
     "observations[7] (fx-peak-owner)", "value_num", "exactly one of value_num and value_time"),
    ("neither-value", FIXTURE_LAUNCH, lambda d: _obs(d).pop("value_num"),
     "observations[7] (fx-peak-owner)", "value_num", "exactly one of value_num and value_time"),
    ("duplicate-id", FIXTURE_LAUNCH, lambda d: d["observations"][8].update(observation_id="fx-peak-owner"),
     "observations[8] (fx-peak-owner)", "observation_id", "duplicate id 'fx-peak-owner'"),
    ("dangling-source", FIXTURE_LAUNCH, _set_obs(source_id="nowhere"),
     "observations[7] (fx-peak-owner)", "source_id", "'nowhere' does not resolve to any sources.source_id"),
    ("dangling-actor", FIXTURE_LAUNCH, lambda d: d["claims"][0].update(claimant_actor_id="ghost"),
     "claims[0] (fx-claim-servers)", "claimant_actor_id", "'ghost' does not resolve to any actors.actor_id"),
    ("dangling-platform", FIXTURE_LAUNCH, lambda d: d["launch"].update(platform_id="myspace"),
     "launches[0] (2023-05-24-candidate-a-demo-audio)", "platform_id", "does not resolve to any platforms"),
    ("dangling-launch", FIXTURE_LAUNCH, lambda d: d["reactions"][0].update(references_launch_id="1999-01-01-x-y"),
     "reactions[0] (fx-rival-mock)", "references_launch_id", "does not resolve to any launches.launch_id"),
    ("non-http-url", "sources.yaml", lambda d: d["sources"][0].update(url="ftp://example.org/x"),
     "sources[0] (wire-one)", "url", "does not match the pattern"),
    ("dangling-report", "sources.yaml", lambda d: d["sources"][1].update(report_id="no-such-report"),
     "sources[1] (wire-one-carrier)", "report_id", "'no-such-report' does not resolve to any reports.report_id"),
    ("unknown-copy-kind", "sources.yaml", lambda d: d["sources"][1].update(copy_kind="copy"),
     "sources[1] (wire-one-carrier)", "copy_kind", "unknown value 'copy'"),
    ("dangling-observation-report", FIXTURE_LAUNCH, _set_obs(report_id="ghost-post"),
     "observations[7] (fx-peak-owner)", "report_id", "'ghost-post' does not resolve to any reports.report_id"),
    ("report-without-kind", "reports.yaml", lambda d: d["reports"][0].pop("report_kind"),
     "reports[0] (wire-story-one)", "report_kind", "missing required field"),
    ("unknown-evidence-stance", FIXTURE_LAUNCH, lambda d: d["claims"][0]["evidence"][1].update(stance="debunks"),
     "claims[0] (fx-claim-servers) > evidence[1] (fx-ev-servers-news)", "stance", "unknown value 'debunks'"),
    ("evidence-asserter-kind", FIXTURE_LAUNCH,
     lambda d: d["claims"][0]["evidence"][0].update(asserted_by_kind="journalist"),
     "claims[0] (fx-claim-servers) > evidence[0] (fx-ev-servers-wire)", "asserted_by_kind", "unknown value"),
    ("evidence-dangling-page", FIXTURE_LAUNCH, lambda d: d["claims"][1]["evidence"][0].update(source_id="nowhere"),
     "claims[1] (fx-claim-record) > evidence[0] (fx-ev-record-wire)", "source_id", "does not resolve"),
    ("evidence-duplicate-id", FIXTURE_LAUNCH,
     lambda d: d["claims"][1]["evidence"][0].update(evidence_id="fx-ev-servers-wire"),
     "claims[1] (fx-claim-record) > evidence[0] (fx-ev-servers-wire)", "evidence_id", "duplicate id"),
    ("evidence-not-a-list", FIXTURE_LAUNCH, lambda d: d["claims"][1].update(evidence="see the wire"),
     "claims[1] (fx-claim-record)", "evidence", "expected a list"),
    ("verdict-without-evidence", FIXTURE_LAUNCH, lambda d: d["claims"][1].pop("evidence"),
     "claims[1] (fx-claim-record)", "evidence", "verdict refuted needs evidence rows"),
    ("evidence-source-ids-are-derived", FIXTURE_LAUNCH, lambda d: d["claims"][1].update(evidence_source_ids=["x"]),
     "claims[1] (fx-claim-record)", "evidence_source_ids", "unknown field"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_precisely(case, records, tmp_path, capsys):
    _, rel, change, label, field, words = case
    path = records / rel
    if getattr(change, "__code__", None) and change.__code__.co_varnames[:1] == ("path",):
        change(path)
    else:
        edit_yaml(path, change)
    out = tmp_path / "data"
    assert main(["build", "--records", str(records), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    line = next((l for l in err.splitlines() if words in l), None)
    assert line, f"no line with {words!r} in:\n{err}"
    assert rel.split("/")[-1] in line
    if label:
        assert label in line
    if field:
        assert f"field '{field}'" in line
    assert not out.exists(), "nothing may be written on a failed build"
    assert [p.name for p in tmp_path.iterdir()] == ["records"]


def test_all_problems_are_reported_at_once(records, tmp_path, capsys):
    def two_mistakes(doc):
        doc["observations"][0]["qualifier"] = "roughly"
        doc["launch"]["country"] = "usa"
    edit_yaml(records / FIXTURE_LAUNCH, two_mistakes)
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert "2 problem(s)" in err and "field 'qualifier'" in err and "field 'country'" in err


def test_good_fixture_builds(records, tmp_path):
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "data")]) == 0


def test_evidence_written_under_claims_becomes_its_own_table(records, tmp_path):
    import pyarrow.parquet as pq

    assert main(["build", "--records", str(records), "--out", str(tmp_path / "data")]) == 0
    evidence = pq.read_table(tmp_path / "data" / "claim_evidence.parquet").to_pylist()
    assert [(e["evidence_id"], e["claim_id"], e["stance"]) for e in evidence] == [
        ("fx-ev-record-wire", "fx-claim-record", "refutes"),
        ("fx-ev-servers-news", "fx-claim-servers", "refutes"),
        ("fx-ev-servers-owner", "fx-claim-servers", "context"),
        ("fx-ev-servers-wire", "fx-claim-servers", "supports")]
    claims = {c["claim_id"]: c["evidence_source_ids"]
              for c in pq.read_table(tmp_path / "data" / "claims.parquet").to_pylist()}
    # the owner's own post is context: it is a row of claim_evidence but not independent evidence
    assert claims == {"fx-claim-record": ["wire-one-carrier"], "fx-claim-servers": ["news-two", "wire-one"]}
