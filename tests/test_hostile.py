"""Hostile and careless input, as a prober would try it: every case gets a clear, located error, exits 1, never
shows a traceback, and leaves nothing half-written. (Releases tampered on read: tests/test_release.py.)"""
import json
import os
import shutil
import signal

import pyarrow.parquet as pq
import pytest
import yaml

from conftest import FIXTURE_LAUNCH, edit_yaml, rewrite
from launchbench.cli import main

LAUNCH = FIXTURE_LAUNCH.split("/")[-1]


# ---------------------------------------------------------------- records

def _text(rel, old, new):
    def apply(records):
        path = records / rel
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
    return apply


def _yaml(rel, change):
    return lambda records: edit_yaml(records / rel, change)


def _write(rel, data: bytes):
    return lambda records: (records / rel).write_bytes(data)


def _rename_launch_to(new_id):
    def apply(records):
        path = records / FIXTURE_LAUNCH
        path.write_text(path.read_text().replace("2023-05-24-candidate-a-demo-audio", new_id))
        path.rename(path.with_name(f"{new_id}.yaml"))
    return apply


def _symlink(rel, target):
    def apply(records):
        (records / rel).unlink(missing_ok=True)
        (records / rel).symlink_to(target)
    return apply


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
_obs = lambda **fields: _yaml(FIXTURE_LAUNCH, lambda d: d["observations"][7].update(fields))
_summary = lambda text: _yaml(FIXTURE_LAUNCH, lambda d: d["launch"].update(summary=text))

# (id, change, file named in the error, record label or None, field or None, words)
RECORD_CASES = [
    ("impossible-date", _rename_launch_to("2023-02-30-candidate-a-demo-audio"), "2023-02-30-candidate-a-demo-audio.yaml",
     "launches[0]", "launch_id", "not a real date"),
    ("offset-plus-25", _text(FIXTURE_LAUNCH, '"2023-05-24T18:25-04:00", qualifier: approx', '"2023-05-24T18:25+25:00", '
                             'qualifier: approx'), LAUNCH, "observations[1] (fx-start-wire)", "value_time", "not a real time"),
    ("bad-utf8", lambda r: (r / FIXTURE_LAUNCH).write_bytes((r / FIXTURE_LAUNCH).read_bytes() + b"# \xff\xfe\n"),
     LAUNCH, None, None, "not valid UTF-8"),
    ("empty-launch-file", _write(FIXTURE_LAUNCH, b""), LAUNCH, None, None, "is empty"),
    ("comment-only-launch-file", _write(FIXTURE_LAUNCH, b"# nothing here yet\n"), LAUNCH, None, None, "is empty"),
    ("yml-launch-file", lambda r: shutil.copy(r / FIXTURE_LAUNCH, r / "launches" / "2023-06-01-b-demo-audio.yml"),
     "2023-06-01-b-demo-audio.yml", None, None, "not a launch file"),
    ("empty-actors", _write("actors.yaml", b""), "actors.yaml", None, None, "is empty"),
    ("yaml-alias-bomb", _write(FIXTURE_LAUNCH, BOMB.encode()), LAUNCH, None, None, "aliases"),
    ("symlink-out", _symlink("launches/2023-06-02-evil-demo-audio.yaml", "/etc/hostname"),
     "2023-06-02-evil-demo-audio.yaml", None, None, "symbolic link"),
    ("symlink-dev-zero", _symlink("sources.yaml", "/dev/zero"), "sources.yaml", None, None, "symbolic link"),
    ("huge-file", lambda r: (r / FIXTURE_LAUNCH).write_text((r / FIXTURE_LAUNCH).read_text() + "#" * 6_000_000),
     LAUNCH, None, None, "at most 5,000,000"),
    ("nan", _text(FIXTURE_LAUNCH, "value_num: 600000, qualifier: more_than, reported_by: Owner Person, reporter_kind: "
                  "platform_owner, source_id: post-three", "value_num: .nan, qualifier: more_than, reported_by: Owner "
                  "Person, reporter_kind: platform_owner, source_id: post-three"),
     LAUNCH, "observations[7] (fx-peak-owner)", "value_num", "not a finite number"),
    ("infinity", _obs(value_num=float("inf")), LAUNCH, "observations[7] (fx-peak-owner)", "value_num", "not a finite"),
    ("year-9999", _yaml(FIXTURE_LAUNCH, lambda d: d["timeline"][0].update(at="9999-01-01T00:00+00:00")),
     LAUNCH, "timeline[0]", "at", "outside 2000"),
    ("url-with-markup", _yaml("sources.yaml", lambda d: d["sources"][0].update(url='https://example.org/"><script>')),
     "sources.yaml", "sources[0] (wire-one)", "url", "does not match the pattern"),
    ("megabyte-summary", _summary("x" * 1_000_000), LAUNCH, "launches[0]", "summary", "at most 100,000"),
    ("bidi-override", _summary("A summary that turns \u202eeverything around."), LAUNCH, "launches[0]", "summary",
     "U+202E"),
    ("zero-width", _yaml(FIXTURE_LAUNCH, lambda d: d["reactions"][0].update(statement="What a\u200b disaster!")),
     LAUNCH, "reactions[0] (fx-rival-mock)", "statement", "U+200B"),
]


