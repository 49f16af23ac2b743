"""Tables as a complete LaTeX document for XeLaTeX or LuaLaTeX, Arabic included.

``--format latex`` must compile as it is and stay on the page: Arabic needs a Unicode engine
(pdfLaTeX cannot typeset it), so the preamble loads babel with Arabic (its own bidi, no extra
package) and fonts that have Arabic glyphs, and every Arabic run is marked
``\\foreignlanguage{arabic}{...}``. Tables are ``longtable``s (they break across pages) whose
columns are ``p{}`` boxes sized from their content and summing to the line width, so long
cells wrap instead of running off the page. Every value is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ledger.reports.tables import cell_text, visible_text

__all__ = ["ARABIC_FONT", "MAIN_FONT", "latex_document", "latex_text"]

MAIN_FONT = "DejaVu Serif"
ARABIC_FONT = "Noto Naskh Arabic"

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_ESCAPE = re.compile("|".join(re.escape(c) for c in _SPECIAL))
_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# A run of Arabic words with the spaces and Arabic punctuation between them (Latin
# punctuation stays in the main font: the Arabic one may not have it).
_ARABIC_RUN = re.compile(f"[{_ARABIC_LETTERS}]+(?:[\\s«»\u060c\u061b\u061f]+[{_ARABIC_LETTERS}]+)*")
# Long ids and addresses may break after these (a zero-width break opportunity).
_BREAK_AFTER = re.compile(r"([/;|=:+.,_])")
# What no line break can split: runs between spaces and after hyphens and those characters.
_PIECES = re.compile(r"\s+|(?<=[-/;|=:+.,_])")
# Font sizes and about how many characters of DejaVu Serif fit the line at each.
_SIZES = ((r"\small", 85.0), (r"\footnotesize", 95.0), (r"\scriptsize", 110.0))

_PREAMBLE = rf"""\documentclass[10pt]{{article}}
% Compile with xelatex or lualatex (pdflatex cannot typeset Arabic).
\usepackage[a4paper,margin=18mm]{{geometry}}
\usepackage{{iftex}}
\ifLuaTeX
  \usepackage[english,bidi=basic]{{babel}}
\else
  \usepackage[english,bidi=default]{{babel}}
\fi
\babelprovide[import]{{arabic}}
\babelfont{{rm}}{{{MAIN_FONT}}}
\babelfont[arabic]{{rm}}{{{ARABIC_FONT}}}
\usepackage{{array,longtable}}
\setlength{{\tabcolsep}}{{3pt}}
\setlength{{\emergencystretch}}{{3em}}
\sloppy
"""


def latex_text(value: object) -> str:
    """A cell's value as LaTeX: escaped, Arabic runs marked, lines kept, long ids breakable."""
    text = visible_text(cell_text(value)).replace("\u200e", "").replace("\u200f", "")
    lines = []
    for line in text.split("\n"):
        parts, last = [], 0
        for match in _ARABIC_RUN.finditer(line):
            parts.append(_latin(line[last : match.start()]))
            parts.append(r"\foreignlanguage{arabic}{" + _escape(match.group()) + "}")
            last = match.end()
        parts.append(_latin(line[last:]))
        lines.append("".join(parts))
    return r"\newline ".join(lines)


def _escape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _SPECIAL[m.group()], text)


def _latin(text: str) -> str:
    return _BREAK_AFTER.sub(r"\1\\allowbreak{}", _escape(text))


def _widths(
    columns: Sequence[str], rows: Sequence[Mapping[str, object]]
) -> tuple[list[float], str]:
    """Each column's share of the line, and the font size that lets every column hold its
    longest unbreakable piece: a share for that piece, the rest after each column's length."""
    floors, wants = [], []
    for column in columns:
        texts = [cell_text(row.get(c)) for row in rows for c in (column,)]
        pieces = [p for t in texts for p in _PIECES.split(t) if p]
        # Headers are bold: about a sixth wider.
        floors.append(max([len(column) * 1.2, *(len(p) for p in pieces), 3.0]) + 1)
        widest = max((len(line) for t in texts for line in t.split("\n")), default=1)
        wants.append(min(max(widest, 4), 70) ** 0.8)
    size, chars = next(((z, c) for z, c in _SIZES if sum(floors) <= c), _SIZES[-1])
    if sum(floors) > chars:
        # Even the smallest size cannot hold every piece whole: the pieces share the line.
        return [f / sum(floors) for f in floors], size
    spare = (chars - sum(floors)) / chars
    total = sum(wants) or 1.0
    return [f / chars + spare * w / total for f, w in zip(floors, wants, strict=True)], size


def _table(title: str, columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> str:
    if not columns:
        return ""
    shares, size = _widths(columns, rows)
    spec = "".join(
        rf">{{\raggedright\arraybackslash}}p{{\dimexpr {share:.4f}\linewidth-6pt\relax}}"
        for share in shares
    )
    head = " & ".join(rf"\textbf{{{latex_text(c)}}}" for c in columns)
    body = "\n".join(
        " & ".join(latex_text(row.get(c)) for c in columns) + r" \\ \hline" for row in rows
    )
    heading = rf"\section*{{{latex_text(title)}}}" + "\n" if title else ""
    return (
        f"{heading}{{{size}\\begin{{longtable}}{{{spec}}}\n\\hline\n{head} \\\\ \\hline\n"
        f"\\endhead\n{body}\n\\end{{longtable}}}}\n"
    )


def latex_document(
    tables: Sequence[tuple[str, Sequence[str], Sequence[Mapping[str, object]]]],
) -> str:
    """A complete document of (title, columns, rows) tables, without a final line break."""
    parts = [_PREAMBLE, r"\begin{document}"]
    for title, columns, rows in tables:
        if rows:
            parts.append(_table(title, columns, rows))
        elif title:
            parts.append(rf"\section*{{{latex_text(title)}}}" + "\n" + r"\emph{(nothing)}")
    parts.append(r"\end{document}")
    return "\n".join(parts)
