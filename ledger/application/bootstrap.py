"""The composition root: where a ``Ledger`` is built from a store, and the default one seeded.

``open(url)`` opens the ledger at ``url``, else at ``$LEDGER_DATABASE_URL``, else the SQLite
file in the user's data directory; it only opens, it never writes events. ``open_default()``
is what the ``ledger`` command uses without ``--db``: the same ledger, except that the file in
the data directory, when it is still empty, is first filled with the corpus packaged with
``ledger`` (the article's), so that ``ledger state ILRS --as-of 2021-03-10`` answers right after
``pip install``. Seeding is this explicit call, never a side effect of opening.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
from sqlalchemy.engine import URL

from ledger.application.ledger import Ledger
from ledger.errors import LedgerExistsError
from ledger.persistence.store import Clock, EventStore
from ledger.persistence.urls import ENV_VAR

if TYPE_CHECKING:
    from ledger.corpus.importer import ImportResult

__all__ = ["Initialised", "import_default_corpus", "init", "open", "open_default"]


def open(
    url: str | URL | None = None, *, clock: Clock | None = None, key_path: Path | None = None
) -> Ledger:
    """Open the ledger at ``url`` (created empty on first use).

    Without a URL: ``$LEDGER_DATABASE_URL``, else a SQLite file in the user's data directory,
    opened as it is (see :func:`open_default` for the one the ``ledger`` command uses).
    ``clock`` (a function returning an aware datetime) stamps recorded times; default: UTC now.
    ``key_path``: the key that seals saved projections (default: in the user's data
    directory; see ``ledger.persistence.sealing``).
    """
    return Ledger(EventStore.open(url, clock=clock), key_path=key_path)


def open_default(*, clock: Clock | None = None) -> Ledger:
    """The default ledger: ``$LEDGER_DATABASE_URL``, else the data directory's file, seeded.

    The data directory's file is filled with the packaged corpus when it holds no event yet;
    a ledger named by ``$LEDGER_DATABASE_URL`` is opened as it is.
    """
    seeded = not os.environ.get(ENV_VAR)
    opened = open(None, clock=clock)
    if seeded and opened.digest().position == 0:
        try:
            import_default_corpus(opened)
        except BaseException:
            opened.close()
            raise
    return opened


@attrs.frozen
class Initialised:
    """A ledger ``init`` made: where it is, the URL to name it by, what it was seeded with."""

    url: str
    seeded: int
    """Events of the article's corpus recorded into it (0 unless asked)."""


def init(
    target: str | os.PathLike[str], *, with_article: bool = False, clock: Clock | None = None
) -> Initialised:
    """Make a new ledger at ``target`` (a SQLite file path or a database URL).

    An existing empty ledger is fine; one holding events raises ``LedgerExistsError``.
    ``with_article`` seeds it with the packaged corpus (the article's), as the default is.
    """
    text = os.fspath(target)
    # A relative path stays relative (to the folder the commands run in), as it was given.
    url = text if "://" in text else "sqlite:///" + str(Path(text).expanduser())
    made = open(url, clock=clock)
    try:
        held = made.digest().position
        if held:
            raise LedgerExistsError(made.url, held)
        seeded = import_default_corpus(made).total_new if with_article else 0
        return Initialised(url=made.url, seeded=seeded)
    finally:
        made.close()


def import_default_corpus(ledger: Ledger) -> ImportResult:
    """Import the corpus packaged with ``ledger`` (a no-op if it is already there)."""
    # Imported here: reading YAML fixtures is needed once per ledger, not per question.
    from ledger.corpus.importer import default_corpus_path, import_corpus

    return import_corpus(ledger, default_corpus_path())
