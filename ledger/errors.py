"""Every error the ledger raises: one root, and each class also the builtin it resembles.

Callers can catch ``LedgerError`` for anything of ours, or the builtin (``ValueError``,
``LookupError``...) as they would for any Python library. Each error keeps its context as
attributes so that the CLI and notebooks can show more than a message.
"""

from __future__ import annotations

from collections.abc import Sequence

MESSAGE_LIMIT = 1_000
"""The longest text a message shows of what it was given: a 10 MB field makes no 10 MB line."""


def shorten(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text``, or its start and its end with the middle left out when longer than ``limit``."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    head = limit - tail
    left_out = len(text) - head - tail
    return f"{text[:head]} ... [{left_out:,} characters left out] ... {text[-tail:]}"


class LedgerError(Exception):
    """Base of every error raised by the ledger."""


class InvalidDateError(LedgerError, ValueError):
    """A string is not a historical date the ledger can read."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        shown = text if len(text) <= 80 else text[:77] + "..."
        super().__init__(f"cannot read date {shown!r}: {reason}")


class UnknownPhraseError(InvalidDateError):
    """A relative date phrase ("in December", «العام الماضي») that the resolver does not know."""


class UnknownEntityError(LedgerError, LookupError):
    """A name or alias that resolves to no entity; ``suggestions`` holds the closest names."""

    def __init__(self, name: str, suggestions: Sequence[str] = (), kind: str = "entity") -> None:
        self.name = name
        self.kind = kind
        self.suggestions = tuple(dict.fromkeys(suggestions))  # once each, order kept
        hint = f"; did you mean {', '.join(map(repr, self.suggestions))}?" if suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")


class EventError(LedgerError, ValueError):
    """An event that is malformed in itself (a bad field, an impossible value)."""


class DuplicateEventError(LedgerError, ValueError):
    """A different event was appended under an id the ledger already holds."""

    def __init__(self, event_id: object) -> None:
        self.event_id = event_id
        super().__init__(f"event {event_id} is already recorded with different content")


class ConcurrencyError(LedgerError, RuntimeError):
    """An append named a stale expected version of a stream: someone else wrote first."""

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"stream {stream!r} is at version {actual}, not the expected {expected}: "
            "another writer appended first; re-read the stream and try again"
        )


class ImmutableError(LedgerError, PermissionError):
    """Something tried to change or remove a recorded event."""


class StoreError(LedgerError, OSError):
    """The database could not be opened, read or written."""


class SchemaVersionError(StoreError):
    """The database was written by a schema version this ledger does not know."""

    def __init__(self, found: object, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            f"database schema version {found} is not supported (this ledger reads version "
            f"{supported}); use the ledger release that wrote it"
        )


class IntegrityError(LedgerError, ValueError):
    """The hash chain does not verify: a stored event was changed, removed or reordered."""

    def __init__(self, position: int | None, reason: str) -> None:
        self.position = position
        self.reason = reason
        where = f"at position {position}" if position is not None else "in the ledger"
        super().__init__(f"integrity check failed {where}: {reason}")


class FixtureError(LedgerError, ValueError):
    """One problem in a corpus file, located by file, line and field."""

    def __init__(self, file: str, line: int | None, field: str | None, message: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        where = file if line is None else f"{file}:{line}"
        what = f" field {field!r}:" if field else ""
        # Messages quote the values (and fields) they refuse, which may be megabytes long.
        super().__init__(shorten(f"{where}:{what} {message}"))


class FixtureErrors(LedgerError, ValueError):
    """Every problem found while validating a corpus or an entry; nothing was recorded.

    One problem is the message itself; several are counted, one per line.
    """

    def __init__(self, errors: Sequence[FixtureError]) -> None:
        self.errors = tuple(errors)
        if len(self.errors) == 1:
            super().__init__(f"{self.errors[0]} (nothing imported)")
            return
        lines = [str(e) for e in self.errors[:20]]
        more = len(self.errors) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more")
        super().__init__(
            f"{len(self.errors)} problem(s) in the corpus, nothing imported:\n" + "\n".join(lines)
        )


class UnknownFormatError(LedgerError, ValueError):
    """An output format the ledger cannot write; ``valid`` holds the formats it can."""

    def __init__(self, fmt: str, valid: Sequence[str]) -> None:
        self.fmt = fmt
        self.valid = tuple(valid)
        super().__init__(f"unknown format {fmt!r}; valid formats: {', '.join(self.valid)}")


class MissingExtraError(LedgerError, ImportError):
    """An optional feature whose packages are not installed; names the extra to install."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.feature = feature
        self.extra = extra
        self.module = module
        super().__init__(
            f"{feature} needs the {module!r} package, which is not installed: "
            f"{install_command(extra)}"
        )


DISTRIBUTION = "historians-ledger"
"""The name this package is installed under (the import package and the command are ``ledger``)."""


def install_command(extra: str) -> str:
    """The command that adds ``extra`` to this installation: this interpreter's pip, and the
    source folder when the package was installed from one (``-e`` if it was editable)."""
    import json
    import os
    import shlex
    import sys
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    target = f"{DISTRIBUTION}[{extra}]"
    try:
        direct = json.loads(
            metadata.distribution(DISTRIBUTION).read_text("direct_url.json") or "{}"
        )
    except (metadata.PackageNotFoundError, ValueError):
        direct = {}
    url = str(direct.get("url", ""))
    if "dir_info" in direct and url.startswith("file:"):
        folder = unquote(urlparse(url).path)
        if os.path.isdir(folder):
            editable = "-e " if direct["dir_info"].get("editable") else ""
            target = f"{folder}[{extra}]"
            return f"{shlex.quote(sys.executable)} -m pip install {editable}{shlex.quote(target)}"
    return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(target)}"


