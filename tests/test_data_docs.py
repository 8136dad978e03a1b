"""The GX Data Docs written by `validate` open in a real headless browser and show the results."""
from browser import dom, is_blank, screenshot
from conftest import rewrite
from launchbench.cli import main


def test_data_docs_render_in_chromium(tmp_path):
    docs = tmp_path / "docs"
    assert main(["validate", "--docs", str(docs)]) == 0
    index, table_page = docs / "index.html", docs / "observations.html"
    text = dom(index, tmp_path)
    assert "LaunchBench validation" in text and "observations" in text and "foreign_key" in text
    page_text = dom(table_page, tmp_path)
    assert "launchbench.observations" in page_text and "Successful Expectations" in page_text
    for page in (index, table_page):
        png = screenshot(page, tmp_path / f"{page.stem}.png", tmp_path)
        assert png.stat().st_size > 10_000
        assert not is_blank(png), f"{page.name} rendered blank"
    # offline: every stylesheet, script and image is a local file that exists, and every relative link resolves
    import re

    for page in docs.glob("*.html"):
        text = page.read_text()
        resources = re.findall(r'<(?:link|script|img)[^>]*(?:href|src)="([^"]+)"', text)
        assert not [r for r in resources if re.match(r"^(https?:)?//", r)], page.name
        for target in resources + re.findall(r'<a[^>]*href="([^"#:]+)"', text):
            assert (page.parent / target).exists(), f"{page.name}: {target} missing"
    assert "assets/css/bootstrap.min.css" in table_page.read_text()


def test_failed_validation_shows_in_data_docs(data, tmp_path):
    rewrite(data, "claims", lambda rows: rows[0].update(verdict="maybe"))
    docs = tmp_path / "docs"
    assert main(["validate", "--data", str(data), "--docs", str(docs)]) == 1
    text = dom(docs / "claims.html", tmp_path)
    assert "maybe" in text  # the unexpected value is listed on the page
    assert "FAILED" in dom(docs / "index.html", tmp_path)
