"""`launchbench compare`: the launches side by side, from launch_metrics on the committed Parquet.

Only DuckDB and the standard library are imported here, so the command answers at once.
"""
from __future__ import annotations

from pathlib import Path

from launchbench.db import connect
from launchbench.formats import FORMATS, markdown_table, render_rows, text_table

# Human rows for table/markdown: label -> SQL expression over launch_metrics (one column per launch).
def _figure(value: str, basis: str, fmt: str) -> str:
    """SQL for a resolved figure: the value, marked '>=' or '<=' when only bounds support it (basis)."""
    return (f"case {basis} when 'lower_bound' then '>= ' when 'upper_bound' then '<= ' else '' end "
            f"|| printf('{fmt}', {value})")


def _range(low: str, high: str, fmt: str) -> str:
    """'(low to high)', with '?' for an open end (a bound-only figure has one)."""
    return (f"'(' || coalesce(printf('{fmt}', {low}), '?') || ' to ' || coalesce(printf('{fmt}', {high}), '?') "
            f"|| ')'")


_PEOPLE = "%,d"
_DISPLAY_INNER = f"""
select
    launch_id,
    platform_id,
    coalesce(strftime(scheduled_start_utc, '%Y-%m-%d %H:%M') || ' UTC', 'not reported') as sched_utc,
    coalesce(strftime(timezone(local_timezone, scheduled_start_utc), '%H:%M') || ' ' || local_timezone, '-')
        as sched_local,
    coalesce(strftime(conversation_start_utc, '%H:%M') || ' UTC', '-') as start_utc,
    coalesce(strftime(timezone(local_timezone, conversation_start_utc), '%H:%M') || ' ' || local_timezone, '-') as start_local,
    case when delay_minutes is null then '-' else
        {_figure("round(delay_minutes, 1)", "delay_basis", "%g")} || ' min '
        || {_range("round(delay_minutes_low, 1)", "round(delay_minutes_high, 1)", "%g")}
        || coalesce(', ' || delay_n_reports || ' rep', '')
    end as delay,
    case when relaunched then 'yes' else 'no' end as relaunched,
    case when peak_listeners is null then '-' else
        {_figure("peak_listeners::bigint", "peak_listeners_basis", _PEOPLE)} || ' '
        || {_range("peak_listeners_low::bigint", "peak_listeners_high::bigint", _PEOPLE)}
    end as peak,
    case when peak_listeners is null then '-' else
        {_figure("peak_listeners::bigint", "peak_listeners_basis", _PEOPLE)}
        || coalesce(', ' || peak_listeners_n_reports || ' rep', '')
    end as peak_indep,
    case when peak_listeners_claimed is null then '-' else
        {_figure("peak_listeners_claimed::bigint", "peak_listeners_claimed_basis", _PEOPLE)} end as peak_claimed,
    case when duration_minutes is null then '-' else
        {_figure("round(duration_minutes, 1)", "duration_basis", "%g")} || ' min'
        || coalesce(', ' || duration_n_reports || ' rep', '')
    end as duration,
    coalesce(claimed_cause || ' (' || claimed_cause_verdict || ')', '-') as cause,
    n_sources::varchar || ' sources, ' || n_reports::varchar || ' reports, ' || n_observations::varchar
        || ' figures' as sourcing
from launch_metrics
"""
_LABELS = {
    "launch_id": "launch", "platform_id": "platform", "sched_utc": "scheduled start",
    "sched_local": "scheduled (local)", "start_utc": "conversation start", "start_local": "started (local)",
    "delay": "delay: point (range), independent reports", "relaunched": "relaunched",
    "peak": "peak listeners: point (range)", "peak_indep": "peak, independent reports",
    "peak_claimed": "peak, claimed by hosts/platform/campaign",
    "duration": "duration", "cause": "claimed cause (verdict)", "sourcing": "sources",
}
# '-' wherever a field has nothing (an older release lacks the columns some fields are made of)
_DISPLAY_SQL = ("select " + ", ".join(f"coalesce({name}, '-') as {name}" for name in _LABELS)
                + f" from ({_DISPLAY_INNER}) order by launch_id")


# schema types as DuckDB spells them, for the columns an older release does not have
_DUCKDB_TYPES = {"string": "VARCHAR", "int64": "BIGINT", "float64": "DOUBLE", "bool": "BOOLEAN",
                 "timestamp": "TIMESTAMPTZ", "date": "DATE", "list<string>": "VARCHAR[]"}


