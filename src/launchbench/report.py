"""`launchbench report`: a static HTML page that explains the launches at a glance, with charts (matplotlib).

Charts are saved as SVG (inlined in the page) and PNG beside it. Everything is read from the Parquet through
`connect()`; nothing here computes a figure the tables do not already hold.
"""
from __future__ import annotations

import html
import io
from pathlib import Path

from launchbench.db import connect
from launchbench.formats import render_rows

CHARTS = ("start_vs_schedule", "timelines", "audience", "source_mix")


def _short(launch_id: str) -> str:
    return launch_id[:10] + "\n" + launch_id[11:]


def _start_vs_schedule(con, plt):
    launches = con.execute("select launch_id, delay_minutes, delay_minutes_low, delay_minutes_high from launch_metrics "
                           "order by launch_id desc").fetchall()
    reports = con.execute("""select o.launch_id, epoch(o.value_time_utc - l.scheduled_start_utc) / 60.0
                             from observations o join launches l using (launch_id)
                             where o.metric = 'conversation_start' and o.rank <> 'deprecated'""").fetchall()
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.8 * len(launches)))
    for y, (lid, point, low, high) in enumerate(launches):
        if point is None:
            continue
        ax.plot([low, high], [y, y], color="#9db4d3", linewidth=10, solid_capstyle="butt",
                label="reported range" if y == 0 else None)
        xs = [m for l, m in reports if l == lid]
        ax.scatter(xs, [y] * len(xs), color="#1f4e8c", s=14, zorder=3, label="each reported start" if y == 0 else None)
        ax.scatter([point], [y], marker="D", color="#d9480f", s=60, zorder=4, label="resolved point" if y == 0 else None)
        ax.annotate(f"{point:g} min", (point, y), textcoords="offset points", xytext=(0, 10), ha="center", fontsize=8)
    ax.axvline(0, color="black", linewidth=1)
    ax.text(0, 1.01, " scheduled start", fontsize=8, va="bottom", transform=ax.get_xaxis_transform())
    ax.set_yticks(range(len(launches)), [_short(l[0]) for l in launches], fontsize=8)
    ax.set_xlabel("minutes after the scheduled start")
    ax.set_title("Scheduled versus actual start (delay, with every source's version)", pad=16)
    ax.legend(fontsize=8, loc="lower right")
    return fig


def _timelines(con, plt):
    rows = con.execute("""select t.launch_id, epoch(t.at_utc - l.scheduled_start_utc) / 60.0 as minutes, t.kind
                          from timeline t join launches l using (launch_id)
                          where t.at_utc between l.scheduled_start_utc - interval 1 hour
                                             and l.scheduled_start_utc + interval 4 hour
                          order by t.launch_id desc, t.seq""").fetchall()
    launches = list(dict.fromkeys(r[0] for r in rows))
    kinds = sorted({r[2] for r in rows})
    cmap = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(9, 1.4 + 0.8 * len(launches)))
    for k, kind in enumerate(kinds):
        pts = [(m, launches.index(l)) for l, m, kd in rows if kd == kind]
        ax.scatter([p[0] for p in pts], [p[1] + (k - len(kinds) / 2) * 0.04 for p in pts], s=30, color=cmap(k % 10),
                   label=kind.replace("_", " "), alpha=0.85)
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks(range(len(launches)), [_short(l) for l in launches], fontsize=8)
    ax.set_xlabel("minutes from the scheduled start (one hour before to four after)")
    ax.set_title("Timeline of each launch")
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.25))
    fig.subplots_adjust(bottom=0.35)
    return fig


