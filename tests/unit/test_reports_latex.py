"""LaTeX output: every special character escaped, Arabic runs marked, a document that says
which engines compile it."""

from __future__ import annotations

from ledger.reports.latex import latex_document, latex_text


def test_special_characters_cannot_run_commands() -> None:
    """Backslashes, braces and the other specials come out as text, not as commands."""
    text = latex_text(r"\input{/etc/passwd} 100% & $x^2$ #1 a_b ~")
    assert r"\input" not in text
    assert r"\textbackslash{}input\{" in text
    for escaped in (r"\%", r"\&", r"\$", r"\#", r"\_", r"\textasciicircum{}", r"\textasciitilde{}"):
        assert escaped in text


def test_arabic_runs_are_marked_and_lines_kept() -> None:
    """An Arabic phrase inside English is one \\foreignlanguage run; line breaks stay."""
    text = latex_text("signed «فعليًا» (actually)\nسطر ثان")
    assert text.count(r"\foreignlanguage{arabic}{") == 2
    assert r"\newline" in text
    assert "(actually)" in text


def test_document_loads_babel_arabic_and_longtable() -> None:
    """The document is whole: Arabic through babel, tables as longtables, one per title."""
    doc = latex_document([("Members", ["fact"], [{"fact": "china"}]), ("Empty", ["x"], [])])
    assert doc.startswith(r"\documentclass")
    assert r"\babelprovide[import]{arabic}" in doc
    assert doc.count(r"\begin{longtable}") == 1
    assert r"\section*{Empty}" in doc
    assert doc.rstrip().endswith(r"\end{document}")
