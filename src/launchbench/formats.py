"""Render rows as a text table, Markdown, CSV or JSON (shared by compare, query, sql and eval)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

FORMATS = ("table", "markdown", "csv", "json")


def jsonable(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if _is_nan(value):  # NaN is no value: JSON null, an empty CSV cell
        return None
    return value


INVALID_NUMBER = "NaN (invalid)"  # how a NaN shows in a table: never as if it were a figure


def _is_nan(value) -> bool:
    return isinstance(value, float) and value != value


def _cell(value) -> str:
    if value is None:
        return ""
    if _is_nan(value):
        return INVALID_NUMBER
    if isinstance(value, float) and value.is_integer():
        return f"{int(value)}"
    if isinstance(value, float):  # for reading: 4 decimals at most (CSV and JSON keep every digit)
        return f"{value:.4g}" if abs(value) < 0.001 else f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC") if value.utcoffset() == dt.timedelta(0) else value.isoformat()
    return str(value)


def text_table(lines: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    fmt = lambda line: "  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(lines[0]), rule, *map(fmt, lines[1:])])


def markdown_table(lines: list[list[str]]) -> str:
    esc = lambda s: s.replace("|", "\\|").replace("\n", " ")
    out = ["| " + " | ".join(map(esc, lines[0])) + " |", "|" + "---|" * len(lines[0])]
    out += ["| " + " | ".join(map(esc, line)) + " |" for line in lines[1:]]
    return "\n".join(out)


def render_rows(names: list[str], rows: list[tuple], fmt: str = "table", max_width: int = 60) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    nan = sum(_is_nan(v) for r in rows for v in r)
    if nan:  # said once, on stderr, whatever the format shows in their place
        import sys

        print(f"warning: {nan} value(s) are NaN, which no LaunchBench figure can be: the data are corrupt "
              "(run `launchbench validate`)", file=sys.stderr)
    if fmt == "json":
        return json.dumps([{n: jsonable(v) for n, v in zip(names, r)} for r in rows], indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([[jsonable(v) for v in r] for r in rows])
        return buf.getvalue().rstrip("\n")
    clip = (lambda s: s if len(s) <= max_width else s[: max_width - 1] + "…") if fmt == "table" else (lambda s: s)
    lines = [list(names)] + [[clip(_cell(v)) for v in r] for r in rows]
    return text_table(lines) if fmt == "table" else markdown_table(lines)


def csv_cell(value):
    """One CSV cell, formatted like Arrow's CSV writer does (so mixed small/large paths agree)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    if isinstance(value, (list, tuple)):  # as DuckDB casts a list to text: [a, b]
        return "[" + ", ".join(str(v) for v in value) + "]"
    return jsonable(value)


def write_csv_arrow(table, stream, header: bool = True) -> None:
    """CSV straight from Arrow for large results: DuckDB formats times and lists (vectorised, on its own
    unrestricted in-memory connection over the Arrow table), Arrow's C++ writer writes the CSV."""
    import duckdb
    import pyarrow as pa
    import pyarrow.csv as pacsv

    def expr(field):
        q = '"' + field.name.replace('"', '""') + '"'
        if pa.types.is_timestamp(field.type):  # ISO 8601 in UTC, like the other formats
            return f"strftime({q}, '%Y-%m-%dT%H:%M:%S+00:00') as {q}"
        if pa.types.is_list(field.type):
            return f"cast({q} as varchar) as {q}"
        return q

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("result_rows", table)
    formatted = con.sql(f"select {', '.join(expr(f) for f in table.schema)} from result_rows").to_arrow_table()
    pacsv.write_csv(formatted, stream, pacsv.WriteOptions(quoting_style="needed", include_header=header))