def _audience(con, plt):
    rows = con.execute("""select launch_id, peak_listeners, peak_listeners_claimed,
                                 peak_listeners_low, peak_listeners_high,
                                 peak_listeners_basis <> 'point', peak_listeners_claimed_basis <> 'point'
                          from launch_metrics where peak_listeners is not null or peak_listeners_claimed is not null
                          order by launch_id""").fetchall()
    fig, ax = plt.subplots(figsize=(10, 5))
    xs = range(len(rows))
    # bars that only bounds support (basis lower_bound / upper_bound) are hatched, not passed off as points
    for offset, col, bound_col, color, label in [(-0.2, 1, 5, "#1f4e8c", "independent reports"),
                                                 (0.2, 2, 6, "#e8590c", "claimed by platform, hosts, campaign")]:
        for hatched in (False, True):
            pts = [(x, r[col]) for x, r in zip(xs, rows) if r[col] is not None and bool(r[bound_col]) == hatched]
            if pts:
                ax.bar([x + offset for x, _ in pts], [v for _, v in pts], width=0.4, color=color,
                       hatch="//" if hatched else None, edgecolor="white" if hatched else color,
                       label=f"{label} ({'bound only' if hatched else 'point'})")
    for x, r in zip(xs, rows):
        if r[1] is None:
            continue
        low, high = r[3] if r[3] is not None else r[1], r[4] if r[4] is not None else r[1]  # open-ended bounds
        ax.plot([x - 0.2, x - 0.2], [low, high], color="black", linewidth=1)
        ax.scatter([x - 0.2, x - 0.2], [low, high], marker="_", color="black", s=80,
                   label="range of independent reports" if x == 0 else None)
    ax.set_xticks(list(xs), [r[0] for r in rows], fontsize=8, rotation=35, ha="right")
    ax.set_yscale("log")  # claims can be a hundred times the measured figure
    ax.set_ylabel("peak concurrent listeners or viewers (log scale)")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title("Peak audience: independent versus claimed")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _source_mix(con, plt):
    rows = con.execute("""with cited as (select distinct launch_id, source_id from launch_sources)
                          select c.launch_id, s.source_kind, count(*) from cited c join sources s using (source_id)
                          group by all order by 1, 2""").fetchall()
    launches = list(dict.fromkeys(r[0] for r in rows))
    kinds = sorted({r[1] for r in rows})
    cmap = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(10, 5))
    bottom = [0] * len(launches)
    for k, kind in enumerate(kinds):
        values = [next((r[2] for r in rows if r[0] == l and r[1] == kind), 0) for l in launches]
        ax.bar(range(len(launches)), values, bottom=bottom, color=cmap(k % 10), label=kind.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_xticks(range(len(launches)), launches, fontsize=8, rotation=35, ha="right")
    ax.set_ylabel("sources cited")
    ax.set_title("Source mix per launch")
    ax.legend(fontsize=8)
    return fig


def build_report(out: Path, data_dir: Path | None = None) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "launchbench"  # stable ids in the SVG
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    con = connect(data_dir)
    builders = {"start_vs_schedule": _start_vs_schedule, "timelines": _timelines, "audience": _audience,
                "source_mix": _source_mix}
    svgs = {}
    for name in CHARTS:
        fig = builders[name](con, plt)
        fig.savefig(out / f"{name}.png", dpi=110, bbox_inches="tight")
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
        (out / f"{name}.svg").write_text(buf.getvalue(), encoding="utf-8")
        svgs[name] = buf.getvalue()[buf.getvalue().index("<svg"):]
        plt.close(fig)
    cur = con.execute("""select launch_id, platform_id, delay_minutes, delay_minutes_low, delay_minutes_high,
                                peak_listeners_independent, peak_listeners_claimed, claimed_cause,
                                claimed_cause_verdict, n_sources from launch_metrics order by launch_id""")
    table = render_rows([d[0] for d in cur.description], cur.fetchall(), "markdown")
    con.close()
    page = _page(svgs, table, _claims_html(data_dir))
    (out / "index.html").write_text(page, encoding="utf-8")
    return out / "index.html"


def _claims_html(data_dir: Path | None) -> str:
    """Each launch's claims with the verdict, our note and the quoted evidence (the claims_with_verdicts query)."""
    from launchbench.queries import run

    names, rows = run("claims_with_verdicts", data_dir=data_dir)
    esc = html.escape
    parts, launch = [], None
    for row in (dict(zip(names, r)) for r in rows):
        if row["launch_id"] != launch:
            launch = row["launch_id"]
            parts.append(f"<h3>{esc(launch)}</h3>")
        items = "".join(
            f"<li class='{esc(e['stance'])}'><b>{esc(e['stance'])}</b> ({esc(e['asserted_by'])}"
            f"{'' if e['independent'] else ', not independent'}): &ldquo;{esc(e['quote'])}&rdquo; "
            f"<a href='{esc(e['url'])}'>{esc(e['publisher'])}</a></li>" for e in row["evidence"] or [])
        parts.append(
            f"<div class='claim' id='{esc(row['claim_id'])}'><p><b>{esc(row['claimant'])}</b> "
            f"({esc(row['claim_kind'].replace('_', ' '))}): &ldquo;{esc(row['statement'])}&rdquo; "
            f"<span class='verdict {esc(row['verdict'])}'>{esc(row['verdict'])}</span></p>"
            f"<p class='note'>{esc(row['verdict_note'])}</p><ul>{items}</ul></div>")
    return "".join(parts)


def _markdown_to_html_table(markdown: str) -> str:
    lines = [l.strip("|").split(" | ") for l in markdown.splitlines()]
    head, body = lines[0], lines[2:]
    cells = lambda row, tag: "".join(f"<{tag}>{html.escape(c.strip())}</{tag}>" for c in row)
    return ("<table><thead><tr>" + cells(head, "th") + "</tr></thead><tbody>"
            + "".join(f"<tr>{cells(r, 'td')}</tr>" for r in body) + "</tbody></table>")


def _page(svgs: dict[str, str], table: str, claims: str) -> str:
    captions = {
        "start_vs_schedule": "Each dot is one source's reported start; the bar spans all reported and implied "
                             "delays; the diamond is the resolved point (lower median, preferred rows first).",
        "timelines": "Ordered moments of each launch, relative to its announced start.",
        "audience": "Independent reporters (news outlets, wires, trackers, analysts) against interested parties "
                    "(the platform, its owner, hosts, the campaign); whiskers span every peak report.",
        "source_mix": "How many pages of each kind back each launch's records.",
    }
    figures = "".join(f"<figure id='{n}'>{svgs[n]}<figcaption>{html.escape(captions[n])} "
                      f"(<a href='{n}.png'>PNG</a>, <a href='{n}.svg'>SVG</a>)</figcaption></figure>" for n in CHARTS)
    return ("<!doctype html><html><head><meta charset='utf-8'><title>LaunchBench report</title><style>"
            "body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
            "figure{margin:2em 0}figcaption{font-size:0.9em;color:#555}svg{max-width:100%;height:auto}"
            "table{border-collapse:collapse;font-size:0.8em;display:block;overflow-x:auto}td,th{border:1px solid #ccc;padding:3px 6px}"
            ".claim{margin:1em 0}.claim ul{font-size:0.9em}.note{color:#444}.verdict{padding:1px 6px;border-radius:3px;"
            "background:#eee}.refuted{background:#f8d7da}.supported{background:#d4edda}.disputed{background:#fff3cd}"
            "</style></head><body><h1>LaunchBench: platform-hosted political launches</h1>"
            "<p>How late, how big, who said why, and who disagreed. Every figure comes from the LaunchBench "
            "tables; each launch's observations keep every source's version.</p>"
            f"<h2>The launches side by side</h2>{_markdown_to_html_table(table)}<h2>Charts</h2>{figures}"
            "<h2 id='claims'>Claims and the evidence that decides them</h2><p>Only independent parties (news "
            "outlets, wires, outage trackers, analysts) can settle a claim; the claimant's own words are context."
            f"</p>{claims}"
            "</body></html>")
