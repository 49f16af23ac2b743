"""A self-contained HTML report: tables and an inline SVG picture, readable with no network.

Nothing is fetched: the CSS is inline, fonts are the reader's own (a stack of families with
Arabic glyphs), the picture is inlined SVG, and a Content-Security-Policy forbids every
resource load, so that a stray reference could not reach the network either. Every value is
escaped. Cells holding right-to-left text get ``dir="auto"`` (and ``lang="ar"`` when they begin
in Arabic script) so the browser lays them out right to left without reordering the table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from html import escape
from html.parser import HTMLParser

from ledger.errors import ReportError
from ledger.reports.tables import (
    cell_text,
    columns_of,
    has_rtl,
    numeric_columns,
    visible_text,
)

__all__ = ["Section", "html_report", "inline_svg"]

Section = tuple[str, Sequence[Mapping[str, object]]]
"""A heading and its rows (columns in order of first appearance)."""

_CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Segoe UI", Tahoma,
       Arial, sans-serif; color: #1b1b1b; background: #fff; line-height: 1.45;
       max-width: 80rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ccc; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; margin: .25rem 0 1rem; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .5rem; text-align: start;
         vertical-align: top; }
th { background: #eef1f4; }
tbody tr:nth-child(even) { background: #f8f9fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
[lang="ar"] { font-size: 1.05em; }
p.empty { color: #666; font-style: italic; }
@media print { body { max-width: none; margin: 0; } tbody tr { break-inside: avoid; } }
""".strip()

# No fetch of any kind; inline <style> and style attributes (the SVG uses both) are allowed.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_LANG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def _first_strong_is_arabic(text: str) -> bool:
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("L", "R"):
            return False
        if kind == "AL":
            return True
    return False


def _text_attrs(text: str) -> str:
    if not has_rtl(text):
        return ""
    return ' dir="auto" lang="ar"' if _first_strong_is_arabic(text) else ' dir="auto"'


def _html_text(text: str) -> str:
    return escape(visible_text(text)).replace("\n", "<br>")


def _table(rows: Sequence[Mapping[str, object]]) -> str:
    cols = columns_of(rows)
    if not rows or not cols:
        return '<p class="empty">No rows.</p>'
    numeric = numeric_columns(rows, cols)
    head = "".join(f'<th scope="col"{_text_attrs(c)}>{_html_text(c)}</th>' for c in cols)
    body = []
    for row in rows:
        cells = []
        for col, num in zip(cols, numeric, strict=True):
            text = cell_text(row.get(col))
            attrs = ' class="num"' if num else _text_attrs(text)
            cells.append(f"<td{attrs}>{_html_text(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<div class="scroll"><table>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )


class _SvgChecker(HTMLParser):
    """Finds anything in an SVG that could run code or load a resource from elsewhere."""

    _FORBIDDEN_TAGS = frozenset(
        {"script", "foreignobject", "iframe", "object", "embed", "link", "audio", "video"}
    )
    _URL_FUNC = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        self._in_style = tag == "style"
        for name, value in attrs:
            text = (value or "").strip()
            if name.startswith("on"):
                self.problems.append(f"event handler {name!r}")
            elif (name in ("href", "src") or name.endswith(":href")) and not (
                text.startswith("#") or text.startswith("data:")
            ):
                self.problems.append(f"{name}={text[:60]!r}")
            elif self._URL_FUNC.search(text):
                self.problems.append(f"url() in {name!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and ("@import" in data or self._URL_FUNC.search(data)):
            self.problems.append("stylesheet loading a resource")


def inline_svg(svg: str) -> str:
    """``svg`` ready to sit inside HTML: prolog, metadata and namespace URIs dropped.

    Raises ``ReportError`` if the picture holds a script, an event handler or a reference to
    anything outside itself, since the report must stay inert and work offline.
    """
    checker = _SvgChecker()
    checker.feed(svg)
    checker.close()
    if checker.problems:
        raise ReportError("the picture cannot be inlined: " + "; ".join(checker.problems[:5]))
    start = svg.find("<svg")
    if start < 0:
        raise ReportError("the picture is not SVG: no <svg> element")
    body = svg[start:].strip()
    body = re.sub(r"<metadata\b.*?</metadata>\s*", "", body, flags=re.DOTALL)
    # The HTML parser gives inline <svg> (and xlink:href) their namespaces itself.
    root_end = body.find(">")
    root = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", body[:root_end])
    return root + body[root_end:]


def html_report(
    title: str,
    sections: Sequence[Section],
    picture_svg: str | None = None,
    *,
    lang: str = "en",
) -> str:
    """A complete HTML page: ``title``, the picture (if any), then one table per section."""
    if not _LANG.fullmatch(lang):
        raise ReportError(f"not a language tag: {lang!r} (expected e.g. 'en' or 'ar')")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{escape(visible_text(title).replace(chr(10), ' '))}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1{_text_attrs(title)}>{_html_text(title)}</h1>",
    ]
    if picture_svg is not None:
        parts.append(f'<figure class="timeline">\n{inline_svg(picture_svg)}\n</figure>')
    for heading, rows in sections:
        parts.append(
            f"<section>\n<h2{_text_attrs(heading)}>{_html_text(heading)}</h2>\n"
            f"{_table(list(rows))}\n</section>"
        )
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
