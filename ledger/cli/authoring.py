"""``ledger add``, ``correct``, ``retract`` and ``source add``: record one entry, checked like
a corpus (entities, source, quote against its text, date against its phrase), atomically."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ledger.cli.database import add_into_default, open_for_writing
from ledger.cli.output import Subcommands, add_parser
from ledger.domain.events import Event
from ledger.errors import FixtureError, FixtureErrors


def _pairs(items: list[str] | None, flag: str) -> dict[str, Any]:
    """``field=value`` arguments as a mapping; numbers and true/false as such."""
    import yaml

    found: dict[str, Any] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key:
            problem = FixtureError(
                "the command line", None, flag, f"expected FIELD=VALUE: {item!r}"
            )
            raise FixtureErrors([problem])
        parsed = yaml.safe_load(value) if value else ""
        found[key] = parsed if isinstance(parsed, int | float | bool | list) else value
    return found


def _recorded(out: TextIO, events: list[Event], before: int) -> None:
    for event in events:
        state = "recorded" if event.position > before else "present"
        print(f"{state} {event.type_name} {event.id} at position {event.position}", file=out)
        print(f"  {event.summary}", file=out)


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``add``, ``correct``, ``retract`` and ``source`` commands."""
    add = add_parser(
        sub,
        common,
        "add",
        summary="record a claim from flags or a short YAML/JSON file, checked like a corpus",
        description="Record one claim (or the claims of a YAML/JSON file: one claim, a list, "
        "or events:) with the fields a corpus claim has (see 'ledger types'). Entities, the "
        "source, the quote (against the source's text) and the date (against its phrase) are "
        "checked first; all are recorded or none. The same claim added twice is recorded once.",
        example="ledger add --type Stated --stream ilrs --source article-ar --date 2021-03-09 "
        '--quote "وقعت روسيا والصين اتفاقية" --set predicate=signed',
        handler=handle_add,
    )
    add.add_argument("file", metavar="FILE", nargs="?", help="a YAML or JSON file of claims")
    add.add_argument("--type", help="event type (ledger types lists them)")
    add.add_argument("--stream", help="the entity the claim is about (its id)")
    add.add_argument("--date", help="EDTF date")
    add.add_argument("--phrase", help="the date as the source writes it (part of the quote)")
    add.add_argument("--quote", help="the source's exact words")
    add.add_argument("--source", help="the source id (or the default for a file's claims)")
    add.add_argument("--summary", help="one line in English")
    add.add_argument("--id", help="a stable id for the claim (default: from its content)")
    add.add_argument("--confidence", choices=("low", "medium", "medium-high", "high"))
    add.add_argument(
        "--set", metavar="FIELD=VALUE", action="append", help="a payload field (repeatable)"
    )
    add_into_default(add)

    correct = add_parser(
        sub,
        common,
        "correct",
        summary="record a correction of a claim: new values or date, with reason and source",
        description="Record that a recorded claim (its event id, or its corpus id) is wrong "
        "in some fields or its date, citing the source that says so; the quote is checked "
        "against that source's text. The claim stays recorded; the correction decides.",
        example='ledger correct ilrs-location-orbit --reason "the station is on the surface" '
        '--source article-ar --quote "على سطح القمر أو في مداره" --set "value=on the surface"',
        handler=handle_correct,
    )
    correct.add_argument("event", metavar="EVENT", help="event id or corpus id of the claim")
    correct.add_argument("--reason", required=True, help="why, in a sentence")
    correct.add_argument("--source", required=True, help="the source that says so")
    correct.add_argument("--quote", required=True, help="its exact words")
    correct.add_argument("--date", help="the claim's corrected date (EDTF)")
    correct.add_argument("--set", metavar="FIELD=VALUE", action="append", help="a new value")
    correct.add_argument("--confidence", choices=("low", "medium", "medium-high", "high"))
    add_into_default(correct)

    retract = add_parser(
        sub,
        common,
        "retract",
        summary="record that a claim should not have been recorded (it stops counting)",
        description="Record a retraction of a claim (its event id or corpus id), with the "
        "reason; a source and quote may say who says so. The claim stays in the ledger.",
        example='ledger retract ilrs-location-orbit --reason "misread the article"',
        handler=handle_retract,
    )
    retract.add_argument("event", metavar="EVENT", help="event id or corpus id of the claim")
    retract.add_argument("--reason", required=True, help="why")
    retract.add_argument("--source", help="the source that says so, if any")
    retract.add_argument("--quote", help="its exact words")
    add_into_default(retract)

    source = add_parser(
        sub,
        common,
        "source",
        summary="record a text file as a source the ledger holds (source add TEXT)",
        description="source add TEXT: record the text file TEXT (UTF-8) as a seed source: its "
        "text is kept in the ledger, so claims can quote it. The metadata is given by flags. "
        "Its title need not occur in the text.",
        example='ledger source add seeds/public-facts.md --id my-notes --title "My notes" '
        "--language en --date 2026-11-01",
        handler=handle_source,
    )
    source.add_argument("action", choices=("add",), help="add: record a new source")
    source.add_argument("text", metavar="TEXT", help="the text file")
    source.add_argument("--id", help="source id (default: from the file name)")
    source.add_argument("--title", required=True, help="the source's title")
    source.add_argument("--language", help="BCP 47 tag (en, ar, ru...)")
    source.add_argument("--date", help="publication date (EDTF); relative phrases use it")
    source.add_argument("--url", help="where it can be read")
    source.add_argument("--doi", help="its DOI")
    source.add_argument("--publisher", help="who published it")
    source.add_argument("--author", action="append", dest="authors", help="an author")
    add_into_default(source)


def handle_add(args: argparse.Namespace, out: TextIO) -> int:
    """Record the claim of the flags, or those of the file."""
    flags = {
        key: getattr(args, key)
        for key in ("type", "stream", "date", "phrase", "quote", "source", "summary", "id")
        if getattr(args, key)
    }
    if args.confidence:
        flags["confidence"] = args.confidence
    flags |= _pairs(args.set, "--set")
    with open_for_writing(args) as opened:
        before = opened.digest().position
        given = args.file if args.file else flags
        recorded = opened.add(given, source=args.source if args.file else None)
    _recorded(out, recorded, before)
    return 0


def handle_correct(args: argparse.Namespace, out: TextIO) -> int:
    """Record the correction."""
    with open_for_writing(args) as opened:
        before = opened.digest().position
        recorded = opened.correct(
            args.event,
            reason=args.reason,
            source=args.source,
            quote=args.quote,
            date=args.date,
            changes=_pairs(args.set, "--set"),
            confidence=args.confidence,
        )
    _recorded(out, [recorded], before)
    return 0


def handle_retract(args: argparse.Namespace, out: TextIO) -> int:
    """Record the retraction."""
    with open_for_writing(args) as opened:
        before = opened.digest().position
        recorded = opened.retract(
            args.event, reason=args.reason, source=args.source, quote=args.quote
        )
    _recorded(out, [recorded], before)
    return 0


def handle_source(args: argparse.Namespace, out: TextIO) -> int:
    """Record the text file as a seed source."""
    metadata = {
        key: getattr(args, key)
        for key in ("id", "title", "language", "date", "url", "doi", "publisher", "authors")
        if getattr(args, key)
    }
    with open_for_writing(args) as opened:
        before = opened.digest().position
        recorded = opened.add_source(args.text, **metadata)
    _recorded(out, recorded, before)
    return 0
