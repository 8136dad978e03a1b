"""The `launchbench` command: a thin layer over the library. Heavy imports stay inside each command."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _data(args) -> Path | None:
    """--data wins; else --version (a frozen release, or `working`); else the working data."""
    from launchbench.paths import data_dir_for

    if getattr(args, "data", None):
        return args.data
    return data_dir_for(getattr(args, "version", None))


def _cmd_build(args) -> int:
    from launchbench.benchmark import BenchmarkError
    from launchbench.build import BuildRefused, build, stale_files
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
    except BenchmarkError as exc:
        print(f"build failed, nothing written: {exc}", file=sys.stderr)
        return 1
    except BuildRefused as exc:
        print(f"build refused, nothing written: the data would fail {len(exc.failures)} validate check(s):",
              file=sys.stderr)
        for failure in exc.failures:
            print(f"  {failure.describe()}", file=sys.stderr)
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

    print(render(args.format, _data(args)))
    return 0


def _cmd_validate(args) -> int:
    from launchbench.paths import project_root
    from launchbench.validate import failed, summary, validate, write_json

    results = validate(_data(args), engine=args.engine)
    print(summary(results))
    if args.json:
        write_json(results, args.json)
    if not args.no_docs:
        try:
            from launchbench.gx_engine import data_docs
            import great_expectations  # noqa: F401  (Data Docs are rendered by GX)
        except ImportError:  # the checks ran without GX; only the HTML is skipped
            print("Data Docs skipped: they need Great Expectations (pip install 'launchbench[validate]')",
                  file=sys.stderr)
            return 1 if failed(results) else 0

        index = data_docs(results, args.docs or project_root() / "validation" / "uncommitted" / "data_docs")
        print(f"Data Docs: {index}")
    return 1 if failed(results) else 0


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--param expects key=value, got {pair!r}")
        params[key] = value
    return params


def _limits(args):
    import dataclasses

    from launchbench.sandbox import DEFAULT_LIMITS

    changes = {k: v for k, v in (("timeout_s", getattr(args, "timeout", None)),
                                 ("max_rows", getattr(args, "max_rows", None))) if v is not None}
    return dataclasses.replace(DEFAULT_LIMITS, **changes)


def _print_rows(names, rows, cut, fmt, limits) -> None:
    from launchbench.formats import render_rows

    print(render_rows(names, rows, fmt))
    if cut:
        print(f"(first {limits.max_rows:,} rows shown; raise --max-rows, or use --format csv for every row)",
              file=sys.stderr)


def _cmd_query(args) -> int:
    from launchbench.queries import QueryError, named_queries, run
    from launchbench.sandbox import SqlLimit, SqlRefused

    if args.list or not args.name:
        for q in named_queries().values():
            params = ", ".join(q.params) or "no parameters"
            print(f"{q.name}\n    {q.purpose}\n    params: {params}; grain: {q.grain}")
        return 0
    limits = _limits(args)
    try:
        if args.format == "csv":  # streams every row; large results go through Arrow
            from launchbench.queries import write_csv

            sys.stdout.flush()
            write_csv(args.name, sys.stdout.buffer, _parse_params(args.param), _data(args), limits)
            return 0
        names, rows, cut = run(args.name, _parse_params(args.param), _data(args), limits, with_cut=True)
    except (QueryError, SqlRefused, SqlLimit, ValueError) as exc:
        print(f"launchbench query: {exc}", file=sys.stderr)
        return 1
    _print_rows(names, rows, cut, args.format, limits)
    return 0


def _cmd_sql(args) -> int:
    import duckdb

    from launchbench.sandbox import SqlLimit, SqlRefused, connect_read_only, fetch

    limits = _limits(args)
    con = connect_read_only(_data(args), limits=limits)
    try:
        names, rows, cut = fetch(con, args.statement, limits=limits)
    except SqlRefused as exc:
        print(f"launchbench sql: refused: {exc}", file=sys.stderr)
        return 1
    except SqlLimit as exc:
        print(f"launchbench sql: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"launchbench sql: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        con.close()
    _print_rows(names, rows, cut, args.format, limits)
    return 0


def _cmd_eval(args) -> int:
    import json

    from launchbench.evaluate import PredictionError, evaluate, summary

    try:
        score = evaluate(args.task, args.predictions, _data(args), args.timeout, args.strict, args.split)
    except PredictionError as exc:
        print(f"launchbench eval: {exc}", file=sys.stderr)
        return 1
    print(summary(score))
    if args.json:
        args.json.write_text(json.dumps(score.to_json(), indent=2, default=str), encoding="utf-8")
    return 0


def _cmd_baselines(args) -> int:
    import json

    import rank_bm25  # noqa: F401  (checked first: a missing extra is named before any work is done)

    from launchbench.baselines import run, table

    results = run(tuple(args.task or ("qa", "sql", "claims")), tuple(args.split or ("dev", "test")), _data(args))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _cmd_site(args) -> int:
    from launchbench.site import build_site

    try:
        index = build_site(args.out, _data(args))
    except ValueError as exc:
        print(f"launchbench site: refused: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {index} (open it in a browser; it works offline)")
    return 0


def _cmd_release(args) -> int:
    from launchbench.release import ReleaseError, release

    try:
        target = release(args.version_number)
    except ReleaseError as exc:
        print(f"launchbench release: refused: {exc}", file=sys.stderr)
        return 1
    print(f"released {args.version_number} -> {target}")
    return 0


def _cmd_export(args) -> int:
    from launchbench.export import export

    try:
        counts = export(args.task, args.out, args.data, args.version, args.split)
    except ValueError as exc:
        print(f"launchbench export: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: inputs.jsonl ({counts['items']} items), data/ ({counts['tables']} tables), README.md")
    return 0


def _cmd_verify(args) -> int:
    from launchbench.paths import WORKING, released_versions
    from launchbench.release import verify

    versions = [args.version_number] if args.version_number else [*released_versions(), WORKING]
    bad = 0
    for version in versions:
        problems = verify(version)
        bad += bool(problems)
        print(f"{version}: " + ("intact" if not problems else f"{len(problems)} problem(s)"))
        for problem in problems:
            print(f"  {problem}")
    return 1 if bad else 0


def _cmd_diff(args) -> int:
    from launchbench.paths import data_dir_for
    from launchbench.release import diff, render_diff

    print(render_diff(diff(data_dir_for(args.a), data_dir_for(args.b)), args.a, args.b, args.format, args.max_rows))
    return 0


def _data_args(p: argparse.ArgumentParser) -> None:
    """--data and --version: which Parquet a reading command uses."""
    p.add_argument("--data", type=Path, default=None, help="Parquet folder (default dataset/data)")
    p.add_argument("--version", default=None, metavar="VERSION",
                   help="a frozen release, e.g. 1.0.0 (default: the working data)")


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
        return value
    return parse


def _limit_args(p: argparse.ArgumentParser) -> None:
    """--timeout and --max-rows: the bounds on a read-only statement (launchbench.sandbox.Limits)."""
    p.add_argument("--timeout", type=_positive(float), default=None, metavar="SECONDS",
                   help="stop the statement after this many seconds (default 30)")
    p.add_argument("--max-rows", type=_positive(int), default=None, metavar="N",
                   help="print at most N rows as a table or JSON (default 10,000; CSV prints every row)")


class _VersionAction(argparse.Action):
    """`launchbench --version`: the package, and the dataset and benchmark versions of the repository at hand."""

    def __call__(self, parser, namespace, values, option_string=None):
        from launchbench import __version__

        try:
            from launchbench.benchmark import benchmark_version
            from launchbench.card import dataset_version

            data = f"dataset {dataset_version()}, benchmark {benchmark_version()}"
        except Exception:  # outside a repository: the package alone
            data = "no dataset repository found here"
        print(f"launchbench {__version__} ({data})")
        parser.exit()


def _missing_extra(exc: ModuleNotFoundError) -> str | None:
    """The `pip install` line for a missing optional package, read from the package's own extras."""
    from importlib import metadata

    module = (exc.name or "").split(".")[0]
    try:
        requires = metadata.requires("launchbench") or []
    except metadata.PackageNotFoundError:
        return None
    for line in requires:
        name = line.split(";")[0].split("<")[0].split(">")[0].split("=")[0].split("[")[0].strip()
        if "extra ==" in line and name.lower().replace("-", "_") == module.lower():
            extra = line.split("extra ==")[1].strip().strip("\"'")
            return f"pip install 'launchbench[{extra}]'"
    return None


