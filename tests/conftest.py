import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_RECORDS = ROOT / "tests" / "fixtures" / "records"
FIXTURE_LAUNCH = "launches/2023-05-24-candidate-a-demo-audio.yaml"


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
