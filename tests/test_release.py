"""Releases: frozen and checksummed, refused when wrong, diffable, loadable by version."""
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from conftest import ROOT, rewrite
from launchbench import schema
from launchbench.cli import main
from launchbench.paths import released_versions
from launchbench.release import ReleaseError, diff, release, verify


def test_every_committed_release_matches_its_manifest():
    versions = released_versions()
    assert "1.0.0" in versions
    for version in versions:
        assert verify(version) == [], version


def _set_version(root, version):
    meta = root / "dataset" / "metadata.yaml"
    meta.write_text(meta.read_text().replace(f"version: {yaml.safe_load(meta.read_text())['version']}",
                                             f"version: {version}"))
    assert main(["build"]) == 0


def _release_names(root):
    return sorted(p.name for p in (root / "dataset" / "releases").iterdir()) if (root / "dataset" / "releases").exists() else []


def test_release_freezes_and_loads_back(built_project):
    project = built_project
    version = yaml.safe_load((project / "dataset" / "metadata.yaml").read_text())["version"]
    assert main(["release", version]) == 0
    folder = project / "dataset" / "releases" / version
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["version"] == version and manifest["records_sha256"]
    assert {f["path"] for f in manifest["files"]} == {f"{t}.parquet" for t in schema.load_schemas()}
    import launchbench

    frozen = launchbench.load("observations", version=version)
    assert frozen.equals(pq.read_table(project / "dataset" / "data" / "observations.parquet"))
    con = launchbench.connect(version=version)
    assert con.execute("select count(*) from launches").fetchone()[0] >= 2
    assert main(["compare", "--version", version, "--format", "json"]) == 0
    # a changed byte is caught
    path = folder / "actors.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    [problem] = verify(version)
    assert problem.startswith(str(path)) and "sha256 differs" in problem
    # and no reader uses it: the library, the connection and the commands all refuse, naming the file
    from launchbench.paths import ReleaseTampered

    with pytest.raises(ReleaseTampered, match="actors.parquet"):
        launchbench.load("observations", version=version)
    with pytest.raises(ReleaseTampered, match="actors.parquet"):
        launchbench.connect(version=version)
    assert main(["compare", "--version", version]) == 1
    assert main(["verify", version]) == 1


