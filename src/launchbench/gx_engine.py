"""Great Expectations: run suites with GX's own pandas engine, and render Data Docs from any engine's results.

`validate --engine gx` uses GX end to end (slow on large tables: the table is loaded into pandas). Both engines
report through `data_docs()`, which renders GX's validation-result pages, so the Data Docs look the same.
GX reports some failures as `exception_info` instead of raising: those count as failures here, never passes.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
import shutil
from pathlib import Path

from launchbench.expectations import Expectation
from launchbench.paths import project_root
from launchbench.sql_engine import Outcome

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def _gx_kwargs(exp: Expectation) -> dict:
    kwargs = dict(exp.kwargs)
    if "row_condition" in kwargs:
        kwargs["condition_parser"] = "pandas"
    for bound in ("min_value", "max_value"):  # ISO strings bound timestamp columns
        if isinstance(kwargs.get(bound), str):
            kwargs[bound] = dt.datetime.fromisoformat(kwargs[bound])
    return kwargs


def _gx_class(type_: str):
    import great_expectations.expectations as gxe

    return getattr(gxe, "".join(part.capitalize() for part in type_.split("_")))


def run_table(frame, table: str, expectations: list[Expectation]) -> list[Outcome]:
    """Evaluate `expectations` on a pandas DataFrame with GX's pandas engine."""
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    batch_definition = (context.data_sources.add_pandas(f"launchbench-{table}")
                        .add_dataframe_asset(table).add_batch_definition_whole_dataframe("all"))
    suite = gx.ExpectationSuite(name=table)
    for exp in expectations:
        suite.add_expectation(_gx_class(exp.type)(**_gx_kwargs(exp)))
    suite = context.suites.add(suite)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5})
    # GX reorders results (by column); match them back to our expectations through their ids
    by_id = {r.expectation_config.id: r for r in result.results}
    outcomes = []
    for r in (by_id[e.id] for e in suite.expectations):
        error = _exception_message(r.exception_info)
        if error:
            outcomes.append(Outcome(False, error=f"GX could not run it: {error}"))
            continue
        res = r.result or {}
        outcomes.append(Outcome(bool(r.success), res.get("element_count"), res.get("unexpected_count"),
                                [str(v) for v in res.get("partial_unexpected_list") or []][:5],
                                observed=res.get("observed_value")))
    return outcomes


def _exception_message(info) -> str | None:
    """GX puts errors either at the top level or keyed by metric; any of them means the check did not run."""
    if not info:
        return None
    if "raised_exception" in info or "exception_message" in info:
        return info.get("exception_message") if info.get("raised_exception") or info.get("exception_message") else None
    for nested in info.values():
        if isinstance(nested, dict) and (nested.get("raised_exception") or nested.get("exception_message")):
            return (nested.get("exception_message") or "exception").splitlines()[0]
    return None


def data_docs(results, folder: Path) -> Path:
    """Write one GX validation-result page per table plus an index; returns the index path."""
    from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration
    from great_expectations.render.renderer import ValidationResultsPageRenderer
    from great_expectations.render.view import DefaultJinjaPageView

    folder.mkdir(parents=True, exist_ok=True)
    tables = sorted({r.table for r in results if r.kind == "expectation"})
    renderer, view = ValidationResultsPageRenderer(), DefaultJinjaPageView()
    for table in tables:
        rows = [r for r in results if r.kind == "expectation" and r.table == table]
        evrs = []
        for r in rows:
            config = ExpectationConfiguration(type=r.expectation_type, kwargs=r.kwargs,
                                              meta={"severity": r.severity, "why": r.why})
            result = {"element_count": r.element_count, "unexpected_count": r.unexpected_count,
                      "partial_unexpected_list": r.sample, "observed_value": r.observed}
            if r.element_count:
                result["unexpected_percent"] = 100.0 * (r.unexpected_count or 0) / r.element_count
            evrs.append(ExpectationValidationResult(
                success=r.success, expectation_config=config,
                result={k: v for k, v in result.items() if v is not None},
                exception_info={"raised_exception": bool(r.error), "exception_message": r.error,
                                "exception_traceback": None}))
        ok = sum(r.success for r in rows)
        suite_result = ExpectationSuiteValidationResult(
            success=all(r.success or r.severity != "critical" for r in rows), results=evrs,
            suite_name=f"launchbench.{table}",
            statistics={"evaluated_expectations": len(rows), "successful_expectations": ok,
                        "unsuccessful_expectations": len(rows) - ok,
                        "success_percent": 100.0 * ok / len(rows) if rows else 100.0})
        page = view.render(renderer.render(suite_result))
        (folder / f"{table}.html").write_text(offline_page(page, folder), encoding="utf-8")
    (folder / "index.html").write_text(_index_page(results, tables), encoding="utf-8")
    _copy_assets(folder)
    return folder / "index.html"


