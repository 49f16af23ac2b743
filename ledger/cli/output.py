"""What the commands share: --format, --names and --why, printing a view, writing --out files."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ledger.reports.files import write_whole
from ledger.reports.tables import DATA_FORMATS, FORMATS

if TYPE_CHECKING:
    from ledger.domain.names import Lang
    from ledger.views.layout import View

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


def add_names(parser: argparse.ArgumentParser) -> None:
    """Add ``--names en|ar|id``: how the table formats show entities (data formats keep ids)."""
    parser.add_argument(
        "--names",
        choices=("en", "ar", "id"),
        default="en",
        help="show entities by their English (default) or Arabic name, or by id; csv, json "
        "and jsonl always give ids",
    )


def add_why(parser: argparse.ArgumentParser) -> None:
    """Add ``--why``: the quotes and event ids behind each line."""
    parser.add_argument(
        "--why",
        action="store_true",
        help="also show the quotes and the event ids (as numbered notes in the table formats)",
    )


def terminal_width() -> int:
    """The width tables are fitted to: the terminal's, else $COLUMNS, else 120."""
    return shutil.get_terminal_size((120, 24)).columns


def shown_names(args: argparse.Namespace) -> Lang | None:
    """The --names to show entities by; None for csv, json and jsonl, which give entity ids
    and so need no names read."""
    if str(args.format) in DATA_FORMATS:
        return None
    names: Lang = args.names
    return names


def print_view(view: View, args: argparse.Namespace, out: TextIO) -> int:
    """Print a view for people, fitted to the terminal; exit code 0."""
    text = view.render(args.format, terminal_width())
    if text:  # jsonl of no rows is no line at all
        print(text, file=out)
    return 0


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


def write_file(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all; failures are ``OutputError``."""
    return write_whole(path, data)