@pytest.mark.parametrize("case", RECORD_CASES, ids=[c[0] for c in RECORD_CASES])
def test_bad_records_are_refused_precisely(case, records, tmp_path, capsys):
    _, change, file, label, field, words = case
    change(records)
    out = tmp_path / "data"
    assert main(["build", "--records", str(records), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    line = next((l for l in err.splitlines() if words in l), None)
    assert line, f"no line with {words!r} in:\n{err[:3000]}"
    assert file in line and (not label or label in line) and (not field or f"field '{field}'" in line), line
    assert len(line) < 600, "a quoted value must be shortened"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records"], "nothing may be written"


def test_an_empty_registry_is_one_error_not_hundreds(records, tmp_path, capsys):
    (records / "actors.yaml").write_text("")
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "data")]) == 1
    assert "1 problem(s)" in capsys.readouterr().err


def test_a_long_bad_value_is_shortened_in_the_message(records, tmp_path, capsys):
    edit_yaml(records / FIXTURE_LAUNCH, lambda d: d["observations"][7].update(qualifier="roughly" * 2000))
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "data")]) == 1
    line = next(l for l in capsys.readouterr().err.splitlines() if "unknown value" in l)
    assert "(14002 characters)" in line and len(line) < 400


# ---------------------------------------------------------------- build: atomic, recovered, clean

def _good_build(records, out):
    assert main(["build", "--records", str(records), "--out", str(out)]) == 0