class ReportError(LedgerError, ValueError):
    """Input a report cannot render safely or sensibly (a bad mark, an unsafe picture)."""


class InvalidDigestError(LedgerError, ValueError):
    """A published ledger digest that is not of the form ``<position>:<64 hex digits>``."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        shown = text if len(text) <= 80 else text[:77] + "..."
        super().__init__(
            f"cannot read digest {shown!r}: {reason} (expected <position>:<sha256 hex>)"
        )


class QueryError(LedgerError, ValueError):
    """A read the ledger cannot answer as asked (a naive time, an unknown event type...)."""


class OutputError(LedgerError, OSError):
    """A file the ledger was asked to write (a picture, a report, an export) could not be."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path!r}: {reason}")


class DefaultLedgerError(LedgerError, PermissionError):
    """A command that writes was aimed at the default ledger (the article's) without asking."""

    def __init__(self, command: str, where: str) -> None:
        self.command = command
        self.where = where
        super().__init__(
            f"'ledger {command}' records events for good, and no ledger was named: it would "
            "write into the default ledger, the article's ('ledger where' shows its file). "
            "Make a ledger of your "
            "own with 'ledger init my-ledger.sqlite' and name it with --db sqlite:///"
            "my-ledger.sqlite (or $LEDGER_DATABASE_URL); --into-default writes into the "
            "default ledger anyway"
        )


class LedgerExistsError(LedgerError, FileExistsError):
    """``ledger init`` was given a ledger that already holds events."""

    def __init__(self, url: str, events: int) -> None:
        self.url = url
        self.events = events
        super().__init__(f"{url} is already a ledger holding {events} events; nothing changed")


class CheckpointWarning(UserWarning):
    """A saved projection failed its check and was not used: the answer came from the events.

    Not an error (the answer is right), but worth saying: someone or something changed derived
    data in the database. ``name`` is the checkpoint's, ``reason`` what was wrong with it.
    """

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(
            f"saved projection {name!r} was not used ({reason}); answered from the events"
        )
