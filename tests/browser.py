"""Headless Chromium for page tests: screenshot a local HTML file (skips cleanly when no browser exists)."""
import shutil
import subprocess
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no headless Chromium on this machine (Debian: apt-get install chromium); page not rendered")


def screenshot(page: Path, out: Path, tmp: Path, size=(1280, 1600)) -> Path:
    cmd = [chromium(), *FLAGS, f"--user-data-dir={tmp / 'chromium-profile'}",
           f"--window-size={size[0]},{size[1]}", f"--screenshot={out}", page.resolve().as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return out


def dom(page: Path, tmp: Path) -> str:
    cmd = [chromium(), *FLAGS, f"--user-data-dir={tmp / 'chromium-profile'}", "--dump-dom", page.resolve().as_uri()]
    return subprocess.run(cmd, check=True, capture_output=True, timeout=120, text=True).stdout


def is_blank(png: Path) -> bool:
    """A blank or failed render is (nearly) one colour; a results page has text, tables and links."""
    from PIL import Image

    image = Image.open(png).convert("L")
    histogram = image.histogram()
    dominant = max(histogram) / sum(histogram)
    return dominant > 0.995 or len([h for h in histogram if h]) < 8
