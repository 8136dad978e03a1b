"""The Hugging Face card, Croissant and Data Package: generated, loadable, valid, and in step with the Parquet."""
import json
import shutil
import warnings

import pyarrow.parquet as pq
import pytest
import yaml

from conftest import ROOT, rewrite
from launchbench.schema import load_schemas

DATASET = ROOT / "dataset"
TABLES = list(load_schemas())


def card_header():
    text = (DATASET / "README.md").read_text()
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("table", TABLES)
def test_every_config_loads_through_datasets_like_pyarrow(table):
    import datasets

    datasets.disable_progress_bars()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = datasets.load_dataset(str(DATASET), table, split="train")
    expected = pq.read_table(DATASET / "data" / f"{table}.parquet")
    assert ds.num_rows == expected.num_rows
    assert ds.features == datasets.Features.from_arrow_schema(expected.schema)
    assert ds.data.table.schema.field(0).type == expected.schema.field(0).type
    times = [f.name for f in expected.schema if str(f.type) == "timestamp[us, tz=UTC]"]
    for name in times:  # time zones survive the loader
        assert str(ds.data.table.schema.field(name).type) == "timestamp[us, tz=UTC]"
    assert ds.to_list() == expected.to_pylist()


def test_default_config_is_launch_metrics():
    header = card_header()
    defaults = [c["config_name"] for c in header["configs"] if c.get("default")]
    assert defaults == ["launch_metrics"]
    assert {c["config_name"] for c in header["configs"]} == set(TABLES)


def test_card_features_equal_parquet_schemas():
    """`datasets` casts columns to the card's features: any difference must fail here."""
    import datasets

    info = {c["config_name"]: c for c in card_header()["dataset_info"]}
    for table in TABLES:
        schema = pq.read_schema(DATASET / "data" / f"{table}.parquet")
        assert info[table]["features"] == datasets.Features.from_arrow_schema(schema)._to_yaml_list(), table
        assert info[table]["splits"][0]["num_examples"] == pq.read_metadata(
            DATASET / "data" / f"{table}.parquet").num_rows


def test_codebook_covers_every_table_and_column():
    text = (DATASET / "README.md").read_text()
    codebook = text.split("## Codebook")[1]
    for name, table in load_schemas().items():
        section = codebook.split(f"### `{name}`")[1].split("### `")[0]
        for col in table.columns:
            assert f"| `{col.name}` |" in section, f"{name}.{col.name} missing from the codebook"


def test_card_has_the_datasheet_sections():
    text = (DATASET / "README.md").read_text()
    for heading in ("## Motivation", "## Composition", "## Collection process", "## Preprocessing",
                    "## Uses", "## Distribution", "## Maintenance", "## Citation"):
        assert heading in text
    assert "RESOLUTION_RULE" not in text and "lower median" in text


def test_croissant_validates_and_loads_every_record_set():
    import mlcroissant as mlc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset = mlc.Dataset(jsonld=str(DATASET / "croissant.json"))
    assert not dataset.metadata.issues.errors
    doc = json.loads((DATASET / "croissant.json").read_text())
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    for table in TABLES:
        records = list(dataset.records(record_set=table))
        assert len(records) == pq.read_metadata(DATASET / "data" / f"{table}.parquet").num_rows, table


def test_croissant_checksums_match_files():
    import hashlib

    doc = json.loads((DATASET / "croissant.json").read_text())
    for dist in doc["distribution"]:
        data = (DATASET / dist["contentUrl"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == dist["sha256"]


def _frictionless_valid(folder):
    from frictionless import Package

    return Package(str(folder / "datapackage.json")).validate()


def test_frictionless_validates_with_foreign_keys():
    report = _frictionless_valid(DATASET)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads((DATASET / "datapackage.json").read_text())
    observations = next(r for r in package["resources"] if r["name"] == "observations")
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}} in \
        observations["schema"]["foreignKeys"]


def test_frictionless_catches_a_broken_foreign_key(tmp_path):
    copy = tmp_path / "dataset"
    shutil.copytree(DATASET / "data", copy / "data")
    shutil.copy(DATASET / "datapackage.json", copy)
    rewrite(copy / "data", "observations", lambda rows: rows[0].update(source_id="no-such-source"))
    package = json.loads((copy / "datapackage.json").read_text())
    for r in package["resources"]:
        r.pop("hash")  # the edit changes the bytes; we want the foreign-key error, not the checksum one
    (copy / "datapackage.json").write_text(json.dumps(package))
    report = _frictionless_valid(copy)
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_build_check_covers_the_card(tmp_path):
    from launchbench.build import build, stale_files

    out = tmp_path / "dataset" / "data"
    build(out, ROOT / "dataset" / "records")
    assert stale_files(out, ROOT / "dataset" / "records") == []
    readme = out.parent / "README.md"
    readme.write_text(readme.read_text().replace("## Motivation", "## Motivation (edited by hand)"))
    assert stale_files(out, ROOT / "dataset" / "records") == ["README.md"]


def test_parquet_carries_the_dataset_version():
    from launchbench.card import dataset_version

    for table in TABLES:
        meta = pq.read_schema(DATASET / "data" / f"{table}.parquet").metadata
        assert meta[b"launchbench.version"].decode() == dataset_version()


def test_the_canary_is_everywhere_and_the_same():
    """BIG-bench style: the canary line sits in the card, the benchmark files and every Parquet file."""
    canary = yaml.safe_load((DATASET / "metadata.yaml").read_text())["canary"]
    assert "canary GUID" in canary
    for path in (DATASET / "README.md", ROOT / "benchmark" / "README.md", ROOT / "benchmark" / "questions.yaml",
                 ROOT / "benchmark" / "benchmark.yaml", ROOT / "benchmark" / "synonyms.yaml"):
        assert canary in path.read_text(), path
    for path in (DATASET / "data").glob("*.parquet"):
        assert pq.read_schema(path).metadata[b"launchbench.canary"].decode() == canary, path