def test_release_refusals_write_nothing(built_project, capsys):
    project = built_project
    version = yaml.safe_load((project / "dataset" / "metadata.yaml").read_text())["version"]
    with pytest.raises(ReleaseError, match="metadata.yaml says version"):
        release("9.0.0")
    with pytest.raises(ReleaseError, match="MAJOR.MINOR.PATCH"):
        release("v1")
    assert _release_names(project) == []
    # stale data
    records = project / "dataset" / "records" / "actors.yaml"
    original = records.read_text()
    records.write_text(original.replace("Governor of Florida", "Governor of the State of Florida"))
    with pytest.raises(ReleaseError, match="stale"):
        release(version)
    records.write_text(original)
    # records whose data would fail validation: the build itself refuses them (an uncited source is an orphan)
    sources = project / "dataset" / "records" / "sources.yaml"
    kept = sources.read_text()
    doc = yaml.safe_load(kept)
    doc["sources"].append({"source_id": "zz-uncited", "url": "https://example.org/x", "publisher": "Example",
                           "report_id": doc["sources"][0]["report_id"], "copy_kind": "mirror", "language": "en",
                           "title": "X", "source_kind": "news", "accessed_date": "2026-11-28"})
    sources.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    assert main(["build"]) == 1
    assert "no_orphan_sources" in capsys.readouterr().err
    sources.write_text(kept)
    # and should data that fail validation reach the data folder anyway, release refuses them too
    data = project / "dataset" / "data" / "platforms.parquet"
    good = data.read_bytes()
    table = pq.read_table(data)
    pq.write_table(table.set_column(table.schema.get_field_index("name"), table.schema.field("name"),
                                    pa.array([""] * table.num_rows)), data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("launchbench.build.stale_files", lambda *a, **k: [])
        with pytest.raises(ReleaseError, match="(?s)validation failed.*platforms.name"):
            release(version)
    assert _release_names(project) in ([], [".gitkeep"])
    data.write_bytes(good)
    assert main(["build"]) == 0
    assert main(["release", version]) == 0
    with pytest.raises(ReleaseError, match="already exists"):
        release(version)
    assert main(["release", version]) == 1
    assert "refused" in capsys.readouterr().err
    assert _release_names(project) == [version]


def test_version_must_follow_the_policy(built_project):
    project = built_project
    base = yaml.safe_load((project / "dataset" / "metadata.yaml").read_text())["version"]
    major, minor, patch = map(int, base.split("."))
    release(base)
    # nothing changed
    _set_version(project, f"{major}.{minor}.{patch + 1}")
    with pytest.raises(ReleaseError, match="nothing changed"):
        release(f"{major}.{minor}.{patch + 1}")
    # a new row is a minor change: a patch number is refused, the minor one accepted
    actors = project / "dataset" / "records" / "actors.yaml"
    doc = yaml.safe_load(actors.read_text())
    used = yaml.safe_load((project / "dataset" / "records" / "launches" /
                           "2023-05-24-desantis-twitter-spaces.yaml").read_text())
    reaction = dict(used["reactions"][0], reaction_id="ds23-test-extra-reaction")
    used["reactions"].append(reaction)
    (project / "dataset" / "records" / "launches" / "2023-05-24-desantis-twitter-spaces.yaml").write_text(
        yaml.safe_dump(used, sort_keys=False, allow_unicode=True))
    assert main(["build"]) == 0
    with pytest.raises(ReleaseError, match="needs a minor release"):
        release(f"{major}.{minor}.{patch + 1}")
    _set_version(project, f"{major}.{minor + 2}.0")
    with pytest.raises(ReleaseError, match="needs a minor release"):
        release(f"{major}.{minor + 2}.0")  # skipping a number is not the next version
    _set_version(project, f"{major}.{minor + 1}.0")
    assert release(f"{major}.{minor + 1}.0").exists()
    assert doc


def test_breaking_schema_change_needs_a_major(built_project, tmp_path):
    project = built_project
    from launchbench.release import required_bump

    old = project / "dataset" / "data"
    new = tmp_path / "new"
    shutil.copytree(old, new)
    t = pq.read_table(new / "actors.parquet")
    pq.write_table(t.drop_columns(["party"]), new / "actors.parquet")
    change = required_bump(old, new)
    assert change.level == "major" and "column actors.party removed or renamed" in change.reasons


def test_diff_reports_exactly_the_known_changes(tmp_path, capsys):
    old, new = ROOT / "dataset" / "data", tmp_path / "new"
    shutil.copytree(old, new)
    rewrite(new, "actors", lambda rows: (rows.append(dict(rows[0], actor_id="zz-new-actor")),
                                       rows.remove(next(r for r in rows if r["actor_id"] == "david-frum")),
                                       next(r for r in rows if r["actor_id"] == "elon-musk").update(name="E. Musk")))
    result = diff(old, new)
    assert result["actors"]["added"] == [{"actor_id": "zz-new-actor"}]
    assert result["actors"]["removed"] == [{"actor_id": "david-frum"}]
    assert result["actors"]["changed"] == [{"key": {"actor_id": "elon-musk"},
                                            "cells": {"name": {"old": "Elon Musk", "new": "E. Musk"}}}]
    assert all(not any(v[k] for k in ("added", "removed", "changed")) for t, v in result.items() if t != "actors")


def test_diff_of_a_version_with_itself_is_empty(capsys):
    assert all(not any(v[k] for k in ("added", "removed", "changed"))
               for v in diff(ROOT / "dataset" / "data", ROOT / "dataset" / "data").values())
    assert main(["diff", "1.0.0", "1.0.0", "--format", "markdown"]) == 0
    assert "no changes" in capsys.readouterr().out