def test_leftovers_of_a_crashed_build_are_cleaned_up(records, tmp_path):
    out = tmp_path / "site" / "data"
    _good_build(records, out)
    (out.parent / ".build-crashed").mkdir()  # an unfinished staging folder: no COMMIT marker
    (out.parent / ".build-crashed" / "half.parquet").write_bytes(b"PAR1")
    shutil.copytree(out, out.parent / ".data-old")  # a retired copy that was never removed
    _good_build(records, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["README.md", "croissant.json", "data", "datapackage.json"]


def test_a_crash_between_the_renames_is_finished_by_the_next_build(records, tmp_path, monkeypatch):
    from launchbench import build as build_module
    from launchbench.build import stale_files

    out = tmp_path / "site" / "data"
    _good_build(records, out)
    edit_yaml(records / FIXTURE_LAUNCH, lambda d: d["launch"].update(title="A changed title"))
    real_replace = os.replace

    def crash(*args):  # the data folder is already swapped; the card files are not
        raise OSError("simulated crash")
    monkeypatch.setattr(build_module.os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        build_module.build(out, records)
    assert [p.name for p in out.parent.glob(".build-*")], "the complete staging folder is kept for recovery"
    assert stale_files(out, records), "data and card disagree until the swap is finished"
    monkeypatch.setattr(build_module.os, "replace", real_replace)
    _good_build(records, out)  # recovers, then builds again
    assert stale_files(out, records) == []
    assert not list(out.parent.glob(".build-*")) and not (out.parent / ".data-old").exists()


def test_a_lost_data_folder_comes_back_from_the_retired_copy(records, tmp_path):
    from launchbench.build import _recover

    out = tmp_path / "site" / "data"
    _good_build(records, out)
    out.rename(out.with_name(".data-old"))  # crashed after retiring the old copy, before the new one arrived
    _recover(out)
    assert (out / "launches.parquet").exists() and not out.with_name(".data-old").exists()


def test_the_data_folder_has_normal_permissions(records, tmp_path):
    old = os.umask(0o022)
    try:
        _good_build(records, tmp_path / "data")
    finally:
        os.umask(old)
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "data" / "launches.parquet").stat().st_mode & 0o777 == 0o644


def test_sigterm_during_a_build_leaves_nothing_behind(records, tmp_path, monkeypatch):
    from launchbench import build as build_module

    out = tmp_path / "site" / "data"
    _good_build(records, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = build_module.build_into

    def killed(folder, recs):
        real(folder, recs)
        os.kill(os.getpid(), signal.SIGTERM)
    monkeypatch.setattr(build_module, "build_into", killed)
    with pytest.raises(SystemExit):
        build_module.build(out, records)
    assert not list(out.parent.glob(".build-*"))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# ---------------------------------------------------------------- read-only SQL

REFUSED_SQL = [
    ("EXPLAIN ANALYZE DROP VIEW launches", "EXPLAIN wraps a DROP"),
    ("EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1", "EXPLAIN wraps a CREATE"),
    ("explain analyze create macro m() as 1", "EXPLAIN wraps a CREATE"),
    ("/* hidden */ EXPLAIN (FORMAT JSON) DELETE FROM launches", "EXPLAIN wraps a DELETE"),
    ("drop view launches", "DROP statement"),
    ("insert into launches select * from launches", "INSERT statement"),
    ("copy launches to '/tmp/out.csv'", "COPY statement"),
    ("attach '/tmp/other.db' as other", "ATTACH statement"),
    ("install httpfs", "LOAD statement"),  # DuckDB parses INSTALL as a LOAD-type statement
    ("load httpfs", "LOAD statement"),
    ("set memory_limit = '100GB'", "SET statement"),
    ("pragma version", "PRAGMA statement"),
    ("call pragma_version()", "CALL statement"),
    ("select 1; drop view launches", "exactly one statement"),
    ("select * from read_csv('/etc/passwd')", "outside the data folder"),
    ("select * from read_parquet('/work/../etc/*.parquet')", "outside the data folder"),
    ("select * from query('drop view launches')", "Expected a single SELECT statement"),
    ("seleckt 1", "not valid SQL"),
]


@pytest.mark.parametrize("statement,words", REFUSED_SQL, ids=[s for s, _ in REFUSED_SQL])
def test_sql_refuses_anything_but_a_plain_read(statement, words, capsys):
    assert main(["sql", statement]) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert main(["sql", "select count(*) from launches"]) == 0  # and nothing changed


def test_library_connections_refuse_too():
    from launchbench.sandbox import SqlRefused, connect_read_only, fetch

    con = connect_read_only()
    with pytest.raises(SqlRefused):
        fetch(con, "EXPLAIN ANALYZE DROP VIEW launches")
    assert fetch(con, "select count(*) from launches")[1][0][0] >= 2
    assert fetch(con, "explain analyze select count(*) from launches")[1]  # EXPLAIN of a read is fine


@pytest.mark.parametrize("statement", [
    "with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t",
    "select count(*) from range(1000000000) a, range(1000) b",
])
def test_a_runaway_query_stops_at_the_time_limit(statement, capsys):
    assert main(["sql", statement, "--timeout", "1"]) == 1
    err = capsys.readouterr().err
    assert "stopped after 1 s" in err and "--timeout" in err


def test_a_huge_result_prints_a_bounded_number_of_rows(capsys):
    assert main(["sql", "select * from range(100000000)", "--max-rows", "50", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert len(out.strip().splitlines()) == 51 and "first 50 rows" in err


def test_a_query_needing_too_much_memory_is_stopped():
    import dataclasses

    from launchbench.sandbox import DEFAULT_LIMITS, SqlLimit, connect_read_only, fetch

    limits = dataclasses.replace(DEFAULT_LIMITS, memory="200MB", timeout_s=60)
    con = connect_read_only(limits=limits)
    with pytest.raises(SqlLimit, match="memory limit"):
        fetch(con, "select * from range(30000000) t(i) order by i * 7 % 1000003 desc", limits=limits)


def test_eval_sql_scores_hostile_predictions_wrong_and_carries_on(tmp_path, capsys):
    from launchbench.db import connect

    gold = connect().execute("select qid, gold_sql from benchmark_questions where split = 'test' "
                             "order by qid").fetchall()
    hostile = {gold[0][0]: "EXPLAIN ANALYZE DROP VIEW launches",
               gold[1][0]: f"select gold_answer from benchmark_questions where qid = '{gold[1][0]}'",  # gold hidden
               gold[2][0]: "with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t",
               gold[3][0]: "select role from benchmark_evidence"}
    lines = [json.dumps({"qid": q, "sql": hostile.get(q, sql)}) for q, sql in gold]
    path = tmp_path / "predictions.jsonl"
    path.write_text("\n".join(lines))
    report = tmp_path / "score.json"
    assert main(["eval", "--task", "sql", "--split", "test", str(path), "--json", str(report), "--timeout", "1"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    items = {i["id"]: i for i in json.loads(report.read_text())["items"]}
    assert [q for q, i in items.items() if not i["correct"]] == sorted(hostile)
    assert "SqlRefused" in items[gold[0][0]]["error"] and "benchmark_questions" in items[gold[1][0]]["error"]
    assert "benchmark_evidence" in items[gold[3][0]]["error"]


# ---------------------------------------------------------------- validate and the readers

def _swap_columns(data):
    path = data / "actors.parquet"
    t = pq.read_table(path)
    names = t.column_names
    names[1], names[2] = names[2], names[1]
    pq.write_table(t.select(names), path)


def _stray_file(data):
    shutil.copy(data / "actors.parquet", data / "actors_backup.parquet")


def _strip_metadata(data):
    path = data / "platforms.parquet"
    t = pq.read_table(path)
    pq.write_table(t.replace_schema_metadata(None), path)


def _one_bit_in_a_url(data):
    rewrite(data, "sources", lambda rows: rows[0].update(url=rows[0]["url"].replace("a", "b", 1)))


def _flip_bytes(data):
    path = data / "observations.parquet"
    raw = bytearray(path.read_bytes())
    for i in range(16):
        raw[len(raw) // 3 + i * 97] ^= 0xFF
    path.write_bytes(bytes(raw))


# (id, corruption, words that must appear in a critical line)
CORRUPTIONS = [
    ("columns-swapped", _swap_columns, "actors: column_order"),
    ("stray-parquet", _stray_file, "no_unknown_files"),
    ("stripped-metadata", _strip_metadata, "platforms: version_metadata"),
    ("tampered-gold-answer", lambda d: rewrite(d, "benchmark_questions",
                                               lambda rows: rows[0].update(gold_answer="12345")),
     "gold_answers_recomputed"),
    ("one-bit-in-a-url", _one_bit_in_a_url, "files_match_manifest"),
    ("sixteen-flipped-bytes", _flip_bytes, "observations"),
]


@pytest.mark.parametrize("case", CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_validate_catches_the_corruption_without_a_traceback(case, data, capsys):
    _, corrupt, words = case
    corrupt(data)
    assert main(["validate", "--data", str(data), "--no-docs"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    critical = out.split("CRITICAL")[1].split("WARNING")[0]
    assert words in critical, critical[:3000]
    assert "FAILED" in out


@pytest.mark.parametrize("command,table", [(["compare"], "launch_metrics"),
                                           (["sql", "select count(*) from observations"], "observations"),
                                           (["query", "start_times"], "observations")])
def test_readers_name_a_truncated_table(command, table, data, capsys):
    path = data / f"{table}.parquet"
    path.write_bytes(path.read_bytes()[:2000])
    assert main([*command, "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert "cannot read the data" in err and f"{table}.parquet" in err and "Traceback" not in err


def test_readers_never_print_nan_as_a_figure(data, capsys):
    def nan_peak(rows):
        rows[0]["peak_listeners"] = float("nan")
    rewrite(data, "launch_metrics", nan_peak)
    assert main(["sql", "select launch_id, peak_listeners from launch_metrics", "--data", str(data)]) == 0
    out, err = capsys.readouterr()
    assert "NaN (invalid)" in out and "nan" not in out.replace("NaN (invalid)", "") and "NaN" in err


# ---------------------------------------------------------------- configuration

def _schema_edit(project, name, change):
    path = project / "schemas" / f"{name}.yaml"
    path.write_text(change(path.read_text()))


CONFIG_CASES = [
    ("new-schema-without-source", lambda p: (p / "schemas" / "x.yaml").write_text(
        "table: x\ndescription: d\ngrain: g\nprimary_key: [x_id]\ncolumns:\n"
        "  - {name: x_id, type: string, description: d}\n"), "x.yaml", "source"),
    ("typo-in-column-key", lambda p: _schema_edit(p, "actors", lambda t: t.replace("nullable: true", "nulable: true", 1)),
     "actors.yaml", "unknown key 'nulable'"),
    ("unknown-top-level-key", lambda p: _schema_edit(p, "platforms", lambda t: t + "colums: []\n"),
     "platforms.yaml", "unknown key 'colums'"),
    ("check-without-header", lambda p: (p / "validation" / "checks" / "zz_bad.sql").write_text(
        "-- check: zz\n-- table: claims\nselect 1 where false\n"), "zz_bad.sql", "severity"),
    ("expectation-for-unknown-table", lambda p: (p / "validation" / "expectations.yaml").write_text(
        (p / "validation" / "expectations.yaml").read_text() + "\nclaimz:\n  - {type: expect_column_values_to_not_be_null,"
        " column: x, severity: critical, why: w}\n"), "expectations.yaml", "'claimz' is not a table"),
]


@pytest.mark.parametrize("case", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_bad_configuration_names_the_file_and_key(case, project, capsys):
    _, change, file, words = case
    change(project)
    assert main(["validate", "--no-docs"]) == 1
    err = capsys.readouterr().err
    assert file in err and words in err and "Traceback" not in err, err


def test_a_new_schema_with_its_source_is_a_new_table(project, capsys):
    (project / "schemas" / "notes.yaml").write_text(
        "table: notes\ndescription: Free notes.\ngrain: one note\nprimary_key: [note_id]\nsource: registry\n"
        "columns:\n  - {name: note_id, type: string, description: Key.}\n  - {name: text, type: string, description: T.}\n")
    records = project / "dataset" / "records"
    assert main(["build"]) == 1  # its registry file does not exist yet: the error says which
    assert "notes.yaml: registry file missing" in capsys.readouterr().err
    (records / "notes.yaml").write_text(yaml.safe_dump({"notes": [{"note_id": "n1", "text": "A note."}]}))
    assert main(["build"]) == 0
    assert pq.read_table(project / "dataset" / "data" / "notes.parquet").num_rows == 1
