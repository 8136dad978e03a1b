"""The report: charts saved as PNG and SVG, and the page renders in headless Chromium with the charts present."""
from browser import dom, is_blank, screenshot
from launchbench.cli import main
from launchbench.report import CHARTS


def test_report_renders_with_its_charts(tmp_path):
    out = tmp_path / "report"
    assert main(["report", "--out", str(out)]) == 0
    for name in CHARTS:
        assert (out / f"{name}.png").stat().st_size > 5_000
        assert (out / f"{name}.svg").read_text().lstrip().startswith("<?xml")
    text = dom(out / "index.html", tmp_path)
    assert text.count("<svg") >= len(CHARTS)
    for name in CHARTS:
        assert f"id=\"{name}\"" in text
    assert "2023-05-24-desantis-twitter-spaces" in text and "Scheduled versus actual start" in text
    # the claims section shows the verdicts and the quoted evidence, linked to its pages
    import html

    from launchbench.db import connect
    quote, url = connect().execute("""select e.quote, s.url from claim_evidence e join sources s using (source_id)
                                      where e.stance = 'refutes' order by e.evidence_id limit 1""").fetchone()
    assert "Claims and the evidence that decides them" in text
    assert html.escape(quote, quote=False) in text and html.escape(url) in text
    png = screenshot(out / "index.html", tmp_path / "report.png", tmp_path, size=(1100, 2600))
    assert not is_blank(png)