def _parser() -> argparse.ArgumentParser:

    parser = argparse.ArgumentParser(
        prog="launchbench",
        description="LaunchBench: sourced data on political events hosted live on platforms.",
        epilog="Example: launchbench compare --format markdown",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the package, dataset and benchmark versions and exit")
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
    _data_args(p)
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("query", help="run a named comparative query", formatter_class=raw,
                       description="Run one of the named queries in queries/ with bound parameters.",
                       epilog="Examples:\n  launchbench query --list\n  launchbench query start_times --format csv\n"
                              "  launchbench query launch_timeline --param launch_id=2023-05-24-desantis-twitter-spaces")
    p.add_argument("name", nargs="?", help="query name (see --list)")
    p.add_argument("--list", action="store_true", help="list the queries with their purpose and parameters")
    p.add_argument("--param", action="append", metavar="KEY=VALUE", help="a parameter value (repeatable)")
    p.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table")
    _limit_args(p)
    _data_args(p)
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser("sql", help="run one read-only SELECT over the views", formatter_class=raw,
                       description="Run a SELECT over the table views (launches, observations, ...). Anything but "
                                   "a plain read (writes, DDL, PRAGMA, EXPLAIN ANALYZE of a write) and file access "
                                   "outside the data folder are refused; a statement is stopped after --timeout "
                                   "seconds or when it needs more than 4 GB, and at most --max-rows rows print.",
                       epilog="Example:\n  launchbench sql \"select launch_id, delay_minutes from launch_metrics\"")
    p.add_argument("statement", help="one SELECT statement")
    p.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table")
    _limit_args(p)
    _data_args(p)
    p.set_defaults(func=_cmd_sql)

    p = sub.add_parser("eval", help="score predictions on the benchmark (qa, sql, claims)", formatter_class=raw,
                       description="Score a JSON Lines prediction file. qa: {\"qid\", \"answer\"}; sql: "
                                   "{\"qid\", \"sql\"}; claims: {\"claim_id\", \"verdict\", \"evidence\": "
                                   "[passage ids]}. Rules: benchmark/README.md.",
                       epilog="Examples:\n  launchbench eval --task qa --split test predictions.jsonl\n"
                              "  launchbench eval --task claims --split test verdicts.jsonl --json score.json")
    p.add_argument("--task", choices=("qa", "sql", "claims"), required=True)
    p.add_argument("predictions", type=Path, help="JSON Lines file, one prediction per line")
    p.add_argument("--json", type=Path, default=None, help="write task, n, score and per-tag scores here")
    p.add_argument("--timeout", type=_positive(float), default=None, metavar="SECONDS",
                   help="sql task: stop each predicted statement after this many seconds (default 10)")
    p.add_argument("--strict", action="store_true", help="an id without a prediction is an error, not a wrong item")
    p.add_argument("--split", choices=("dev", "test"), default=None, help="score one split (default: both)")
    _data_args(p)
    p.set_defaults(func=_cmd_eval)

    p = sub.add_parser("baselines", help="run and score the simple baselines (majority, keyword, BM25)",
                       formatter_class=raw,
                       description="Run the baselines on the exported inputs (learned ones read dev gold only) and "
                                   "score them with eval; prints a Markdown table. About a minute (the sql task runs "
                                   "every predicted query twice).",
                       epilog="Examples:\n  launchbench baselines --split test\n"
                              "  launchbench baselines --json benchmark/baselines.json")
    p.add_argument("--task", choices=("qa", "sql", "claims"), action="append", help="one task (repeatable)")
    p.add_argument("--split", choices=("dev", "test"), action="append", help="one split (repeatable)")
    p.add_argument("--json", type=Path, default=None, help="write the results here")
    _data_args(p)
    p.set_defaults(func=_cmd_baselines)

    p = sub.add_parser("export", help="write what a system under test may see for one task", formatter_class=raw,
                       description="Write OUT/inputs.jsonl (the items without gold answers, gold SQL, verdicts or "
                                   "answerability) and OUT/data/ (the tables without the benchmark's own; for the "
                                   "claims task also without verdicts, verdict notes and evidence stances).",
                       epilog="Examples:\n  launchbench export --task qa --split test --out qa-test/\n"
                              "  launchbench export --task claims --split test --out claims-test/")
    p.add_argument("--task", choices=("qa", "sql", "claims"), required=True)
    p.add_argument("--split", choices=("dev", "test"), default=None, help="one split's items (default: both)")
    p.add_argument("--out", type=Path, required=True, help="a new or empty folder")
    _data_args(p)
    p.set_defaults(func=_cmd_export)

    for name in ("site", "report"):  # `report` is the 1.x name of the same page
        p = sub.add_parser(name, help="static site: the launches side by side, a page per launch, the codebook"
                           + (" (alias of site)" if name == "report" else ""), formatter_class=raw,
                           description="Write a static site that works offline from file:// and on any static "
                                       "host: index.html (the launches side by side, sortable, with comparison "
                                       "charts and the downloads), launches/<launch_id>.html (timeline, every "
                                       "report's figure linked to its page with the quoted words, claims with "
                                       "their evidence, reactions, sources) and codebook.html.",
                           epilog=f"Example:\n  launchbench {name} --out site/   # then open site/index.html")
        p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default site/; replaced)")
        _data_args(p)
        p.set_defaults(func=_cmd_site)

    p = sub.add_parser("release", help="validate and freeze the data as a version", formatter_class=raw,
                       description="Freeze dataset/data into dataset/releases/VERSION/ with manifest.json. Refuses an "
                                   "existing version, data that fail validation or are stale, and a version number "
                                   "that does not follow the versioning policy.",
                       epilog="Example:\n  launchbench release 1.1.0")
    p.add_argument("version_number", metavar="VERSION", help="MAJOR.MINOR.PATCH, equal to dataset/metadata.yaml")
    p.set_defaults(func=_cmd_release)

    p = sub.add_parser("verify", help="check releases and the working data against their manifests",
                       formatter_class=raw,
                       description="Check every file of a frozen release (or of all of them, and of dataset/data) "
                                   "against its manifest.json: sha256 and row count per file, nothing missing or "
                                   "unlisted. Exits 1 and names each file that differs. Reading a release with "
                                   "--version does the sha256 part of this check first and refuses a mismatch.",
                       epilog="Examples:\n  launchbench verify          # every release and the working data\n"
                              "  launchbench verify 2.0.0\n  launchbench verify working")
    p.add_argument("version_number", metavar="VERSION", nargs="?", help="a release, or `working`; default: all")
    p.set_defaults(func=_cmd_verify)

    p = sub.add_parser("diff", help="what changed between two versions", formatter_class=raw,
                       description="Rows added, removed and changed per table (keyed on primary keys), with the "
                                   "changed cells. A and B are versions or `working`.",
                       epilog="Examples:\n  launchbench diff 1.0.0 working\n"
                              "  launchbench diff 1.0.0 1.1.0 --format markdown >> CHANGELOG.md")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    p.add_argument("--max-rows", type=int, default=None, help="markdown: list at most N rows per change kind")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser("validate", help="check the Parquet: structure, GX suites, cross-table SQL",
                       formatter_class=raw,
                       description="Validate dataset/data (or --data). Exits 1 on any critical failure; each "
                                   "failure names its table, column and check. Writes GX Data Docs.",
                       epilog="Examples:\n  launchbench validate\n"
                              "  launchbench validate --data /tmp/data --json report.json --no-docs\n"
                              "  launchbench validate --engine gx   # GX's own pandas engine (slower)")
    _data_args(p)
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
    except ModuleNotFoundError as exc:  # an optional package this command needs is not installed
        line = _missing_extra(exc)
        if line is None:
            raise
        print(f"launchbench {args.command}: needs the optional package {exc.name!r}: {line}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `launchbench ... | head` closed the pipe: stop quietly, as other tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 0
    except (FileNotFoundError, RuntimeError, ValueError) as exc:  # missing data, repository or release
        print(f"launchbench {args.command}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        import duckdb

        if not isinstance(exc, duckdb.Error):
            raise
        # a table that cannot be read (truncated, corrupted): one line, and where to look
        print(f"launchbench {args.command}: cannot read the data: {str(exc).splitlines()[0]} "
              "(run `launchbench verify` and `launchbench validate`; `launchbench build` rewrites dataset/data)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
