import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "dataset" / "data"
FIXTURE_RECORDS = ROOT / "tests" / "fixtures" / "records"
FIXTURE_LAUNCH = "launches/2023-05-24-candidate-a-demo-audio.yaml"


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of the committed Parquet (dataset/data), safe to corrupt."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    return dest


def rewrite(folder: Path, table: str, change, schema=None) -> None:
    """Read one table of `folder`, let `change` edit its rows (a list of dicts) in place, write it back with the
    same schema (or `schema`). The one Parquet-edit helper of the tests."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / f"{table}.parquet"
    original = pq.read_table(path)
    rows = original.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema or original.schema), path)


@pytest.fixture
def records(tmp_path) -> Path:
    """A private copy of the tiny fixture records, safe to corrupt."""
    dest = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, dest)
    return dest


def edit_yaml(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def sha256_files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A private copy of the repository's folders (releases left out), used through LAUNCHBENCH_ROOT, so
    releases, schemas and checks can be changed freely."""
    from launchbench import paths, schema

    root = tmp_path / "repo"
    for folder in ("schemas", "queries", "validation", "benchmark"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copytree(ROOT / "dataset", root / "dataset", ignore=shutil.ignore_patterns("releases"))
    monkeypatch.setenv("LAUNCHBENCH_ROOT", str(root))
    paths.project_root.cache_clear()
    schema.load_schemas.cache_clear()
    yield root
    paths.project_root.cache_clear()
    schema.load_schemas.cache_clear()



@pytest.fixture
def built_project(project):
    """The private copy with its data rebuilt. Without releases no benchmark split is frozen
    (benchmark.published_splits), so the copy's own build differs from the committed data in the newer questions'
    splits, and a release (which refuses stale data) needs the copy's own build."""
    from launchbench import schema
    from launchbench.build import build

    build()
    schema.load_schemas.cache_clear()
    return project