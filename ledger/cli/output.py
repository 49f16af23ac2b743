"""What the listing commands share: the --format option, printing rows, writing --out files."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from ledger.errors import OutputError
from ledger.reports.tables import DATA_FORMATS, FORMATS, render

DEFAULT_FORMAT = "simple"


def add_format(parser: argparse.ArgumentParser) -> None:
    """Add ``--format`` with every table format plus csv, json and jsonl."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=DEFAULT_FORMAT,
        metavar="F",
        help=f"output format: any tabulate format (plain, github, grid, html, latex...), "
        f"csv, json or jsonl (default {DEFAULT_FORMAT})",
    )


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    name: str,
    *,
    summary: str,
    description: str,
    example: str,
) -> argparse.ArgumentParser:
    """A command's parser with the shared options and its runnable example as epilog."""
    return sub.add_parser(
        name,
        parents=[common],
        help=summary,
        description=description,
        epilog=f"Example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def emit(
    out: TextIO,
    rows: Sequence[Mapping[str, object]],
    fmt: str,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    *,
    all_data: bool = False,
) -> None:
    """Print ``rows`` in ``fmt``; an empty table of a people format says so in words.

    ``columns`` picks what people read; with ``all_data`` the machine formats (csv, json,
    jsonl) get every column instead, since a program can drop what it does not need.
    """
    if fmt in DATA_FORMATS and all_data:
        columns = None
    if not rows and fmt not in DATA_FORMATS:
        if title:
            print(title, file=out)
        print("(nothing)", file=out)
        return
    text = render(rows, fmt, columns=columns, title=title)
    if text:
        print(text, file=out)


def write_file(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path``; an OS failure becomes ``OutputError`` naming the file."""
    target = Path(path)
    try:
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    except OSError as e:
        raise OutputError(str(path), e.strerror or str(e)) from None
    return target
