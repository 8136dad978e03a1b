"""The site opens in a real headless browser: every page renders, shows its launch and headline figures, no
internal link is broken, nothing loads from the network, and every figure, claim and reaction links its page."""
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import dom, is_blank, screenshot
from launchbench import connect
from launchbench.cli import main
from launchbench.site import NOT_REPORTED, fmt_figure


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.srcs.append(attrs["src"])
        if "id" in attrs:
            self.ids.add(attrs["id"])


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["site", "--out", str(out)]) == 0
    return out


def _launches():
    con = connect()
    cur = con.execute("select l.launch_id, l.title, m.peak_listeners, m.peak_listeners_basis, "
                      "m.peak_listeners_n_reports, m.delay_minutes, m.delay_basis, m.delay_n_reports "
                      "from launches l join launch_metrics m using (launch_id) order by launch_id")
    return [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()]


def test_every_page_renders_with_its_launch_and_figures(site, tmp_path):
    index = dom(site / "index.html", tmp_path)
    assert "LaunchBench" in index and "dataset 2." in index
    for launch in _launches():
        assert html.escape(launch["title"], quote=False) in index  # every launch is on the index
        page = site / "launches" / f"{launch['launch_id']}.html"
        text = dom(page, tmp_path)
        assert f'id="title">{html.escape(launch["title"], quote=False)}<' in text
        peak = fmt_figure(launch["peak_listeners"], launch["peak_listeners_basis"], launch["peak_listeners_n_reports"])
        delay = fmt_figure(launch["delay_minutes"], launch["delay_basis"], launch["delay_n_reports"], "min")
        assert html.escape(peak, quote=False) in text and html.escape(delay, quote=False) in text
        png = screenshot(page, tmp_path / f"{launch['launch_id']}.png", tmp_path, size=(1280, 1600))
        assert not is_blank(png), page.name
    assert not is_blank(screenshot(site / "index.html", tmp_path / "index.png", tmp_path))
    assert NOT_REPORTED in index  # absent figures are spelled out, not left empty


def test_no_internal_link_is_broken_and_nothing_loads_from_the_network(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == len(_launches()) + 2  # index, codebook, one per launch
    ids = {p: parse(p).ids for p in pages}
    for page in pages:
        links = parse(page)
        assert not [s for s in links.srcs if re.match(r"^(https?:)?//", s)], page  # no CDN, no remote script
        for href in links.hrefs:
            if re.match(r"^(https?:|mailto:)", href):
                continue
            target, _, fragment = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.exists(), f"{page.name}: broken link {href}"
            if fragment and path.suffix == ".html":
                assert fragment in ids[path], f"{page.name}: no #{fragment} in {path.name}"
    assert (site / "downloads" / "data" / "observations.parquet").exists()
    assert (site / "downloads" / "croissant.json").exists()


def test_each_launch_page_links_what_it_cites(site):
    con = connect()
    cited = con.execute("""
        select launch_id, s.url from observations o join sources s using (source_id)
        union select c.launch_id, s.url from claims c join sources s using (source_id)
        union select c.launch_id, s.url from claim_evidence e join claims c using (claim_id)
                                   join sources s on s.source_id = e.source_id
        union select launch_id, s.url from reactions r join sources s using (source_id)""").fetchall()
    by_launch = {}
    for launch_id, url in cited:
        by_launch.setdefault(launch_id, set()).add(url)
    for launch_id, urls in by_launch.items():
        hrefs = set(parse(site / "launches" / f"{launch_id}.html").hrefs)
        missing = urls - hrefs
        assert not missing, f"{launch_id}: {len(missing)} cited pages not linked, e.g. {sorted(missing)[:2]}"


def test_the_site_never_replaces_a_folder_it_did_not_write(tmp_path, capsys):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    assert main(["site", "--out", str(folder)]) == 1
    assert "not a LaunchBench site" in capsys.readouterr().err
    assert (folder / "mine.txt").read_text() == "keep me"
    assert main(["report", "--out", str(tmp_path / "r")]) == 0  # the 1.x name still works
    assert (tmp_path / "r" / "index.html").exists()
