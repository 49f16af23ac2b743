"""``ledger draft TEXT --source-date D``: a draft corpus of a new text's dated statements."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import Subcommands, add_parser
from ledger.errors import FixtureError


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``draft`` command."""
    parser = add_parser(
        sub,
        common,
        "draft",
        summary="write a draft corpus of a new text: its dated statements, dates and entities",
        description="Read a text (UTF-8) and write a corpus file for the historian to finish: "
        "every dated or datable phrase (explicit dates; relative phrases in Arabic and "
        "English such as 'in December', 'last year', «منذ شهور», «حتى الآن») with its sentence "
        "as the exact quote, the EDTF date it resolves to against --source-date, and the "
        "ledger's entities the sentence names (by any alias). Sentences naming entities but "
        "no date follow, dated on or before the source date (unless --dated-only). Nothing "
        "is recorded.",
        example="ledger draft seeds/000_6c56f83bcb0769f5.txt --source-date 2021-03-09 --lang ar",
        handler=handle,
    )
    parser.add_argument("text", metavar="TEXT", help="the text file")
    parser.add_argument(
        "--source-date", required=True, metavar="DATE", help="the text's date (EDTF day)"
    )
    parser.add_argument(
        "--lang", choices=("ar", "en"), help="the text's language (default: guessed)"
    )
    parser.add_argument("--source", metavar="ID", help="the source id the claims will cite")
    parser.add_argument("--dated-only", action="store_true", help="leave out undated sentences")
    parser.add_argument("--out", metavar="FILE", help="write the YAML here instead of stdout")
    parser.add_argument(
        "--recorded-at",
        metavar="TIME",
        help="the draft's recorded_at (ISO 8601 UTC; default: now)",
    )


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Draft the text against the ledger's entities and print (or write) the YAML."""
    from ledger.corpus.draft import render_yaml

    path = Path(args.text)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(str(path), None, None, str(error)) from None
    with open_ledger(args) as opened:
        found = opened.draft(text, args.source_date, args.lang)
    recorded_at = None
    if args.recorded_at:
        from ledger.corpus.entries import utc_time

        recorded_at = utc_time(args.recorded_at)
        if recorded_at is None:
            raise FixtureError("--recorded-at", None, None, f"not a UTC time: {args.recorded_at!r}")
    rendered = render_yaml(
        found,
        source=args.source or "TODO-source-id",
        text_name=path.name,
        recorded_at=recorded_at,
        undated=not args.dated_only,
    )
    if args.out:
        Path(args.out).write_text(rendered, encoding="utf-8")
        print(f"{args.out}: {len(found.findings)} dated phrases", file=out)
    else:
        out.write(rendered)
    return 0
