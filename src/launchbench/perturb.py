"""A perturbed copy of the data, for the sql task's test-suite check (as in Spider's test-suite accuracy).

A predicted query is right only if it gives the gold query's rows on the real data and on this copy too, so a
query that returns the answer as a literal (`select 25`) or happens to match by chance fails. The copy changes
what a literal cannot follow: one row in five of the per-launch tables is dropped, and in every table each column
but the primary key changes: numbers move (integers x -> 2x + 3, floats x -> 1.37x + 11), times shift by 37
minutes, booleans flip, and texts and lists rotate, each column by its own step (each row takes another row's value,
so labels stay in their vocabularies). Names and types stay, so every query that runs on the real data runs on the copy.
Some answers survive it (a count over rows none of which were dropped, two neighbours with the same label), so
the check catches most literal answers, not all.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from launchbench.schema import load_schemas

DROPPED_SOURCES = ("launch_list", "nested")  # per-launch facts; registries and launches stay whole
SHIFT = pa.scalar(37 * 60 * 1_000_000, pa.duration("us"))


def _kept(table: pa.Table, key: list[str]) -> pa.Array:
    """A fixed four in five of the rows, chosen by a hash of the primary key (the same rows every run)."""
    names = [" ".join(str(table.column(k)[i].as_py()) for k in key) for i in range(table.num_rows)]
    return pa.array([hashlib.sha256(n.encode()).digest()[0] % 5 != 0 for n in names])


def _moved(column: pa.ChunkedArray, name: str, key: list[str], index: int) -> pa.ChunkedArray:
    kind = column.type
    if name in key:
        return column
    if pa.types.is_integer(kind):
        return pc.add(pc.multiply(column, pa.scalar(2, kind)), pa.scalar(3, kind))
    if pa.types.is_floating(kind):
        return pc.add(pc.multiply(column, 1.37), 11.0)
    if pa.types.is_timestamp(kind):
        return pc.add(column.cast(pa.timestamp("us", kind.tz)), SHIFT).cast(kind)
    if pa.types.is_boolean(kind):
        return pc.invert(column)
    if len(column) > 1:  # texts and lists: each row takes another row's value, a different step per column (one
        # step for all would move whole rows, and only the keys would change)
        values = column.combine_chunks()
        step = (len(values) // 3 + 7 * index) % len(values) or 1
        return pa.concat_arrays([values[step:], values[:step]])
    return column


def perturbed_copy(data: Path, out: Path, skip: tuple[str, ...] = ()) -> Path:
    """Write the perturbed copy of every table in `data` (except `skip`) into `out`; returns `out`."""
    schemas = load_schemas()
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(data).glob("*.parquet")):
        if path.stem in skip:
            continue
        table = pq.read_table(path)
        schema = schemas.get(path.stem)
        key = list(schema.primary_key) if schema else []
        if schema and schema.source in DROPPED_SOURCES and table.num_rows:
            table = table.filter(_kept(table, key))
        table = pa.table({n: _moved(table.column(n), n, key, i) for i, n in enumerate(table.column_names)},
                         schema=table.schema)
        pq.write_table(table, out / path.name)
    return out
