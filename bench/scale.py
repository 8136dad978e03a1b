"""Benchmark (not a test): how each tool's cost grows with the data, against a bare baseline doing the same work.

    python bench/scale.py --sizes 10000 100000 1000000 10000000 --json bench/results.json --plot bench/scale.png

For each size, synthetic data (bench/synthetic.py) is generated, then every measurement is a whole process with
its wall time and peak memory (max RSS):
  validate      `launchbench validate --no-docs`     vs  the same column checks as plain DuckDB SQL
  compare       `launchbench compare --data`         vs  `select * from launch_metrics` in plain DuckDB
  query:NAME    `launchbench query NAME --data`      vs  the same SQL in plain DuckDB (views over the Parquet)
  eval          `launchbench eval --task claims`     vs  reading benchmark_claims with pyarrow and comparing
  load_dataset  datasets.load_dataset(observations)  vs  pyarrow.parquet.read_table
`build` reads YAML records, so it is measured on the committed records only (the last line).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from validate_scale import bare_sql, measure  # noqa: E402

PY = sys.executable
PARAMS = {"launch_timeline": ["--param", "launch_id={launch}"],
          "figures_for_metric": ["--param", "launch_id={launch}", "--param", "metric=peak_concurrent_listeners"]}


def _bare_query(data: Path, sql: str, params: dict) -> list[str]:
    from launchbench.db import shared_views, vocabulary_views

    views = "".join(f"con.execute(\"create view {p.stem} as select * from read_parquet('{p}')\"); "
                    for p in sorted(data.glob("*.parquet")))
    # the same vocabulary and shared views the queries read, as plain SQL statements
    derived = vocabulary_views() + shared_views()
    return [PY, "-c", f"import duckdb; con = duckdb.connect(); con.execute(\"SET TimeZone='UTC'\"); {views}"
                      f"[con.execute(s) for s in {derived!r}]; "
                      f"con.execute({sql!r}, {params!r}).fetchall()"]


def measurements(data: Path, work: Path) -> list[tuple[str, list[str], list[str]]]:
    from launchbench.db import connect
    from launchbench.queries import named_queries

    launch = connect(data).execute("select min(launch_id) from launches").fetchone()[0]
    script = work / "bare_checks.sql"
    script.write_text(bare_sql(data))
    preds = work / "claims.jsonl"
    gold = connect(data).execute("select claim_id, gold_verdict from benchmark_claims").fetchall()
    preds.write_text("".join(json.dumps({"claim_id": c, "verdict": v}) + "\n" for c, v in gold))
    out = [
        ("validate", [PY, "-m", "launchbench", "validate", "--data", str(data), "--no-docs"],
         [PY, "-c", f"import duckdb; con = duckdb.connect(); [con.execute(s).fetchall() for s in "
                    f"open({str(script)!r}).read().split(';\\n') if s.strip()]"]),
        ("compare", [PY, "-m", "launchbench", "compare", "--data", str(data)],
         _bare_query(data, "select * from launch_metrics order by launch_id", {})),
    ]
    for q in named_queries().values():
        extra = [a.format(launch=launch) for a in PARAMS.get(q.name, [])]
        params = {a.split("=")[0]: a.split("=", 1)[1] for a in extra if "=" in a}
        out.append((f"query:{q.name}", [PY, "-m", "launchbench", "query", q.name, "--data", str(data),
                                        "--format", "csv", *extra], _bare_query(data, q.sql, params)))
    out.append(("eval", [PY, "-m", "launchbench", "eval", "--task", "claims", str(preds), "--data", str(data)],
                [PY, "-c", f"import json, pyarrow.parquet as pq; g = dict(zip(*pq.read_table({str(data / 'benchmark_claims.parquet')!r}, "
                           f"columns=['claim_id', 'gold_verdict']).to_pydict().values())); "
                           f"p = [json.loads(l) for l in open({str(preds)!r})]; sum(g[x['claim_id']] == x['verdict'] for x in p)"]))
    cache = work / "hf-cache"
    out.append(("load_dataset", [PY, "-c", f"import datasets; datasets.disable_progress_bars(); "
                                           f"datasets.load_dataset('parquet', data_files={str(data / 'observations.parquet')!r}, "
                                           f"split='train', cache_dir={str(cache)!r})"],
                [PY, "-c", f"import pyarrow.parquet as pq; pq.read_table({str(data / 'observations.parquet')!r})"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--json", type=Path, help="write every row here")
    parser.add_argument("--plot", type=Path, help="write a PNG of time vs size (needs matplotlib)")
    args = parser.parse_args()
    from synthetic import generate

    rows = []
    for n in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"lb-scale-{n}-"))
        start = time.perf_counter()
        generate(work / "data", n)
        print(f"# {n:,} observations generated in {time.perf_counter() - start:.1f}s", file=sys.stderr, flush=True)
        for name, ours, bare in measurements(work / "data", work):
            o, b = measure(ours), measure(bare)
            if o[2] != 0:
                print(f"# {name} exited {o[2]} at {n}", file=sys.stderr)
            rows.append({"size": n, "what": name, "ours_s": o[0], "ours_mib": o[1], "bare_s": b[0], "bare_mib": b[1],
                         "ratio": o[0] / b[0], "exit": o[2]})
            print(f"{n:>10,} {name:<38} ours {o[0]:7.2f}s {o[1]:7.0f} MiB   bare {b[0]:7.2f}s {b[1]:7.0f} MiB"
                  f"   x{o[0] / b[0]:.2f}", flush=True)
        shutil.rmtree(work, ignore_errors=True)
    build = measure([PY, "-m", "launchbench", "build", "--out", tempfile.mkdtemp() + "/data"])
    print(f"{'committed':>10} {'build (YAML records -> Parquet)':<38} ours {build[0]:7.2f}s {build[1]:7.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 5))
        for name in sorted({r["what"] for r in rows if not r["what"].startswith("query:")}) + ["query:start_times"]:
            pts = [(r["size"], r["ours_s"]) for r in rows if r["what"] == name]
            ax.plot(*zip(*pts), marker="o", label=name)
        ax.set_xscale("log"), ax.set_yscale("log"), ax.set_xlabel("observations"), ax.set_ylabel("seconds")
        ax.legend(fontsize=8), ax.set_title("LaunchBench tools: wall time vs size")
        fig.savefig(args.plot, dpi=100, bbox_inches="tight")


if __name__ == "__main__":
    main()
