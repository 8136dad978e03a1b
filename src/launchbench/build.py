"""Stage 2: records -> Parquet. Deterministic (same records, same bytes) and atomic (all or nothing).

Rows are sorted by primary key and written with the schema's Arrow types and fixed writer options, with no
wall-clock time anywhere. The derived table launch_metrics is computed by DuckDB from the freshly written
tables with queries/derived/launch_metrics.sql, the one written statement of the resolution rule.
"""
from __future__ import annotations

import filecmp
import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from launchbench.db import views_sql
from launchbench.paths import MANIFEST, data_dir as default_data_dir, queries_dir, records_dir as default_records_dir
from launchbench.records import read_records
from launchbench.schema import Table, load_schemas

METRICS_SQL = "derived/launch_metrics.sql"


def _sort_key(table: Table):
    return lambda row: tuple(row[k] for k in table.primary_key)


def _write(table: Table, arrow_table: pa.Table, folder: Path) -> None:
    from launchbench.card import dataset_version, metadata as dataset_metadata

    # The dataset version travels inside every file, so a copy on its own still says what it is; so does the
    # benchmark canary, so a corpus filter finds it in any single file.
    metadata = {**arrow_table.schema.metadata, b"launchbench.version": dataset_version().encode(),
                b"launchbench.canary": dataset_metadata()["canary"].encode()}
    if table.name.startswith("benchmark_"):  # a score names both versions, so the gold files carry both
        from launchbench.benchmark import benchmark_version

        metadata[b"launchbench.benchmark_version"] = benchmark_version().encode()
    arrow_table = arrow_table.replace_schema_metadata(metadata)
    # Fixed options only: the file depends on nothing but the rows and the pyarrow version.
    pq.write_table(arrow_table, folder / f"{table.name}.parquet", compression="zstd",
                   write_statistics=True, use_dictionary=True, store_schema=True)


def derive_launch_metrics(folder: Path) -> pa.Table:
    """Run the resolution rule over the Parquet in `folder`; returns launch_metrics with its schema."""
    from launchbench.db import connect

    table = load_schemas()["launch_metrics"]
    sql = (queries_dir() / METRICS_SQL).read_text(encoding="utf-8")
    con = connect(folder)
    try:
        result = con.sql(sql).to_arrow_table()
    finally:
        con.close()
    if result.column_names != table.column_names:
        raise RuntimeError(f"{METRICS_SQL} returns columns {result.column_names}, "
                           f"schemas/launch_metrics.yaml says {table.column_names}")
    return result.cast(table.arrow_schema())


def build_into(folder: Path, records: Path) -> dict[str, int]:
    """Write every table into `folder`; returns rows per table. Raises RecordError on bad records."""
    schemas = load_schemas()
    rows = read_records(records)
    counts = {}
    for name, table in schemas.items():
        if table.derived:
            continue
        ordered = sorted(rows[name], key=_sort_key(table))
        arrow_table = pa.Table.from_pylist(ordered, schema=table.arrow_schema())
        _write(table, arrow_table, folder)
        counts[name] = arrow_table.num_rows
    metrics_table = derive_launch_metrics(folder)
    _write(schemas["launch_metrics"], metrics_table, folder)
    counts["launch_metrics"] = metrics_table.num_rows
    from launchbench.benchmark import build_tables  # gold answers come from the tables just written

    for name, table in build_tables(folder, records).items():
        _write(schemas[name], table.sort_by([(k, "ascending") for k in schemas[name].primary_key]), folder)
        counts[name] = table.num_rows
    _write_manifest(folder, records)
    return counts


def _write_manifest(folder: Path, records: Path) -> None:
    """sha256 and rows of every file, so `launchbench verify` can tell later whether anything changed them."""
    import json

    from launchbench.card import dataset_version
    from launchbench.paths import MANIFEST
    from launchbench.release import manifest_for

    manifest = manifest_for(folder, dataset_version(), None, records)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _is_working_data(out: Path) -> bool:
    return out.resolve() == default_data_dir().resolve()


class BuildRefused(ValueError):
    """Records that pass their own checks but give data `validate` would fail: nothing is written."""

    def __init__(self, failures: list):
        self.failures = failures
        super().__init__("\n".join(f.describe() for f in failures))


COMMIT = "COMMIT"  # written into a staging folder once it is complete: from then on it is swapped in, never lost


