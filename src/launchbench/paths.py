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


class ReleaseTampered(ValueError):
    """A folder whose Parquet files do not match its manifest.json."""


MANIFEST = "manifest.json"  # the build writes one into dataset/data, `release` one into each frozen release


def manifest_problems(folder: Path) -> list[str]:
    """Files in `folder` that differ from its manifest.json (sha256 per file; missing or unlisted Parquet files).
    Empty when intact. Reads only hashlib and json, so every read of a release can afford it."""
    import hashlib
    import json

    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{path}: unreadable manifest ({type(exc).__name__}: {exc})"]
    problems = []
    for name, sha in sorted(listed.items()):
        file = folder / name
        if not file.is_file():
            problems.append(f"{file}: missing (listed in {MANIFEST})")
        elif hashlib.sha256(file.read_bytes()).hexdigest() != sha:
            problems.append(f"{file}: sha256 differs from {MANIFEST} (the file was changed after it was written)")
    problems += [f"{extra}: not listed in {MANIFEST}" for extra in sorted(folder.glob("*.parquet"))
                 if extra.name not in listed]
    return problems


_VERIFIED: dict[Path, tuple] = {}  # folder -> the (name, size, mtime) of its files when last found intact


def _checked(folder: Path) -> Path:
    """`folder` after its manifest check (once per process while its files stay as they were)."""
    stamp = tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))
    if _VERIFIED.get(folder) != stamp:
        problems = manifest_problems(folder)
        if problems:
            raise ReleaseTampered(f"release {folder.name} does not match its manifest; refusing to read it: "
                                  + "; ".join(problems[:3]))
        _VERIFIED[folder] = stamp
    return folder


def data_dir_for(version: str | None) -> Path:
    """The Parquet folder of a version: `working` (or None) is dataset/data, else a frozen release, checked
    against its manifest first (a release that was changed after it was frozen is refused)."""
    if version in (None, WORKING):
        return data_dir()
    folder = releases_dir() / version
    if not (folder / MANIFEST).exists():
        known = ", ".join(released_versions()) or "none yet"
        raise ReleaseNotFound(f"no release {version!r}; released versions: {known}")
    return _checked(folder)
