"""What the commands share: --format, --names and --why, printing a view, writing --out files."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeAlias

from ledger.reports.files import write_whole
from ledger.reports.tables import DATA_FORMATS, FORMATS

if TYPE_CHECKING:
    from ledger.domain.names import Lang
    from ledger.views.layout import View

DEFAULT_FORMAT = "simple"

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""Where each command module's ``register`` adds its command."""

Handler: TypeAlias = Callable[[argparse.Namespace, TextIO], int]
"""What runs a command: its parsed arguments and standard output in, the exit code out."""


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


def add_shown(parser: argparse.ArgumentParser, *, why: bool = True) -> None:
    """Add how an answer is shown: ``--why`` (unless ``why`` is False), --names, --format."""
    if why:
        add_why(parser)
    add_names(parser)
    add_format(parser)


def add_as_of(parser: argparse.ArgumentParser) -> None:
    """Add ``--as-of DATE`` (required) and ``--known-at TIME``: the two times of a question."""
    parser.add_argument(
        "--as-of", required=True, metavar="DATE", help="EDTF day, month or year (2021-03-10)"
    )
    parser.add_argument(
        "--known-at",
        metavar="TIME",
        default=None,
        help="recorded time: ISO datetime, or a date meaning the end of that day UTC",
    )


def add_known_at(parser: argparse.ArgumentParser) -> None:
    """Add ``--known-at``: only what the ledger had recorded by then."""
    parser.add_argument(
        "--known-at",
        metavar="WHEN",
        default=None,
        help="only what the ledger had recorded by then: an ISO date (its end, UTC) or datetime",
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
    sub: Subcommands,
    common: argparse.ArgumentParser,
    name: str,
    *,
    summary: str,
    description: str,
    example: str,
    handler: Handler,
) -> argparse.ArgumentParser:
    """A command's parser with the shared options, its runnable example as epilog, and the
    function that runs it."""
    parser = sub.add_parser(
        name,
        parents=[common],
        help=summary,
        description=description,
        epilog=f"Example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def write_file(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all; failures are ``OutputError``."""
    return write_whole(path, data)