def _normal_modes(folder: Path) -> None:
    """mkdtemp makes 0700 folders; the data folder gets the mode any new folder would (umask applies)."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [folder, *folder.rglob("*")]:
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def _commit(staging: Path, out: Path) -> None:
    """Swap a complete staging folder in: data/ becomes `out`, card/ files go beside it, views.sql to queries/.
    Each step can be repeated, so a build interrupted half-way is finished by the next one (see _recover)."""
    retired = out.with_name(f".{out.name}-old")
    if (staging / "data").exists():
        if out.exists():
            shutil.rmtree(retired, ignore_errors=True)
            out.rename(retired)
        (staging / "data").rename(out)
    for path in sorted((staging / "card").glob("*")):
        os.replace(path, out.parent / path.name)
    if (staging / "views.sql").exists():
        os.replace(staging / "views.sql", queries_dir() / "views.sql")
    shutil.rmtree(retired, ignore_errors=True)
    shutil.rmtree(staging)


def _recover(out: Path) -> None:
    """What an interrupted build left beside `out`: a staging folder that was complete is swapped in (roll
    forward), an incomplete one is removed, and a retired old copy comes back only if `out` itself is gone."""
    for staging in sorted(out.parent.glob(".build-*")):
        if (staging / COMMIT).exists():
            _commit(staging, out)
        else:
            shutil.rmtree(staging, ignore_errors=True)
    retired = out.with_name(f".{out.name}-old")
    if retired.exists():
        if out.exists():
            shutil.rmtree(retired)
        else:
            retired.rename(out)


@contextmanager
def _terminate_cleanly():
    """SIGTERM becomes SystemExit inside the build, so its `finally` blocks run and no half-made folder stays."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def stop(signum, frame):
        raise SystemExit(128 + signum)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def build(out: Path | None = None, records: Path | None = None) -> dict[str, int]:
    """Build the data and the card files into one staging folder beside `out`, check the data with `validate`,
    then swap data and card in together. A failure, a refusal or SIGTERM before the swap leaves everything as
    it was; an interruption during the swap is finished by the next build."""
    from launchbench.card import generated_files
    from launchbench.validate import failed, validate

    out = Path(out) if out else default_data_dir()
    records = Path(records) if records else default_records_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    with _terminate_cleanly():
        staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent))
        try:
            data = staging / "data"
            data.mkdir()
            counts = build_into(data, records)
            # the build refuses whatever validate would refuse about the rows; how many rows a table holds is a
            # property of the whole dataset, not of a record (a test fixture or a first launch is small)
            refused = [r for r in failed(validate(data)) if r.expectation_type != "expect_table_row_count_to_be_between"]
            if refused:
                raise BuildRefused(refused)
            (staging / "card").mkdir()
            for name, text in generated_files(data).items():  # the card, Croissant and Data Package
                (staging / "card" / name).write_text(text, encoding="utf-8")
            if _is_working_data(out):  # views.sql points at dataset/data
                (staging / "views.sql").write_text(views_sql(), encoding="utf-8")
            _normal_modes(data)
            (staging / COMMIT).write_text("complete: swap data/ and card/ in\n", encoding="utf-8")
            _commit(staging, out)
            return counts
        finally:
            if staging.exists() and not (staging / COMMIT).exists():
                shutil.rmtree(staging, ignore_errors=True)


def stale_files(out: Path | None = None, records: Path | None = None) -> list[str]:
    """Files in `out` that differ from a fresh build (missing, extra or changed); empty when up to date."""
    out = Path(out) if out else default_data_dir()
    records = Path(records) if records else default_records_dir()
    with tempfile.TemporaryDirectory(prefix=".check-") as tmp:
        build_into(Path(tmp), records)
        from launchbench.card import stale_card

        fresh = {p.name for p in Path(tmp).glob("*.parquet")} | {MANIFEST}
        existing = {p.name for p in [*out.glob("*.parquet"), out / MANIFEST] if p.exists()} if out.exists() else set()
        changed = [n for n in sorted(fresh & existing)
                   if not filecmp.cmp(Path(tmp) / n, out / n, shallow=False)]
        views = queries_dir() / "views.sql"
        stale_views = ["queries/views.sql"] if _is_working_data(out) and (
            not views.exists() or views.read_text(encoding="utf-8") != views_sql()) else []
        return sorted((fresh ^ existing) | set(changed)) + stale_card(Path(tmp), out.parent) + stale_views
