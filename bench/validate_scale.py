"""Benchmark (not a test): `launchbench validate` vs a bare DuckDB pass doing the same column checks.

    python bench/validate_scale.py [--sizes 1000000] [--gx]

For the committed data and for synthetic data of each size (bench/synthetic.py), it times whole processes and
reads their peak memory (max RSS): `launchbench validate --no-docs`, the bare baseline (a `python -c` that
imports only duckdb and runs the same per-table aggregate SQL), and with --gx the GX pandas engine.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "r = subprocess.run(sys.argv[1:], capture_output=True); "
           "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit code of `cmd`, run in a fresh wrapper process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True)
    seconds, rss_kib, code = out.stdout.split()
    return float(seconds), int(rss_kib) / 1024, int(code)


def bare_sql(data: Path) -> str:
    """The same column checks as the expectation suites, as plain SQL: one aggregate per table."""
    import duckdb

    from launchbench.expectations import suites
    from launchbench.sql_engine import _q, aggregate_sql

    con = duckdb.connect()
    statements = ["SET TimeZone = 'UTC'"]
    for table, exps in suites().items():
        path = (data / f"{table}.parquet").resolve()
        statements.append(f"create view {_q(table)} as select * from read_parquet('{path}')")
        con.execute(statements[-1])
        types = {r[0]: r[1] for r in con.execute(f"describe {_q(table)}").fetchall()}
        sql, _, _ = aggregate_sql(table, exps, types)
        if sql:
            statements.append(sql)
        for exp in exps:  # uniqueness, as plain group-by queries
            if exp.type in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
                cols = [exp.kwargs["column"]] if "column" in exp.kwargs else exp.kwargs["column_list"]
                keys = ", ".join(_q(c) for c in cols)
                statements.append(f"select count(*) from (select {keys} from {_q(table)} group by {keys} "
                                  f"having count(*) > 1)")
    return ";\n".join(statements) + ";"


def run(data: Path, label: str, gx: bool) -> dict:
    script = Path(tempfile.mkstemp(suffix=".sql")[1])
    script.write_text(bare_sql(data))
    bare = measure([sys.executable, "-c",
                    f"import duckdb; con = duckdb.connect(); [con.execute(s).fetchall() for s in "
                    f"open({str(script)!r}).read().split(';\\n') if s.strip()]"])
    ours = measure([sys.executable, "-m", "launchbench", "validate", "--data", str(data), "--no-docs"])
    row = {"data": label, "validate_s": ours[0], "validate_mib": ours[1], "validate_exit": ours[2],
           "bare_s": bare[0], "bare_mib": bare[1], "ratio": ours[0] / bare[0]}
    if gx:
        g = measure([sys.executable, "-m", "launchbench", "validate", "--data", str(data), "--no-docs",
                     "--engine", "gx"])
        row.update(gx_s=g[0], gx_mib=g[1])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--gx", action="store_true", help="also time GX's pandas engine")
    parser.add_argument("--json", type=Path, help="write the rows here")
    args = parser.parse_args()
    from synthetic import generate

    rows = [run(ROOT / "dataset" / "data", "committed", args.gx)]
    for n in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"lb-synth-{n}-"))
        start = time.perf_counter()
        generate(folder, n)
        print(f"generated {n:,} observations in {time.perf_counter() - start:.1f}s", file=sys.stderr)
        rows.append(run(folder, f"synthetic {n:,} obs", args.gx))
    cols = [c for c in rows[0] if c != "validate_exit"]
    print(" | ".join(f"{c:>18}" for c in cols))
    for r in rows:
        print(" | ".join(f"{r[c]:>18.2f}" if isinstance(r[c], float) else f"{r[c]:>18}" for c in cols))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
