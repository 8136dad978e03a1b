"""Stage 2: records -> Parquet. Deterministic (same records, same bytes) and atomic (all or nothing).

Rows are sorted by primary key and written with the schema's Arrow types and fixed writer options, with no
wall-clock time anywhere. The derived table launch_metrics is computed by DuckDB from the freshly written
tables with queries/derived/launch_metrics.sql, the one written statement of the resolution rule.
"""
from __future__ import annotations

import filecmp
import shutil
import tempfile
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
    from launchbench.card import dataset_version

    # The dataset version travels inside every file, so a copy on its own still says what it is.
    metadata = {**arrow_table.schema.metadata, b"launchbench.version": dataset_version().encode()}
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


def build(out: Path | None = None, records: Path | None = None) -> dict[str, int]:
    """Build into a temporary folder beside `out`, then swap it in; a failure leaves `out` untouched."""
    out = Path(out) if out else default_data_dir()
    records = Path(records) if records else default_records_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent))
    try:
        counts = build_into(staging, records)
        from launchbench.card import generated_files

        card = generated_files(staging)  # computed before the swap: a failure here leaves everything as it was
        if out.exists():
            retired = out.with_name(f".{out.name}-old")
            shutil.rmtree(retired, ignore_errors=True)
            out.rename(retired)
            staging.rename(out)
            shutil.rmtree(retired)
        else:
            staging.rename(out)
        for name, text in card.items():  # the card, Croissant and Data Package sit beside data/
            (out.parent / name).write_text(text, encoding="utf-8")
        if _is_working_data(out):  # views.sql points at dataset/data
            (queries_dir() / "views.sql").write_text(views_sql(), encoding="utf-8")
        return counts
    finally:
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
