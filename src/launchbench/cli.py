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


def _cmd_card(args) -> int:
    from launchbench.card import write_card

    for path in write_card(args.data):
        print(f"wrote {path}")
    return 0


def _cmd_compare(args) -> int:
    from launchbench.compare import render

    print(render(args.format, args.data))
    return 0


def _cmd_validate(args) -> int:
    from launchbench.paths import project_root
    from launchbench.validate import failed, summary, validate, write_json

    results = validate(args.data, engine=args.engine)
    print(summary(results))
    if args.json:
        write_json(results, args.json)
    if not args.no_docs:
        try:
            from launchbench.gx_engine import data_docs
            import great_expectations  # noqa: F401  (Data Docs are rendered by GX)
        except ImportError:
            print("Data Docs need Great Expectations: pip install 'launchbench[validate]' (or use --no-docs)",
                  file=sys.stderr)
            return 1

        index = data_docs(results, args.docs or project_root() / "validation" / "uncommitted" / "data_docs")
        print(f"Data Docs: {index}")
    return 1 if failed(results) else 0


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

    p = sub.add_parser("card", help="regenerate the dataset card, Croissant and Data Package", formatter_class=raw,
                       description="Write dataset/README.md (Hugging Face card), dataset/croissant.json and "
                                   "dataset/datapackage.json from schemas/ and the Parquet. `build` runs it too.",
                       epilog="Example:\n  launchbench card")
    p.add_argument("--data", type=Path, default=None, help="Parquet folder (default dataset/data)")
    p.set_defaults(func=_cmd_card)

    p = sub.add_parser("compare", help="the launches side by side", formatter_class=raw,
                       description="Print launch_metrics: schedule, start, delay, audience, cause, sources.",
                       epilog="Examples:\n  launchbench compare\n  launchbench compare --format json")
    p.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table")
    p.add_argument("--data", type=Path, default=None, help="Parquet folder (default dataset/data)")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("validate", help="check the Parquet: structure, GX suites, cross-table SQL",
                       formatter_class=raw,
                       description="Validate dataset/data (or --data). Exits 1 on any critical failure; each "
                                   "failure names its table, column and check. Writes GX Data Docs.",
                       epilog="Examples:\n  launchbench validate\n"
                              "  launchbench validate --data /tmp/data --json report.json --no-docs\n"
                              "  launchbench validate --engine gx   # GX's own pandas engine (slower)")
    p.add_argument("--data", type=Path, default=None, help="Parquet folder (default dataset/data)")
    p.add_argument("--json", type=Path, default=None, help="also write every result to this JSON file")
    p.add_argument("--engine", choices=("duckdb", "gx"), default="duckdb",
                   help="run expectations in DuckDB (default, fast) or in GX on pandas")
    p.add_argument("--docs", type=Path, default=None,
                   help="Data Docs folder (default validation/uncommitted/data_docs, git-ignored)")
    p.add_argument("--no-docs", action="store_true", help="skip the Data Docs (no GX import)")
    p.set_defaults(func=_cmd_validate)
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