def _current_layout(con) -> None:
    """Shadow launch_metrics with today's columns in today's order, NULL where an older release lacks one, so
    `compare --version 1.0.0` prints the same layout as the working data ('-' where the release has nothing)."""
    from launchbench.schema import load_schemas

    present = {r[0] for r in con.execute("describe launch_metrics").fetchall()}
    columns = [c.name if c.name in present else f"NULL::{_DUCKDB_TYPES[c.type]} as {c.name}"
               for c in load_schemas()["launch_metrics"].columns]
    con.execute("create temp view launch_metrics_current as select " + ", ".join(columns) + " from launch_metrics")


def _fetch(sql: str, data_dir) -> tuple[list[str], list[tuple]]:
    import duckdb

    con = connect(data_dir, tables=["launch_metrics"])
    try:
        try:
            cur = con.execute(sql)
        except duckdb.BinderException:  # an older release lacks some of today's columns (reading schemas/ only
            _current_layout(con)        # then keeps the everyday command free of the YAML import)
            cur = con.execute(sql.replace("from launch_metrics", "from launch_metrics_current"))
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def _count(data_dir) -> int:
    return _fetch("select count(*) from launch_metrics", data_dir)[1][0][0]


def metrics_rows(data_dir: Path | None = None) -> tuple[list[str], list[tuple]]:
    return _fetch("select * from launch_metrics order by launch_id", data_dir)


def _display_columns(data_dir) -> list[list[str]]:
    names, rows = _fetch(_DISPLAY_SQL, data_dir)
    # transpose: one line per field, one column per launch
    return [[_LABELS[n], *[str(r[i]) for r in rows]] for i, n in enumerate(names)]


# With more launches than this, one column per launch gets too wide: print one row per launch instead.
MAX_SIDE_BY_SIDE = 4
_ROW_FIELDS = ["launch_id", "platform_id", "sched_utc", "delay", "relaunched", "peak_indep", "peak_claimed",
               "duration", "cause", "sourcing"]
_ROW_LABELS = {"launch_id": "launch", "platform_id": "platform", "sched_utc": "scheduled start",
               "delay": "delay min (range), reports", "relaunched": "relaunch", "peak_indep": "peak (independent)",
               "peak_claimed": "peak (claimed)", "duration": "duration", "cause": "claimed cause (verdict)",
               "sourcing": "sources"}


def _rows_layout(columns: list[list[str]]) -> list[list[str]]:
    """Transpose back: one line per launch with the compact fields."""
    by_label = {line[0]: line[1:] for line in columns}
    fields = [(_ROW_LABELS[f], by_label[_LABELS[f]]) for f in _ROW_FIELDS]
    compact = lambda label, v: v.replace(" min (", " (").replace(" sources, ", " src, ").replace(
        " reports, ", " rep, ").replace(" figures", " figs") \
        if label in ("delay min (range), reports", "sources") else v
    return [[label for label, _ in fields]] + [
        [compact(label, values[i]) for label, values in fields] for i in range(len(fields[0][1]))]


def _rows_table_in_sql(data_dir) -> str:
    """The one-line-per-launch text table, padded inside DuckDB (vectorised: fast for many launches)."""
    labels = [_ROW_LABELS[f] for f in _ROW_FIELDS]
    widths = ", ".join(f"greatest(max(length({f})) over (), {len(l)}) as w_{f}" for f, l in zip(_ROW_FIELDS, labels))
    compact = {"delay": "replace(delay, ' min (', ' (')",
               "sourcing": "replace(replace(replace(sourcing, ' sources, ', ' src, '), ' reports, ', ' rep, '), "
                           "' figures', ' figs')"}
    cells = [f"rpad({compact.get(f, f)}, cast(w_{f} as integer), ' ')" for f in _ROW_FIELDS]
    sql = (f"with d as ({_DISPLAY_SQL}), c as (select * replace ({', '.join(f'{v} as {k}' for k, v in compact.items())}) "
           f"from d), w as (select *, {widths} from c) "
           f"select rtrim(concat_ws('  ', {', '.join(cells)})) as line, {', '.join('w_' + f for f in _ROW_FIELDS)} "
           f"from w order by launch_id")
    names, rows = _fetch(sql, data_dir)
    if not rows:
        return ""
    w = rows[0][1:]
    header = "  ".join(l.ljust(n) for l, n in zip(labels, w)).rstrip()
    rule = "  ".join("-" * n for n in w)
    return "\n".join([header, rule, *(r[0] for r in rows)])


def render(fmt: str = "table", data_dir: Path | None = None) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "table" and _count(data_dir) > MAX_SIDE_BY_SIDE:
        return _rows_table_in_sql(data_dir)
    if fmt in ("table", "markdown"):
        lines = _display_columns(data_dir)
        if len(lines[0]) - 1 > MAX_SIDE_BY_SIDE:
            lines = _rows_layout(lines)
        return text_table(lines) if fmt == "table" else markdown_table(lines)
    names, rows = metrics_rows(data_dir)
    return render_rows(names, rows, fmt)
