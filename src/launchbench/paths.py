"""Where the project's folders are: the repository root holds schemas/, dataset/ and queries/."""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path


class RootNotFound(RuntimeError):
    pass


def _is_root(path: Path) -> bool:
    return (path / "schemas" / "launches.yaml").is_file() and (path / "dataset").is_dir()


@cache
def project_root() -> Path:
    """$LAUNCHBENCH_ROOT, else the nearest folder above the working directory, else the source checkout."""
    env = os.environ.get("LAUNCHBENCH_ROOT")
    if env:
        if not _is_root(Path(env)):
            raise RootNotFound(f"LAUNCHBENCH_ROOT={env} has no schemas/launches.yaml and dataset/")
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents, *Path(__file__).resolve().parents):
        if _is_root(candidate):
            return candidate
    raise RootNotFound(
        "cannot find the LaunchBench repository (a folder with schemas/ and dataset/); "
        "run from inside a clone or set LAUNCHBENCH_ROOT"
    )


def schemas_dir() -> Path:
    return project_root() / "schemas"


def records_dir() -> Path:
    return project_root() / "dataset" / "records"


def data_dir() -> Path:
    return project_root() / "dataset" / "data"


def queries_dir() -> Path:
    return project_root() / "queries"


# ---------------------------------------------------------------- versions (kept here: no heavy imports)

WORKING = "working"


class ReleaseNotFound(ValueError):
    pass


def releases_dir() -> Path:
    return project_root() / "dataset" / "releases"


def parse_version(text: str) -> tuple[int, int, int]:
    parts = text.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ReleaseNotFound(f"version {text!r} is not MAJOR.MINOR.PATCH (e.g. 1.0.0)")
    return tuple(int(p) for p in parts)  # type: ignore[return-value]


def released_versions() -> list[str]:
    folder = releases_dir()
    if not folder.exists():
        return []
    found = [p.name for p in folder.iterdir() if (p / "manifest.json").exists()]
    return sorted(found, key=parse_version)


def data_dir_for(version: str | None) -> Path:
    """The Parquet folder of a version: `working` (or None) is dataset/data, else a frozen release."""
    if version in (None, WORKING):
        return data_dir()
    folder = releases_dir() / version
    if not (folder / "manifest.json").exists():
        known = ", ".join(released_versions()) or "none yet"
        raise ReleaseNotFound(f"no release {version!r}; released versions: {known}")
    return folder
