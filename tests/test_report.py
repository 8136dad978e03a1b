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
    png = screenshot(out / "index.html", tmp_path / "report.png", tmp_path, size=(1100, 2600))
    assert not is_blank(png)
