"""Versioned releases: freeze dataset/data into dataset/releases/<version>/ with a manifest, and diff versions.

Policy (README): major for incompatible schema changes (a table or column removed, renamed or retyped),
minor for new launches, rows, tables or columns, patch for corrections of existing rows. `release` works out
the smallest bump the change needs and refuses a version that does not follow it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from launchbench.paths import (WORKING, ReleaseNotFound, data_dir, data_dir_for, parse_version, project_root,
                               released_versions, releases_dir)

LEVELS = ("patch", "minor", "major")


class ReleaseError(ValueError):
    pass


def _parse(text: str) -> tuple[int, int, int]:
    try:
        return parse_version(text)
    except ReleaseNotFound as exc:
        raise ReleaseError(str(exc)) from exc


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema_fingerprint(path: Path) -> str:
    schema = pq.read_schema(path)
    text = "\n".join(f"{f.name}:{f.type}" for f in schema)
    return hashlib.sha256(text.encode()).hexdigest()


def records_hash(records: Path | None = None) -> str:
    records = records or project_root() / "dataset" / "records"
    digest = hashlib.sha256()
    for path in sorted(p for p in records.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(records)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def manifest_for(folder: Path, version: str, date: str | None, records: Path | None = None) -> dict:
    """sha256, rows and schema fingerprint of every Parquet file in `folder`. The build writes one without a date
    (so it stays byte-identical); a release adds its date."""
    files = sorted(folder.glob("*.parquet"))
    return {
        "version": version,
        **({"date": date} if date else {}),
        "files": [{"path": p.name, "sha256": _sha256(p), "rows": pq.read_metadata(p).num_rows} for p in files],
        "schema_fingerprints": {p.stem: schema_fingerprint(p) for p in files},
        "records_sha256": records_hash(records),
    }


def verify(version: str) -> list[str]:
    """Problems with a frozen release (`working`: the working data against the manifest the build wrote):
    files that differ from the manifest, by sha256 and row count. Empty when intact."""
    from launchbench.paths import MANIFEST, manifest_problems

    folder = data_dir() if version == WORKING else releases_dir() / version
    if not (folder / MANIFEST).exists():
        raise ReleaseNotFound(f"{folder}: no {MANIFEST}" + ("; run `launchbench build`" if version == WORKING else ""))
    problems = manifest_problems(folder)
    if not problems:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        problems = [f"{folder / f['path']}: {pq.read_metadata(folder / f['path']).num_rows} rows, the manifest "
                    f"says {f['rows']}" for f in manifest["files"]
                    if pq.read_metadata(folder / f["path"]).num_rows != f["rows"]]
    return problems


# ---------------------------------------------------------------- what changed

@dataclass
class SchemaChange:
    level: str  # patch | minor | major
    reasons: list[str]


def required_bump(old: Path, new: Path) -> SchemaChange:
    """The smallest version bump that the change from `old` to `new` needs under the policy."""
    reasons_major, reasons_minor, reasons_patch = [], [], []
    old_tables = {p.stem: p for p in old.glob("*.parquet")}
    new_tables = {p.stem: p for p in new.glob("*.parquet")}
    for name in sorted(set(old_tables) - set(new_tables)):
        reasons_major.append(f"table {name} removed")
    for name in sorted(set(new_tables) - set(old_tables)):
        reasons_minor.append(f"table {name} added")
    for name in sorted(set(old_tables) & set(new_tables)):
        a, b = pq.read_schema(old_tables[name]), pq.read_schema(new_tables[name])
        for f in a:
            if f.name not in b.names:
                reasons_major.append(f"column {name}.{f.name} removed or renamed")
            elif not b.field(f.name).type.equals(f.type):
                reasons_major.append(f"column {name}.{f.name} changed type {f.type} -> {b.field(f.name).type}")
        for f in b:
            if f.name not in a.names:
                reasons_minor.append(f"column {name}.{f.name} added")
    if not reasons_major:
        for table, change in diff(old, new).items():
            if change["added"] or change["removed"]:
                reasons_minor.append(f"{table}: {len(change['added'])} row(s) added, "
                                     f"{len(change['removed'])} removed")
            elif change["changed"]:
                reasons_patch.append(f"{table}: {len(change['changed'])} row(s) corrected")
    if reasons_major:
        return SchemaChange("major", reasons_major)
    if reasons_minor:
        return SchemaChange("minor", reasons_minor)
    return SchemaChange("patch", reasons_patch)


def next_versions(previous: str) -> dict[str, str]:
    major, minor, patch = parse_version(previous)
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}


# ---------------------------------------------------------------- release

def release(version: str, today: dt.date | None = None) -> Path:
    """Validate the working data and freeze it as `version`. Raises ReleaseError and writes nothing on refusal."""
    from launchbench.build import stale_files
    from launchbench.card import dataset_version
    from launchbench.validate import failed, validate

    _parse(version)
    target = releases_dir() / version
    if target.exists():
        raise ReleaseError(f"release {version} already exists at {target}; releases are immutable")
    if dataset_version() != version:
        raise ReleaseError(f"dataset/metadata.yaml says version {dataset_version()}, not {version}: set it there, "
                           "run `launchbench build`, then release")
    working = data_dir_for(WORKING)
    stale = stale_files(working)
    if stale:
        raise ReleaseError(f"dataset/data is stale against dataset/records ({', '.join(stale)}); run `launchbench build`")
    bad = failed(validate(working))
    if bad:
        raise ReleaseError("validation failed; nothing released:\n  " + "\n  ".join(r.describe() for r in bad))
    previous = released_versions()
    if previous:
        last = previous[-1]
        if parse_version(version) <= parse_version(last):
            raise ReleaseError(f"version {version} is not newer than the last release {last}")
        change = required_bump(data_dir_for(last), working)
        if not change.reasons:
            raise ReleaseError(f"nothing changed since {last}; nothing to release")
        allowed = {level: v for level, v in next_versions(last).items()
                   if LEVELS.index(level) >= LEVELS.index(change.level)}
        if version not in allowed.values():
            raise ReleaseError(
                f"after {last}, this change needs a {change.level} release ({'; '.join(change.reasons[:5])}): "
                f"use {' or '.join(sorted(allowed.values(), key=parse_version))}, not {version}")
    releases_dir().mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".release-{version}-", dir=releases_dir()))
    try:
        for path in sorted(working.glob("*.parquet")):
            shutil.copy2(path, staging / path.name)
        manifest = manifest_for(staging, version, (today or dt.date.today()).isoformat())
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


# ---------------------------------------------------------------- diff

def _keyed_rows(path: Path) -> tuple[list[str], dict[tuple, dict]]:
    table = pq.read_table(path)
    meta = table.schema.metadata or {}
    key = meta.get(b"launchbench.primary_key", b"").decode().split(",") if meta else []
    key = [k for k in key if k] or [table.column_names[0]]
    rows = {}
    for row in table.to_pylist():
        rows[tuple(row[k] for k in key)] = row
    return key, rows


def diff(old: Path, new: Path) -> dict[str, dict]:
    """Per table: rows added, removed and changed (with the changed cells), keyed on primary keys."""
    out = {}
    old_tables = {p.stem: p for p in old.glob("*.parquet")}
    new_tables = {p.stem: p for p in new.glob("*.parquet")}
    for name in sorted(set(old_tables) | set(new_tables)):
        key, a = _keyed_rows(old_tables[name]) if name in old_tables else ([], {})
        key_b, b = _keyed_rows(new_tables[name]) if name in new_tables else ([], {})
        key = key or key_b
        changed = []
        for k in sorted(set(a) & set(b), key=str):
            cells = {c: {"old": a[k].get(c), "new": b[k].get(c)} for c in sorted(set(a[k]) | set(b[k]))
                     if a[k].get(c) != b[k].get(c)}
            if cells:
                changed.append({"key": dict(zip(key, k)), "cells": cells})
        out[name] = {"key": key,
                     "added": [dict(zip(key, k)) for k in sorted(set(b) - set(a), key=str)],
                     "removed": [dict(zip(key, k)) for k in sorted(set(a) - set(b), key=str)],
                     "changed": changed}
    return out


def _fmt_key(key: dict) -> str:
    return ", ".join(str(v) for v in key.values())


def render_diff(result: dict[str, dict], a: str, b: str, fmt: str = "table", max_rows: int | None = None) -> str:
    from launchbench.formats import jsonable

    if fmt == "json":
        return json.dumps(result, indent=2, default=jsonable, ensure_ascii=False)
    lines = [f"## Changes from {a} to {b}", ""] if fmt == "markdown" else [f"diff {a} -> {b}"]
    any_change = False
    for table, change in result.items():
        n = (len(change["added"]), len(change["removed"]), len(change["changed"]))
        if not any(n):
            continue
        any_change = True
        if fmt == "markdown":
            cap = lambda items: items if max_rows is None else items[:max_rows]
            more = lambda items: ([f"- ... and {len(items) - max_rows} more"]
                                  if max_rows is not None and len(items) > max_rows else [])
            lines += [f"### `{table}`: {n[0]} added, {n[1]} removed, {n[2]} changed", ""]
            lines += [f"- added `{_fmt_key(k)}`" for k in cap(change["added"])] + more(change["added"])
            lines += [f"- removed `{_fmt_key(k)}`" for k in cap(change["removed"])] + more(change["removed"])
            for c in cap(change["changed"]):
                cells = "; ".join(f"`{col}`: {v['old']!r} -> {v['new']!r}" for col, v in c["cells"].items())
                lines.append(f"- changed `{_fmt_key(c['key'])}`: {cells}")
            lines += more(change["changed"]) + [""]
        else:
            lines.append(f"{table}: {n[0]} added, {n[1]} removed, {n[2]} changed")
            lines += [f"  + {_fmt_key(k)}" for k in change["added"]]
            lines += [f"  - {_fmt_key(k)}" for k in change["removed"]]
            for c in change["changed"]:
                for col, v in c["cells"].items():
                    lines.append(f"  ~ {_fmt_key(c['key'])}.{col}: {v['old']!r} -> {v['new']!r}")
    if not any_change:
        lines.append("no changes")
    return "\n".join(lines)
