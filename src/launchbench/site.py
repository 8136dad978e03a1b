"""`launchbench site`: a static site a newsroom could publish as it is, working from `file://` with no network.

index.html (the launches side by side, comparison charts, version, downloads), launches/<launch_id>.html (one page
per launch: summary, timeline against the schedule, every report's figure with the words behind it, claims with
their evidence, reactions, sources) and codebook.html (from schemas/). Charts are SVG written here, each point a
link to its page with the quoted words as its tooltip; no JavaScript library and no CDN (a few lines of inline
script sort the index table). Everything is read from the Parquet through `connect()`; nothing here computes a
figure the tables do not already hold.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from launchbench.db import connect, dicts
from launchbench.paths import project_root
from launchbench.schema import load_schemas

NOT_REPORTED = "not reported"
MARKER = ".launchbench-site"  # a folder holding it was written by `site`, so the next run may replace it
COLOURS = {"independent": "#1f4e8c", "interested": "#d9480f", "other": "#868e96"}
SIDES = {"independent": "independent reports", "interested": "interested parties", "other": "others (no vote)"}
CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#212529;background:#fff}
header,main,footer{max-width:1180px;margin:0 auto;padding:0 20px}
header{border-bottom:1px solid #dee2e6;padding-top:12px;padding-bottom:8px}
header a{margin-right:16px} h1{font-size:1.7em;margin:.4em 0} h2{margin-top:1.6em;border-bottom:1px solid #eee}
a{color:#1f4e8c} table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}
th,td{border-bottom:1px solid #e9ecef;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f5;position:sticky;top:0} th.sortable{cursor:pointer} td.num{text-align:right;white-space:nowrap}
.muted{color:#6c757d} .verdict{font-weight:600;padding:1px 6px;border-radius:4px;background:#f1f3f5}
.supported{background:#d3f9d8}.refuted{background:#ffe3e3}.disputed{background:#fff3bf}.unverified{background:#e9ecef}
blockquote{margin:4px 0 4px 12px;padding-left:10px;border-left:3px solid #ced4da;color:#343a40}
figure{margin:12px 0} figcaption{font-size:14px;color:#495057} svg text{font:12px system-ui,sans-serif}
.wrap{overflow-x:auto} footer{margin-top:40px;border-top:1px solid #dee2e6;padding:12px 20px;font-size:13px;color:#6c757d}
"""
SORT_JS = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, col) {
    th.classList.add('sortable'); th.title = 'sort';
    th.addEventListener('click', function () {
      var body = table.tBodies[0], rows = Array.from(body.rows), asc = th.dataset.dir !== 'asc';
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.sort || a.cells[col].textContent, y = b.cells[col].dataset.sort || b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y), c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      th.dataset.dir = asc ? 'asc' : 'desc'; rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""


def e(value) -> str:
    """HTML-escaped text of any value (None is empty)."""
    return html.escape("" if value is None else str(value))


# ---------------------------------------------------------------- formatting

def fmt_number(value, unit: str = "") -> str:
    if value is None:
        return NOT_REPORTED
    text = f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"
    return text + (f" {unit}" if unit else "")


def fmt_figure(value, basis: str | None, n_reports, unit: str = "") -> str:
    """A resolved figure as a reader says it: "≥ 64,000" for a lower bound, "not reported" for none."""
    if value is None:
        return NOT_REPORTED
    sign = {"lower_bound": "≥ ", "upper_bound": "≤ "}.get(basis or "", "")
    reports = f" ({n_reports} report{'s' if n_reports != 1 else ''})" if n_reports else ""
    return f"{sign}{fmt_number(value, unit)}{reports}"


def fmt_local(value: dt.datetime | None, zone: str | None) -> str:
    if value is None:
        return NOT_REPORTED
    local = value.astimezone(ZoneInfo(zone)) if zone else value
    return f"{local:%d %b %Y, %H:%M} {local.tzname()} ({value.astimezone(dt.timezone.utc):%H:%M} UTC)"


def page(title: str, body: str, depth: int, version: str) -> str:
    up = "../" * depth
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            f"content=\"width=device-width,initial-scale=1\"><title>{e(title)} · LaunchBench</title>"
            f"<style>{CSS}</style></head><body><header><a href=\"{up}index.html\"><b>LaunchBench</b></a>"
            f"<a href=\"{up}index.html#launches\">Launches</a><a href=\"{up}codebook.html\">Codebook</a>"
            f"<a href=\"{up}index.html#downloads\">Downloads</a><span class=\"muted\">dataset {e(version)}</span>"
            f"</header><main>{body}</main><footer>LaunchBench {e(version)}. Every figure links to the page it was "
            "read on; hover a point to see the quoted words. Quotations remain their authors'.</footer>"
            f"<script>{SORT_JS}</script></body></html>")


# ---------------------------------------------------------------- SVG charts

def _scale(values: list[float], log: bool):
    """(to_x(value) in 0..1, ticks): a linear scale from 0, or a log scale for audiences spanning decades."""
    values = [v for v in values if v is not None and (v > 0 or not log)]
    if not values:
        return (lambda v: 0.0), []
    if log:
        lo, hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
        hi = max(hi, lo + 1)
        return (lambda v: (math.log10(max(v, 10 ** lo)) - lo) / (hi - lo)), [10 ** k for k in range(lo, hi + 1)]
    lo, hi = min(0.0, min(values)), max(values)
    span = hi - lo or 1.0
    step = 10 ** math.floor(math.log10(span))
    step = step * (5 if span / step > 5 else 2 if span / step > 2 else 1) / (2 if span / step <= 2 else 1)
    top = math.ceil(hi / step) * step
    ticks = [lo + i * step for i in range(int((top - lo) / step) + 1)]
    return (lambda v: (v - lo) / ((top - lo) or 1.0)), ticks


def _marker(x: float, y: float, role: str, colour: str) -> str:
    """A point for a figure, a triangle with a tail for a bound (lower: the truth is at or above it)."""
    if role == "lower":
        return (f'<line x1="{x:.1f}" y1="{y}" x2="{x + 22:.1f}" y2="{y}" stroke="{colour}" stroke-dasharray="3 2"/>'
                f'<path d="M{x - 5:.1f},{y - 6} L{x + 3:.1f},{y} L{x - 5:.1f},{y + 6} Z" fill="{colour}"/>')
    if role == "upper":
        return (f'<line x1="{x - 22:.1f}" y1="{y}" x2="{x:.1f}" y2="{y}" stroke="{colour}" stroke-dasharray="3 2"/>'
                f'<path d="M{x + 5:.1f},{y - 6} L{x - 3:.1f},{y} L{x + 5:.1f},{y + 6} Z" fill="{colour}"/>')
    return f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{colour}" fill-opacity="0.75" stroke="#fff"/>'


def strip_chart(rows: list[dict], unit: str, resolved: dict, title: str, log: bool = False) -> str:
    """Every report's figure as a point (or a bound), one row per side, each a link to its page; the resolved
    range as a band and the resolved value as a line."""
    width, left, right, row_h = 920, 250, 30, 34
    sides = [s for s in SIDES if any(r["side"] == s for r in rows)]
    height = 40 + row_h * len(sides) + 30
    to_x, ticks = _scale([r["value"] for r in rows] + [resolved.get("low"), resolved.get("high")], log)
    px = lambda v: left + to_x(v) * (width - left - right)
    parts = [f'<svg role="img" aria-label="{e(title)}" viewBox="0 0 {width} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title>']
    axis_y = 30 + row_h * len(sides)
    if resolved.get("low") is not None and resolved.get("high") is not None:
        x1, x2 = px(resolved["low"]), px(resolved["high"])
        parts.append(f'<rect x="{x1:.1f}" y="22" width="{max(x2 - x1, 2):.1f}" height="{axis_y - 22}" '
                     'fill="#9db4d3" fill-opacity="0.35"><title>range of the independent reports</title></rect>')
    if resolved.get("value") is not None:
        x = px(resolved["value"])
        parts.append(f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{axis_y}" stroke="#212529" stroke-width="2"/>'
                     f'<text x="{x + 4:.1f}" y="14">resolved: {e(resolved["label"])}</text>')
    for i, side in enumerate(sides):
        y = 40 + row_h * i
        parts.append(f'<text x="8" y="{y + 4}" fill="{COLOURS[side]}">{e(SIDES[side])}</text>'
                     f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#e9ecef"/>')
        for k, r in enumerate(r for r in rows if r["side"] == side):
            tip = f'{r["publisher"]}: {fmt_number(r["value"], unit)} ({r["qualifier"]}) — "{r["quote"] or ""}"'
            jitter = (k % 5 - 2) * 3  # reports giving the same figure stay visible side by side
            parts.append(f'<a href="{e(r["url"])}" target="_blank" rel="noopener"><title>{e(tip)}</title>'
                         f'{_marker(px(r["value"]), y + jitter, r["role"], COLOURS[side])}</a>')
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#495057"/>')
    for t in ticks:
        parts.append(f'<line x1="{px(t):.1f}" y1="{axis_y}" x2="{px(t):.1f}" y2="{axis_y + 5}" stroke="#495057"/>'
                     f'<text x="{px(t):.1f}" y="{axis_y + 18}" text-anchor="middle">{e(fmt_number(t))}</text>')
    parts.append(f'<text x="{width - right}" y="{height - 2}" text-anchor="end" class="muted">{e(unit)}'
                 f'{" (log scale)" if log else ""}</text></svg>')
    return "".join(parts)


def launch_bars(items: list[dict], title: str, unit: str, log: bool = False) -> str:
    """One row per launch (every launch, the absent ones marked): the resolved value with its range, or why not."""
    width, left, right, row_h = 1000, 330, 150, 26
    height = 20 + row_h * len(items) + 30
    values = [v for i in items for v in (i.get("value"), i.get("low"), i.get("high"), i.get("claimed")) if v]
    to_x, ticks = _scale(values, log)
    px = lambda v: left + to_x(v) * (width - left - right)
    parts = [f'<svg role="img" aria-label="{e(title)}" viewBox="0 0 {width} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title>']
    axis_y = 14 + row_h * len(items)
    for k, item in enumerate(items):
        y = 20 + row_h * k
        parts.append(f'<a href="launches/{e(item["launch_id"])}.html"><text x="8" y="{y + 4}">'
                     f'{e(item["name"][:48])}</text></a>')
        if item.get("value") is None:
            parts.append(f'<text x="{left + 6}" y="{y + 4}" class="muted" fill="#868e96">{e(item["absent"])}</text>')
            continue
        if item.get("low") is not None and item.get("high") is not None:
            parts.append(f'<line x1="{px(item["low"]):.1f}" y1="{y}" x2="{px(item["high"]):.1f}" y2="{y}" '
                         'stroke="#9db4d3" stroke-width="8"/>')
        parts.append(_marker(px(item["value"]), y, item.get("role", "point"), COLOURS["independent"]))
        if item.get("claimed") is not None:
            x = px(item["claimed"])
            parts.append(f'<path d="M{x:.1f},{y - 6} L{x + 6:.1f},{y} L{x:.1f},{y + 6} L{x - 6:.1f},{y} Z" '
                         f'fill="none" stroke="{COLOURS["interested"]}" stroke-width="2"><title>claimed by interested '
                         f'parties: {e(fmt_number(item["claimed"]))}</title></path>')
        parts.append(f'<text x="{width - right + 8}" y="{y + 4}">{e(item["label"])}</text>')
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#495057"/>')
    for t in ticks:
        parts.append(f'<text x="{px(t):.1f}" y="{axis_y + 16}" text-anchor="middle">{e(fmt_number(t))}</text>')
    parts.append(f'<text x="{width - right}" y="{height - 2}" text-anchor="end">{e(unit)}'
                 f'{" (log scale)" if log else ""}</text></svg>')
    return "".join(parts)


def timeline_chart(moments: list[dict], scheduled: dt.datetime | None, title: str) -> str:
    """One row per moment within 3 hours before to 6 hours after the scheduled start (or the first moment): its
    label on the left, a dot at its minute on the right, so the gaps between moments read at a glance."""
    if not moments:
        return '<p class="muted">No timeline moments recorded.</p>'
    origin = scheduled or moments[0]["at_utc"]
    near = [(m, (m["at_utc"] - origin).total_seconds() / 60) for m in moments]
    near = [(m, x) for m, x in near if -180 <= x <= 360] or near
    width, left, right, row_h = 1000, 420, 20, 20
    lo, hi = min(0.0, min(x for _, x in near)), max(1.0, max(x for _, x in near))
    px = lambda v: left + (v - lo) / ((hi - lo) or 1) * (width - left - right)
    height = 30 + row_h * len(near) + 30
    axis_y = 24 + row_h * len(near)
    parts = [f'<svg role="img" aria-label="{e(title)}" viewBox="0 0 {width} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title>']
    if scheduled:
        parts.append(f'<line x1="{px(0):.1f}" y1="12" x2="{px(0):.1f}" y2="{axis_y}" stroke="#212529" '
                     f'stroke-dasharray="4 3"/><text x="{px(0) + 4:.1f}" y="12">scheduled start</text>')
    for k, (m, x) in enumerate(near):
        y = 30 + row_h * k
        label = f'{x:+.0f} min · {m["kind"].replace("_", " ")}: {m["description"]}'
        label = label if len(label) <= 62 else label[:60] + "…"
        parts.append(f'<a href="{e(m["url"])}" target="_blank" rel="noopener"><title>{e(m["publisher"])}: '
                     f'{e(m["description"])}</title><text x="8" y="{y + 4}">{e(label)}</text>'
                     f'<line x1="{left}" y1="{y}" x2="{px(x):.1f}" y2="{y}" stroke="#e9ecef"/>'
                     f'<circle cx="{px(x):.1f}" cy="{y}" r="5" fill="#1f4e8c"/></a>')
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#495057"/>')
    step = 15 if hi - lo <= 240 else 60
    for tick in range(int(math.ceil(lo / step) * step), int(hi) + 1, step):
        parts.append(f'<text x="{px(tick):.1f}" y="{axis_y + 16}" text-anchor="middle">{tick:+d}</text>')
    parts.append(f'<text x="{width - right}" y="{height - 2}" text-anchor="end">minutes from the '
                 f'{"scheduled start" if scheduled else "first recorded moment"}</text></svg>')
    return "".join(parts)


# ---------------------------------------------------------------- data

SUMMARY_SQL = """
select l.launch_id, l.title, l.country, l.event_kind, l.summary, l.election, l.host_account, l.local_timezone,
       l.scheduled_start_utc, l.relaunched, p.name as platform, p.company, a.name as principal,
       m.conversation_start_utc, m.delay_minutes, m.delay_minutes_low, m.delay_minutes_high, m.delay_basis,
       m.delay_n_reports, m.peak_listeners, m.peak_listeners_low, m.peak_listeners_high, m.peak_listeners_basis,
       m.peak_listeners_n_reports, m.peak_listeners_claimed, m.peak_listeners_claimed_basis, m.duration_minutes,
       m.duration_minutes_low, m.duration_minutes_high, m.duration_basis, m.duration_n_reports, m.claimed_cause,
       m.claimed_cause_statement, m.claimed_cause_verdict, m.n_sources, m.n_reports, m.n_observations
from launches l join launch_metrics m using (launch_id) join platforms p on p.platform_id = l.platform_id
join actors a on a.actor_id = l.principal_actor_id
order by l.launch_id
"""
# every report's figure for the three headline metrics, as the resolution rule reads it: a moment's concurrent
# count is a lower bound on the peak, a reported start is a delay from the schedule
FIGURES_SQL = """
select o.launch_id,
       case when o.metric in ('delay_minutes', 'conversation_start') then 'delay'
            when o.metric in ('peak_concurrent_listeners', 'concurrent_listeners') then 'peak'
            else 'duration' end as chart,
       coalesce(o.value_num, epoch(o.value_time_utc - l.scheduled_start_utc) / 60.0) as value,
       case when o.metric = 'concurrent_listeners' and o.qualifier_role <> 'upper' then 'lower'
            else o.qualifier_role end as role,
       o.qualifier, o.metric, o.stream_part,
       case when o.independent then 'independent' when o.interested then 'interested' else 'other' end as side,
       o.reported_by, r.publisher, s.url, o.evidence_quote as quote, o.page_votes
from observation_reports o join launches l using (launch_id) join sources s using (source_id)
join reports r on r.report_id = o.counted_report_id
where o.rank <> 'deprecated'
  and (o.metric in ('delay_minutes', 'peak_concurrent_listeners', 'concurrent_listeners', 'duration_minutes')
       or (o.metric = 'conversation_start' and l.scheduled_start_utc is not null))
  and (o.metric <> 'concurrent_listeners' or o.qualifier_role <> 'upper')
order by o.launch_id, chart, value
"""
# every other figure a launch's sources give (other metrics, and the rows the curators set aside)
OTHER_FIGURES_SQL = """
select o.launch_id, o.metric, o.value_num, o.value_time_utc, o.qualifier, o.rank, o.rank_reason, o.reported_by,
       o.reporter_kind, r.publisher, s.url, o.evidence_quote as quote
from observation_reports o join sources s using (source_id) join reports r on r.report_id = o.counted_report_id
order by o.launch_id, o.metric, o.value_num, o.value_time_utc, o.observation_id
"""
CLAIMS_SQL = """
select c.claim_id, c.launch_id, c.statement, c.claim_kind, c.verdict, c.verdict_note, c.made_at_utc, a.name as claimant,
       c.claimant_kind, s.url, s.publisher
from claims c join actors a on a.actor_id = c.claimant_actor_id join sources s using (source_id)
order by c.launch_id, c.made_at_utc nulls last, c.claim_id
"""
EVIDENCE_SQL = """
select e.claim_id, e.stance, e.asserted_by, e.quote, e.note, s.url, s.publisher,
       e.evidence_id in (select evidence_id from deciding_evidence) as deciding
from claim_evidence e join sources s using (source_id)
order by e.claim_id, deciding desc, e.evidence_id
"""
REACTIONS_SQL = """
select r.launch_id, r.at_utc, r.stance, r.statement, a.name as actor, s.url, s.publisher, r.references_launch_id
from reactions r join actors a using (actor_id) join sources s using (source_id)
order by r.launch_id, r.at_utc nulls last, r.reaction_id
"""
TIMELINE_SQL = """
select t.launch_id, t.seq, t.at_utc, t.kind, t.description, t.precision_minutes, s.url, s.publisher
from timeline t join sources s using (source_id) order by t.launch_id, t.seq
"""
SOURCES_SQL = """
select ls.launch_id, s.source_id, s.url, s.publisher, s.title, s.language, s.copy_kind, s.published_date, r.publisher as outlet,
       string_agg(distinct ls.cited_as, ', ' order by ls.cited_as) as cited_as
from launch_sources ls join sources s using (source_id) join reports r on r.report_id = s.report_id
group by all order by ls.launch_id, s.publisher, s.source_id
"""


def _grouped(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["launch_id"], []).append(r)
    return out


# ---------------------------------------------------------------- pages

METRIC_CHARTS = (("delay", "Delay against the schedule", "minutes late", False),
                 ("peak", "Peak audience", "people at once", True),
                 ("duration", "Duration", "minutes", False))


# chart -> (launch_metrics column, its basis column, unit)
RESOLVED = {"delay": ("delay_minutes", "delay_basis", "min"), "peak": ("peak_listeners", "peak_listeners_basis", ""),
            "duration": ("duration_minutes", "duration_basis", "min")}


def _resolved(launch: dict, chart: str) -> dict:
    column, basis, unit = RESOLVED[chart]
    return {"value": launch[column], "low": launch[f"{column}_low"], "high": launch[f"{column}_high"],
            "label": fmt_figure(launch[column], launch[basis], None, unit)}


def _figures_section(launch: dict, figures: list[dict]) -> str:
    parts = ["<h2 id=\"figures\">Every report's figures</h2>",
             "<p>Each point is one report's figure (set-aside rows left out), coloured by who reported it; a "
             "triangle with a dashed tail is a bound (pointing right: at least; left: at most). The band is the "
             "range of the independent reports and the black line the resolved value (README: the resolution "
             "rule). Click a point to open its page; the table under each chart quotes the words.</p>"]
    for chart, title, unit, log in METRIC_CHARTS:
        rows = [f for f in figures if f["chart"] == chart and f["value"] is not None]
        parts.append(f"<h3>{e(title)}</h3>")
        if not rows:
            parts.append(f'<p class="muted">{e(title)}: {NOT_REPORTED} by any source'
                         + (" (no scheduled start was announced, so no delay can be measured)"
                            if chart == "delay" and launch["scheduled_start_utc"] is None else "") + ".</p>")
            continue
        parts.append(f'<figure class="wrap">{strip_chart(rows, unit, _resolved(launch, chart), title, log)}'
                     f"<figcaption>{e(title)}: {len(rows)} figures from "
                     f"{len({r['publisher'] for r in rows})} publishers.</figcaption></figure>")
        parts.append("<table><thead><tr><th>publisher</th><th>who says</th><th>side</th><th>figure</th>"
                     "<th>the words</th></tr></thead><tbody>")
        for r in rows:
            figure = {"lower": "≥ ", "upper": "≤ "}.get(r["role"], "") + fmt_number(r["value"], unit)
            parts.append(f'<tr><td><a href="{e(r["url"])}">{e(r["publisher"])}</a></td><td>{e(r["reported_by"])}</td>'
                         f'<td>{e(r["side"])}</td><td class="num">{e(figure)}</td>'
                         f'<td><blockquote>{e(r["quote"] or "")}</blockquote></td></tr>')
        parts.append("</tbody></table>")
    return "".join(parts)


def _other_figures_section(rows: list[dict], zone: str | None) -> str:
    shown = ("delay_minutes", "peak_concurrent_listeners", "concurrent_listeners", "duration_minutes",
             "conversation_start")
    rows = [r for r in rows if r["metric"] not in shown or r["rank"] == "deprecated"]
    if not rows:
        return ""
    parts = [f'<h2 id="other-figures">All other figures ({len(rows)})</h2><p>Other metrics (audience totals, views, '
             "money, waiting lists, times) and the rows the curators set aside, each with its words.</p><table>"
             "<thead><tr><th>metric</th><th>figure</th><th>who says</th><th>publisher</th><th>the words</th>"
             "</tr></thead><tbody>"]
    for r in rows:
        value = fmt_local(r["value_time_utc"], zone) if r["value_time_utc"] else fmt_number(r["value_num"])
        note = f' (set aside: {r["rank_reason"]})' if r["rank"] == "deprecated" else ""
        parts.append(f'<tr><td>{e(r["metric"].replace("_", " "))}</td><td class="num">{e(r["qualifier"])} '
                     f'{e(value)}</td><td>{e(r["reported_by"])} ({e(r["reporter_kind"].replace("_", " "))}){e(note)}'
                     f'</td><td><a href="{e(r["url"])}">{e(r["publisher"])}</a></td>'
                     f'<td><blockquote>{e(r["quote"] or "")}</blockquote></td></tr>')
    parts.append("</tbody></table>")
    return "".join(parts)


def _claims_section(claims: list[dict], evidence: dict[str, list[dict]]) -> str:
    if not claims:
        return '<h2 id="claims">Claims</h2><p class="muted">No checkable claims recorded for this launch.</p>'
    parts = ['<h2 id="claims">Claims and the evidence that decides them</h2>']
    for c in claims:
        parts.append(f'<h3><span class="verdict {e(c["verdict"])}">{e(c["verdict"])}</span> '
                     f'{e(c["claimant"])}: “{e(c["statement"])}”</h3>'
                     f'<p class="muted">{e(c["claim_kind"].replace("_", " "))}, quoted by '
                     f'<a href="{e(c["url"])}">{e(c["publisher"])}</a>. {e(c["verdict_note"])}</p><ul>')
        for ev in evidence.get(c["claim_id"], []):
            tag = "deciding" if ev["deciding"] else ev["stance"]
            parts.append(f'<li><b>{e(tag)}</b> ({e(ev["stance"])}), {e(ev["asserted_by"])} in '
                         f'<a href="{e(ev["url"])}">{e(ev["publisher"])}</a>:'
                         f'<blockquote>{e(ev["quote"])}</blockquote></li>')
        parts.append("</ul>")
    return "".join(parts)


def _launch_page(launch: dict, figures, others, claims, evidence, reactions, timeline, sources, version: str) -> str:
    zone = launch["local_timezone"]
    facts = [("Principal", launch["principal"]), ("Platform", f'{launch["platform"]} ({launch["company"]})'),
             ("Host account", launch["host_account"] or NOT_REPORTED), ("Country", launch["country"]),
             ("Election", launch["election"] or "none"), ("Event", launch["event_kind"].replace("_", " ")),
             ("Scheduled start", fmt_local(launch["scheduled_start_utc"], zone)
              if launch["scheduled_start_utc"] else "no start time with a zone was announced"),
             ("Programme began", fmt_local(launch["conversation_start_utc"], zone)),
             ("Delay", fmt_figure(launch["delay_minutes"], launch["delay_basis"], launch["delay_n_reports"], "min")),
             ("Relaunched", "yes" if launch["relaunched"] else "no"),
             ("Peak audience (independent)", fmt_figure(launch["peak_listeners"], launch["peak_listeners_basis"],
                                                        launch["peak_listeners_n_reports"])),
             ("Peak audience (claimed by interested parties)",
              fmt_figure(launch["peak_listeners_claimed"], launch["peak_listeners_claimed_basis"], None)),
             ("Duration", fmt_figure(launch["duration_minutes"], launch["duration_basis"],
                                     launch["duration_n_reports"], "min")),
             ("Claimed cause of trouble", f'{launch["claimed_cause"].replace("cause_", "").replace("_", " ")} '
              f'({launch["claimed_cause_verdict"]}): “{launch["claimed_cause_statement"]}”'
              if launch["claimed_cause"] else "none claimed"),
             ("Sources", f'{launch["n_sources"]} pages, {launch["n_reports"]} reports, '
                         f'{launch["n_observations"]} figures')]
    body = [f'<h1 id="title">{e(launch["title"])}</h1><p>{e(launch["summary"])}</p><table class="facts">'
            + "".join(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in facts) + "</table>",
            '<h2 id="timeline">Timeline against the schedule</h2>',
            f'<figure class="wrap">{timeline_chart(timeline, launch["scheduled_start_utc"], "Timeline")}</figure>',
            "<table><thead><tr><th>when</th><th>moment</th><th>what happened</th><th>source</th></tr></thead><tbody>"]
    for t in timeline:
        body.append(f'<tr><td class="num">{e(fmt_local(t["at_utc"], zone))}</td><td>{e(t["kind"].replace("_", " "))}'
                    f'</td><td>{e(t["description"])}</td><td><a href="{e(t["url"])}">{e(t["publisher"])}</a></td></tr>')
    body.append("</tbody></table>")
    body.append(_figures_section(launch, figures))
    body.append(_other_figures_section(others, zone))
    body.append(_claims_section(claims, evidence))
    body.append(f'<h2 id="reactions">Reactions ({len(reactions)})</h2><table><thead><tr><th>who</th><th>stance</th>'
                "<th>what they said</th><th>source</th></tr></thead><tbody>")
    for r in reactions:
        back = (f' <a href="{e(r["references_launch_id"])}.html">(points back at '
                f'{e(r["references_launch_id"])})</a>' if r["references_launch_id"] else "")
        body.append(f'<tr><td>{e(r["actor"])}</td><td>{e(r["stance"])}</td><td>{e(r["statement"])}{back}</td>'
                    f'<td><a href="{e(r["url"])}">{e(r["publisher"])}</a></td></tr>')
    body.append(f'</tbody></table><h2 id="sources">Sources ({len(sources)} pages)</h2><table class="sortable"><thead>'
                "<tr><th>publisher</th><th>report by</th><th>copy kind</th><th>published</th><th>language</th><th>headline</th>"
                "<th>cited for</th></tr></thead><tbody>")
    for s in sources:
        body.append(f'<tr><td><a href="{e(s["url"])}">{e(s["publisher"])}</a></td><td>{e(s["outlet"])}</td>'
                    f'<td>{e(s["copy_kind"])}</td><td>{e(str(s["published_date"] or NOT_REPORTED))}</td>'
                    f'<td>{e(s["language"])}</td><td lang="{e(s["language"])}">{e(s["title"] or NOT_REPORTED)}</td>'
                    f'<td>{e(s["cited_as"])}</td></tr>')
    body.append("</tbody></table>")
    return page(launch["title"], "".join(body), 1, version)


def _index(launches: list[dict], version: str, released: str | None, downloads: list[str]) -> str:
    header = ["Launch", "Date", "Country", "Platform", "Scheduled start (local)", "Delay", "Peak audience "
              "(independent)", "Peak claimed", "Duration", "Claimed cause (verdict)", "Reports"]
    rows = []
    for x in launches:
        cells = [(f'<a href="launches/{e(x["launch_id"])}.html">{e(x["title"])}</a>', x["title"]),
                 (e(x["launch_id"][:10]), x["launch_id"][:10]), (e(x["country"]), x["country"]),
                 (e(x["platform"]), x["platform"]),
                 (e(fmt_local(x["scheduled_start_utc"], x["local_timezone"]).split(" (")[0]
                    if x["scheduled_start_utc"] else "none announced"), str(x["scheduled_start_utc"] or "")),
                 (e(fmt_figure(x["delay_minutes"], x["delay_basis"], x["delay_n_reports"], "min")),
                  x["delay_minutes"] if x["delay_minutes"] is not None else -1e9),
                 (e(fmt_figure(x["peak_listeners"], x["peak_listeners_basis"], x["peak_listeners_n_reports"])),
                  x["peak_listeners"] if x["peak_listeners"] is not None else -1),
                 (e(fmt_figure(x["peak_listeners_claimed"], x["peak_listeners_claimed_basis"], None)),
                  x["peak_listeners_claimed"] if x["peak_listeners_claimed"] is not None else -1),
                 (e(fmt_figure(x["duration_minutes"], x["duration_basis"], x["duration_n_reports"], "min")),
                  x["duration_minutes"] if x["duration_minutes"] is not None else -1),
                 (e(f'{x["claimed_cause"].replace("cause_", "").replace("_", " ")} ({x["claimed_cause_verdict"]})'
                    if x["claimed_cause"] else "none claimed"), x["claimed_cause"] or ""),
                 (str(x["n_reports"]), x["n_reports"])]
        rows.append("<tr>" + "".join(f'<td data-sort="{e(str(sort))}">{text}</td>' for text, sort in cells) + "</tr>")
    name = lambda x: f'{x["principal"]} · {x["platform"]} · {x["launch_id"][:4]}'
    delay_items = [{"launch_id": x["launch_id"], "name": name(x), "value": x["delay_minutes"],
                    "low": x["delay_minutes_low"], "high": x["delay_minutes_high"],
                    "label": fmt_figure(x["delay_minutes"], x["delay_basis"], x["delay_n_reports"], "min"),
                    "absent": "no scheduled start announced" if x["scheduled_start_utc"] is None
                    else f"delay {NOT_REPORTED}"} for x in launches]
    peak_items = [{"launch_id": x["launch_id"], "name": name(x), "value": x["peak_listeners"],
                   "low": x["peak_listeners_low"], "high": x["peak_listeners_high"],
                   "role": {"lower_bound": "lower", "upper_bound": "upper"}.get(x["peak_listeners_basis"], "point"),
                   "claimed": x["peak_listeners_claimed"],
                   "label": fmt_figure(x["peak_listeners"], x["peak_listeners_basis"], None),
                   "absent": f"no independent peak figure (claimed: {fmt_number(x['peak_listeners_claimed'])})"
                   if x["peak_listeners_claimed"] else f"peak audience {NOT_REPORTED}"} for x in launches]
    duration_items = [{"launch_id": x["launch_id"], "name": name(x), "value": x["duration_minutes"],
                       "low": x["duration_minutes_low"], "high": x["duration_minutes_high"],
                       "role": {"lower_bound": "lower", "upper_bound": "upper"}.get(x["duration_basis"], "point"),
                       "label": fmt_figure(x["duration_minutes"], x["duration_basis"], None, "min"),
                       "absent": f"duration {NOT_REPORTED}"} for x in launches]
    body = [f"<h1>LaunchBench: political events hosted live on platforms</h1><p>Dataset version <b>{e(version)}</b>"
            + (f", released {e(released)}" if released else "") + f". {len(launches)} launches, each on its own "
            "page with every report's figure linked to the page it was read on. Headline figures come from "
            "independent reports only, one vote per report; interested parties' figures stand beside them.</p>",
            '<h2 id="launches">The launches side by side</h2><p class="muted">Click a column header to sort. '
            "“≥” marks a figure that only bounds the truth from below.</p><div class=\"wrap\">"
            '<table class="sortable"><thead><tr>' + "".join(f"<th>{e(h)}</th>" for h in header)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>",
            '<h2 id="charts">Compared</h2><h3>Delay against the schedule</h3>',
            f'<figure class="wrap">{launch_bars(delay_items, "Delay against the schedule", "minutes late")}'
            "<figcaption>Resolved delay (dot) and the range independent reports give (band), every launch listed; "
            "launches without an announced start cannot have a delay.</figcaption></figure>",
            '<h3>Peak audience: independent and claimed</h3>',
            f'<figure class="wrap">{launch_bars(peak_items, "Peak audience", "people at once", log=True)}'
            "<figcaption>Independent peak (dot, or a triangle for a lower bound) and the range of independent "
            "reports, with the interested parties' claim as a hollow diamond.</figcaption></figure>",
            '<h3>Duration</h3>',
            f'<figure class="wrap">{launch_bars(duration_items, "Duration", "minutes")}'
            "<figcaption>Resolved running time and the independent range.</figcaption></figure>",
            '<h2 id="downloads">Downloads</h2><ul>'
            + "".join(f'<li><a href="downloads/{e(d)}">{e(d)}</a></li>' for d in downloads)
            + '</ul><p>The <a href="codebook.html">codebook</a> describes every table and column.</p>']
    return page("Launches", "".join(body), 0, version)


def _codebook(version: str) -> str:
    body = ["<h1>Codebook</h1><p>Every table and column, generated from <code>schemas/</code>.</p>"]
    schemas = load_schemas()
    body.append("<ul>" + "".join(f'<li><a href="#{n}">{n}</a></li>' for n in schemas) + "</ul>")
    for name, table in schemas.items():
        body.append(f'<h2 id="{e(name)}">{e(name)}</h2><p>{e(" ".join(table.description.split()))}</p>'
                    f'<p class="muted">Grain: {e(table.grain)}. Primary key: {e(", ".join(table.primary_key))}.</p>'
                    "<table><thead><tr><th>column</th><th>type</th><th>unit</th><th>description</th></tr></thead>"
                    "<tbody>")
        for col in table.columns:
            extra = (" Values: " + ", ".join(col.enum) + ".") if col.enum else ""
            extra += f" References {col.references}." if col.references else ""
            body.append(f"<tr><td><code>{e(col.name)}</code></td><td>{e(col.type)}{'' if col.nullable else ', required'}"
                        f"</td><td>{e(col.unit or '')}</td><td>{e(' '.join(col.description.split()) + extra)}</td></tr>")
        body.append("</tbody></table>")
        for key, value in table.extras.items():
            if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
                body.append(f"<h3>Vocabulary <code>{e(key)}</code></h3><table><tbody>")
                for term, attrs in value.items():
                    rest = ", ".join(f"{k}: {v}" for k, v in attrs.items() if k != "description")
                    body.append(f"<tr><td><code>{e(term)}</code></td><td>{e(attrs.get('description', ''))}"
                                f"{' (' + e(rest) + ')' if rest else ''}</td></tr>")
                body.append("</tbody></table>")
            elif isinstance(value, str):
                body.append(f"<h3>{e(key.replace('_', ' '))}</h3><pre style=\"white-space:pre-wrap\">{e(value)}</pre>")
    return page("Codebook", "".join(body), 0, version)


def build_site(out: Path, data_dir: Path | None = None) -> Path:
    """Write the site into `out` (index.html, launches/, codebook.html, downloads/); returns the index path."""
    import tempfile

    from launchbench.card import metadata
    from launchbench.paths import data_dir_for

    data = Path(data_dir) if data_dir else data_dir_for(None)
    con = connect(data)
    try:
        launches = dicts(con, SUMMARY_SQL)
        figures, claims = _grouped(dicts(con, FIGURES_SQL)), _grouped(dicts(con, CLAIMS_SQL))
        others = _grouped(dicts(con, OTHER_FIGURES_SQL))
        reactions, timeline = _grouped(dicts(con, REACTIONS_SQL)), _grouped(dicts(con, TIMELINE_SQL))
        sources = _grouped(dicts(con, SOURCES_SQL))
        evidence: dict[str, list[dict]] = {}
        for ev in dicts(con, EVIDENCE_SQL):
            evidence.setdefault(ev["claim_id"], []).append(ev)
    finally:
        con.close()
    meta = metadata()
    import pyarrow.parquet as pq

    version = (pq.read_schema(data / "launches.parquet").metadata or {}).get(b"launchbench.version", b"").decode() \
        or meta["version"]
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise ValueError(f"{out} exists and is not a LaunchBench site; give a new or empty folder (the site "
                         "replaces the folder it writes)")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    try:
        (staging / MARKER).write_text("written by `launchbench site`; the next run replaces this folder\n")
        (staging / "launches").mkdir()
        (staging / "downloads" / "data").mkdir(parents=True)
        downloads = []
        for path in sorted(data.glob("*.parquet")):
            shutil.copy2(path, staging / "downloads" / "data" / path.name)
            downloads.append(f"data/{path.name}")
        for name in ("README.md", "croissant.json", "datapackage.json"):
            card = project_root() / "dataset" / name
            if card.exists():
                shutil.copy2(card, staging / "downloads" / name)
                downloads.append(name)
        released = str(meta["released"]) if meta.get("released") and version == meta["version"] else None
        (staging / "index.html").write_text(_index(launches, version, released, downloads), encoding="utf-8")
        (staging / "codebook.html").write_text(_codebook(version), encoding="utf-8")
        for launch in launches:
            lid = launch["launch_id"]
            text = _launch_page(launch, figures.get(lid, []), others.get(lid, []), claims.get(lid, []), evidence,
                                reactions.get(lid, []),
                                timeline.get(lid, []), sources.get(lid, []), version)
            (staging / "launches" / f"{lid}.html").write_text(text, encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / "index.html"
