"""The HTML report in a real browser (headless Chromium): filters work, quotes are there, and
its script runs without errors under the page's own Content-Security-Policy."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cli_run import run

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)

pytestmark = [
    pytest.mark.usefixtures("cli_env"),
    pytest.mark.slow,
    pytest.mark.skipif(
        BROWSER is None,
        reason="no headless Chromium installed (apt-get install chromium) to load the report in",
    ),
]


def chromium(*args: str) -> str:
    """Run the browser headless with ``args``; return what it prints on stdout."""
    assert BROWSER is not None
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    done = subprocess.run(
        [BROWSER, *flags, *args], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


class Lines(HTMLParser):
    """The report's lines (rows of class "line") as the browser left them: shown or hidden."""

    def __init__(self) -> None:
        super().__init__()
        self.root: dict[str, str | None] = {}
        self.lines: list[dict[str, str | None]] = []
        self.quotes: list[str] = []
        self._in_quote = False
        self._line: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.root = found
        if tag == "tr" and "line" in (found.get("class") or "").split():
            self._line = found
            self.lines.append(found)
        if tag == "blockquote":
            self._in_quote = True
            self.quotes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self._in_quote = False

    def handle_data(self, data: str) -> None:
        if self._in_quote:
            self.quotes[-1] += data


def loaded(page: Path, fragment: str = "") -> Lines:
    """The page's DOM once loaded (and filtered by ``fragment``), as the browser dumps it."""
    lines = Lines()
    lines.feed(chromium("--dump-dom", page.as_uri() + fragment))
    return lines


@pytest.fixture(scope="module")
def page(article_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The article's report as of 2021-03-10."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    code, _, err = run("report", "--out", str(out), "--as-of", "2021-03-10", "--db", article_db)
    assert (code, err) == (0, "")
    return out


def test_the_script_runs_without_errors_and_shows_every_line(page: Path) -> None:
    """Unfiltered, the script has run (data-ready), reported no error, and hides nothing."""
    dom = loaded(page)
    assert dom.root.get("data-ready") == "yes"
    assert dom.root.get("data-errors") is None
    assert len(dom.lines) > 50
    assert not [line for line in dom.lines if "hidden" in line]


def test_quotes_are_on_the_page_in_both_languages(page: Path) -> None:
    """Lines carry their quotes, the article's Arabic words among them."""
    dom = loaded(page)
    assert len(dom.quotes) > 50
    assert any("محطة" in quote for quote in dom.quotes)
    assert any("Gateway" in quote for quote in dom.quotes)


def test_filter_by_program_and_period_hides_the_other_lines(page: Path) -> None:
    """With program=ilrs and 2021, only ILRS lines that may fall in 2021 stay shown."""
    dom = loaded(page, "#program=ilrs&from=2021&to=2021")
    assert dom.root.get("data-errors") is None
    assert dom.root.get("data-filter") == "program=ilrs&from=2021&to=2021"
    shown = [line for line in dom.lines if "hidden" not in line]
    hidden = [line for line in dom.lines if "hidden" in line]
    assert shown
    assert hidden
    for line in shown:
        assert "ilrs" in (line.get("data-program") or "").split()
        first, last = line.get("data-first") or "", line.get("data-last") or ""
        if "data-first" in line:
            assert not last or last >= "2021-01-01"
            assert not first or first <= "2021-12-31"
    assert any("ilrs" not in (line.get("data-program") or "").split() for line in hidden)


def test_a_screenshot_of_the_filtered_report(page: Path, tmp_path: Path) -> None:
    """The browser draws the filtered page; the screenshot is a real PNG image."""
    shot = tmp_path / "report.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri() + "#program=ilrs")
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 20_000
