"""The ``ledger`` command: a thin layer that parses arguments, calls the library and prints.

Each command lives in its own module under ``ledger.cli`` and exposes ``register(sub, common)``.
Library errors become one line on stderr and exit code 1; usage errors exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

from ledger.cli.terminal import for_terminal
from ledger.errors import CheckpointWarning, LedgerError, shorten

COMMANDS: dict[str, tuple[str, ...]] = {
    "init": ("init",),
    "date": ("date",),
    "verify": ("verify", "digest"),
    "importing": ("import",),
    "state": ("state", "why"),
    "catalogue": ("programs", "sources"),
    "history": ("timeline", "diff", "conflicts"),
    "events": ("events", "export"),
    "picture": ("plot", "report"),
    "exchange": ("exchange",),
    "rebuild": ("rebuild",),
    "authoring": ("add", "correct", "retract", "source"),
    "draft": ("draft",),
    "types": ("types",),
    "where": ("where",),
}
"""Modules of ``ledger.cli``, in help order, and the commands each adds."""

COMMAND_MODULES: tuple[str, ...] = tuple(COMMANDS)

_MODULE_OF = {command: module for module, names in COMMANDS.items() for command in names}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser: with only the module of the command ``argv`` names, when it
    names one (a command's process then imports and builds only its own options), else
    with every command registered (help, unknown commands)."""
    from ledger import __version__
    from ledger.persistence.urls import ENV_VAR, default_path

    parser = argparse.ArgumentParser(
        prog="ledger",
        description="A timeline ledger for historians: dated, sourced, immutable events.",
        epilog=f"Default ledger: {default_path()} (unless --db or ${ENV_VAR} names another;"
        " see 'ledger where')\n\nExample:\n  ledger state ILRS --as-of 2021-03-10",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ledger {__version__}")
    # Options shared by every command may come before or after the command name.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (sqlite:///file.db, postgresql+psycopg://...); "
        "default: $LEDGER_DATABASE_URL, else the article's ledger in your data directory",
    )
    parser.add_argument("--db", metavar="URL", default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    named = _MODULE_OF.get(_command_of(argv)) if argv is not None else None
    for name in (named,) if named is not None else COMMAND_MODULES:
        module = importlib.import_module(f"ledger.cli.{name}")
        module.register(sub, common)
    return parser


def _command_of(argv: Sequence[str]) -> str:
    """The command ``argv`` names: its first word that is neither an option nor the URL of
    ``--db`` ("" when there is none, or when the whole help is asked for first)."""
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help"):
            return ""
        if word == "--db":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return ""


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line ``argv`` and return its exit code (never raises for our errors)."""
    out = for_terminal(stdout if stdout is not None else sys.stdout)
    err = stderr if stderr is not None else sys.stderr
    words = list(argv) if argv is not None else sys.argv[1:]
    parser = build_parser(words)
    try:
        args = parser.parse_args(words)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CheckpointWarning)
            try:
                code: int = args.handler(args, out)
            finally:
                _say_warnings(caught, err)
    except LedgerError as error:
        # Errors quote what they refuse, and a refused argument may be megabytes long.
        first, *rest = [shorten(line) for line in str(error).splitlines()] or [type(error).__name__]
        print(f"ledger: error: {first}", file=err)
        for line in rest:
            print(f"  {line}", file=err)
        return 1
    except KeyboardInterrupt:
        print("ledger: interrupted", file=err)
        return 130
    except BrokenPipeError:
        raise  # the reader left: run() ends quietly
    except OSError as error:
        # Only printing is left outside the library's own errors: the output is full or gone.
        print(f"ledger: error: cannot write the output: {error.strerror or error}", file=err)
        return 1
    return code


def _say_warnings(caught: list[warnings.WarningMessage], err: TextIO) -> None:
    """One line for the saved projections that were not used; other warnings as Python's."""
    discarded: dict[str, str] = {}
    for found in caught:
        if isinstance(found.message, CheckpointWarning):
            discarded.setdefault(found.message.name, found.message.reason)
        else:
            warnings.showwarning(found.message, found.category, found.filename, found.lineno)
    if len(discarded) == 1:
        ((name, reason),) = discarded.items()
        line = f"saved projection {name!r} was not used ({reason}); answered from the events"
    elif discarded:
        names = ", ".join(map(repr, discarded))
        line = (
            f"{len(discarded)} saved projections were not used ({names}: their seals or "
            "positions do not check); answered from the events"
        )
    else:
        return
    print(f"ledger: warning: {shorten(line)}", file=err)


START_THRESHOLD = 400_000
"""The collector's young-generation threshold in a command's process (Python's is 700)."""


def run() -> None:
    """Console-script entry point."""
    # A command's process builds its modules, classes and answer once and keeps them to the
    # end. At Python's threshold of 700 the collector ran ~150 times while a `state` question
    # started, scanning those long-lived objects and reclaiming nothing: a quarter of the
    # time beyond the bare imports. At 20,000 it still ran five young collections of 3-4 ms
    # each; a `state` question allocates fewer objects than this threshold, so it runs none.
    # Longer commands still collect cycles, just less often (each young pass is then longer).
    gc.set_threshold(max(gc.get_threshold()[0], START_THRESHOLD), *gc.get_threshold()[1:])
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (``| head``) left: stop quietly, and keep Python's exit flush from failing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 141
    except OSError as error:  # the last of the output did not fit (``> /dev/full``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"ledger: error: cannot write the output: {error.strerror or error}", file=sys.stderr)
        code = 1
    sys.stderr.flush()
    # Every ledger the command opened is closed and its output flushed by now; what is left
    # is the interpreter tearing down some 600 modules, a fifth of a short command's time.
    os._exit(code)