# GX's page template loads Bootstrap, jQuery, Font Awesome and more from CDNs, and points "Home" at its own
# folder layout. The pages are rewritten to load the copies in validation/docs_assets/ (taken from the npm
# registry: bootstrap 4.3.1, the version GX asks for, jquery 3.7.1, @fortawesome/fontawesome-free 6.6.0; see
# its README) and to link home to our index, so they render styled from file:// with no network.
ASSETS = {r"bootstrap(\.min)?\.css": ["css/bootstrap.min.css"],
          r"font-awesome|fontawesome": ["css/fontawesome.min.css", "css/solid.min.css", "css/regular.min.css"],
          r"jquery[-.0-9]*(\.min)?\.js": ["js/jquery.min.js"], r"bootstrap(\.bundle)?(\.min)?\.js": ["js/bootstrap.bundle.min.js"]}


def _local(url: str) -> str:
    """The local tags for a CDN resource, or nothing for those the pages can do without (tables, dates, charts)."""
    for pattern, files in ASSETS.items():
        if re.search(pattern, url.rsplit("/", 1)[-1] if "font" not in pattern else url):
            return "".join(f'<script src="assets/{f}"></script>' if f.endswith(".js") else
                           f'<link rel="stylesheet" href="assets/{f}">' for f in files)
    return ""


def offline_page(text: str, folder: Path) -> str:
    text = re.sub(r'<link[^>]*href="(https?:)?//[^"]*"[^>]*>', lambda m: _local(re.search(r'href="([^"]*)"',
                                                                                          m.group(0)).group(1)), text)
    text = re.sub(r'<script[^>]*src="(https?:)?//[^"]*"[^>]*>\s*</script>',
                  lambda m: _local(re.search(r'src="([^"]*)"', m.group(0)).group(1)), text)
    text = re.sub(r'<img[^>]*src="(https?:)?//[^"]*"[^>]*>', "", text)  # the GX logo from S3
    text = re.sub(r'<link rel="shortcut icon"[^>]*>', "", text)  # GX's favicon, in its own layout
    # relative links into GX's own layout (home, favicon) become our index
    return re.sub(r'href="(\.\./)+[^"]*"', 'href="index.html"', text)


def _copy_assets(folder: Path) -> None:
    source = project_root() / "validation" / "docs_assets"
    if source.is_dir():
        shutil.copytree(source, folder / "assets", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("README.md", "LICENSE-*"))


def _index_page(results, tables) -> str:
    esc = html.escape
    def status(rows):
        crit = [r for r in rows if not r.success and r.severity == "critical"]
        warn = [r for r in rows if not r.success and r.severity != "critical"]
        return ("FAILED" if crit else "passed") + (f", {len(warn)} warning(s)" if warn else "")
    lines = ["<!doctype html><html><head><meta charset='utf-8'><title>LaunchBench validation</title>",
             "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px 8px}"
             "table{border-collapse:collapse}.fail{background:#fdd}.warn{background:#ffd}</style></head><body>",
             "<h1>LaunchBench validation</h1><h2>Expectation suites (Great Expectations)</h2><table>",
             "<tr><th>table</th><th>expectations</th><th>status</th></tr>"]
    for t in tables:
        rows = [r for r in results if r.kind == "expectation" and r.table == t]
        lines.append(f"<tr><td><a href='{esc(t)}.html'>{esc(t)}</a></td><td>{len(rows)}</td>"
                     f"<td>{esc(status(rows))}</td></tr>")
    lines.append("</table><h2>Structure and cross-table checks (DuckDB SQL)</h2><table>"
                 "<tr><th>table</th><th>column</th><th>check</th><th>severity</th><th>result</th><th>sample</th></tr>")
    for r in results:
        if r.kind == "expectation":
            continue
        css = "" if r.success else (" class='fail'" if r.severity == "critical" else " class='warn'")
        lines.append(f"<tr{css}><td>{esc(r.table)}</td><td>{esc(r.column or '')}</td><td>{esc(r.check)}</td>"
                     f"<td>{esc(r.severity)}</td><td>{'pass' if r.success else 'FAIL'}</td>"
                     f"<td>{esc('; '.join(map(str, r.sample)))}</td></tr>")
    lines.append("</table></body></html>")
    return "\n".join(lines)
