"""``ledger import PATH``: validate a corpus of seeds and fixtures and record it."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import add_into_default, open_for_writing
from ledger.cli.output import Subcommands
from ledger.cli.progress import Progress

EPILOG = """Example:
  ledger import fixtures/
  ledger import fixtures/corpus.yaml --check
  ledger import . --db sqlite:///ilrs.sqlite"""


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``import`` command."""
    parser = sub.add_parser(
        "import",
        parents=[common],
        help="validate a corpus (seeds and YAML fixtures) and record it; again is a no-op",
        description="Read a corpus manifest (a corpus.yaml file, or a folder holding it or "
        "fixtures/corpus.yaml), check every field, entity, date, phrase and quote, and record "
        "its sources, entities and claims in one transaction. Any problem is reported with "
        "its file, line and field, and nothing is recorded. Importing the same corpus again "
        "records nothing new. A .jsonl file written by 'ledger export' is read back the same "
        "way: every event checked first, then all recorded in one transaction.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path",
        metavar="PATH",
        help="a corpus manifest, or a folder holding one (or fixtures/), or a .jsonl export",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only validate and count; record nothing and open no database",
    )
    add_into_default(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Validate, then import unless ``--check``; print the counts."""
    if str(args.path).endswith(".jsonl"):
        return handle_jsonl(args, out)
    # The corpus loader (and yaml) load only for this command, to keep the others quick.
    from ledger.corpus import import_corpus, load_corpus
    from ledger.corpus.importer import known_of

    if args.check:
        with Progress("validating", 1) as bar:
            corpus = load_corpus(args.path)
            bar.advance()
        print(corpus.summary(), file=out)
        return 0
    with Progress("validating", 2) as bar, open_for_writing(args) as opened:
        # Checked against what the ledger holds: its entities may be cited or merged.
        corpus = load_corpus(args.path, known_of(opened))
        bar.advance(label=f"recording {len(corpus.events)} events")
        result = import_corpus(opened, corpus)
        bar.advance()
        where = opened.url
    print(result.summary(where), file=out)
    return 0


def handle_jsonl(args: argparse.Namespace, out: TextIO) -> int:
    """Read every event of a JSON Lines export, then record them all in one transaction."""
    from ledger.application.importing import read_export

    events = read_export(args.path)
    if args.check:
        print(f"{args.path}: valid, {len(events)} events", file=out)
        return 0
    with open_for_writing(args) as opened, Progress(f"recording {len(events)} events", 1) as bar:
        result = opened.record(events)
        where = opened.url
        bar.advance()
    print(result.summary(args.path, where), file=out)
    return 0
