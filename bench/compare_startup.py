"""Benchmark (not a test): `launchbench compare` as a whole process vs `python -c "import duckdb"`.

    python bench/compare_startup.py [--runs 15]

Prints the median wall time of each and the ratio (target: at most 2x).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def _median_seconds(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, check=True, capture_output=True)  # warm the file cache once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = shutil.which("launchbench")
    compare = [exe, "compare"] if exe else [sys.executable, "-m", "launchbench", "compare"]
    baseline = _median_seconds([sys.executable, "-c", "import duckdb"], args.runs)
    ours = _median_seconds(compare, args.runs)
    print(f"python -c 'import duckdb'   median {baseline * 1000:7.1f} ms over {args.runs} runs")
    print(f"launchbench compare         median {ours * 1000:7.1f} ms over {args.runs} runs")
    print(f"ratio                       {ours / baseline:7.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
