"""The `launchbench` command: a thin layer over the library. Heavy imports stay inside each command."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_build(args) -> int:
    from launchbench.build import build, stale_files
    from launchbench.records import RecordError

    try:
        if args.check:
            stale = stale_files(args.out, args.records)
            if stale:
                print("dataset/data is stale against dataset/records; run `launchbench build`. "
                      f"Differs: {', '.join(stale)}", file=sys.stderr)
                return 1
            print("dataset/data is up to date with dataset/records")
            return 0
        counts = build(args.out, args.records)
    except RecordError as exc:
        print(f"build failed, nothing written ({len(exc.issues)} problem(s)):", file=sys.stderr)
        for issue in exc.issues:
            print(f"  {issue}", file=sys.stderr)
        return 1
    print("built " + ", ".join(f"{name}={n}" for name, n in counts.items()))
    return 0


def _cmd_compare(args) -> int:
    from launchbench.compare import render

    print(render(args.format, args.data))
    return 0


def _parser() -> argparse.ArgumentParser:
    from launchbench import __version__

    parser = argparse.ArgumentParser(
        prog="launchbench",
        description="LaunchBench: sourced data on political events hosted live on platforms.",
        epilog="Example: launchbench compare --format markdown",
    )
    parser.add_argument("--version", action="version", version=f"launchbench {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("build", help="records -> Parquet (deterministic, atomic)", formatter_class=raw,
                       description="Check dataset/records against schemas/ and write dataset/data/*.parquet.",
                       epilog="Examples:\n  launchbench build\n  launchbench build --check   # exit 1 if stale")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if dataset/data is stale")
    p.add_argument("--records", type=Path, default=None, help="records folder (default dataset/records)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default dataset/data)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("compare", help="the launches side by side", formatter_class=raw,
                       description="Print launch_metrics: schedule, start, delay, audience, cause, sources.",
                       epilog="Examples:\n  launchbench compare\n  launchbench compare --format json")
    p.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table")
    p.add_argument("--data", type=Path, default=None, help="Parquet folder (default dataset/data)")
    p.set_defaults(func=_cmd_compare)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, RuntimeError) as exc:  # missing data or repository: say so, no traceback
        print(f"launchbench {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
