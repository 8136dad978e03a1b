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
