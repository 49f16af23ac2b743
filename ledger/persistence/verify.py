"""Walking the hash chain: the first position where the stored ledger is not what was recorded.

Each event must sit at the next position, link to the previous event's hash, hash to its own
stored values, and have exactly its subjects in the subject index. The chain's own rules hold
too, though a forger could recompute every hash: recorded times never go back, and each
stream's sequence runs 1, 2, 3... without a gap. A published digest must still match the hash
at its position. On SQLite the file itself is checked (``PRAGMA integrity_check``: every
index agrees with its table, so no query answers from a corrupted or swapped index); on
PostgreSQL storage integrity is the server's (data checksums, ``amcheck``), and verify reads
the rows through the primary key only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, bindparam, exists, func, select, type_coerce
from sqlalchemy.types import NullType

from ledger.persistence import canonical as c
from ledger.persistence.canonical import GENESIS_BYTES, GENESIS_HASH
from ledger.persistence.chain import Digest, VerifyResult
from ledger.persistence.schema import event_subjects, events

Connect = Callable[[], AbstractContextManager[Connection]]

# Raw driver values: a type processor could normalise a tampered value back to a valid one.
_ROW = [type_coerce(col, NullType()).label(col.name) for col in events.columns]
_NAMES_PER_QUERY = 500


def indexed_subjects(row: Sequence[Any]) -> tuple[str, ...]:
    """The subject index entries a stored event should have: its subjects but its stream."""
    stream = row[c.STREAM]
    subjects = json.loads(row[c.SUBJECTS])
    if not isinstance(subjects, list):
        raise ValueError("subjects is not a JSON list")
    return tuple(dict.fromkeys(s for s in subjects if s != stream))


class _Walk:
    """The state of one verification: how far the chain is sound."""

    def __init__(self) -> None:
        self.prev = GENESIS_BYTES
        self.verified = 0
        self.indexed = 0
        self.published: str | None = None
        self.recorded = ""
        self.sequences: dict[str, int] = {}

    @property
    def head(self) -> Digest:
        return Digest(self.verified, self.prev.hex())

    def failed(self, position: int, reason: str) -> VerifyResult:
        return VerifyResult(
            ok=False, checked=self.verified, head=self.head, first_bad=position, reason=reason
        )


def verify_ledger(connect: Connect, against: Digest | None, page_size: int) -> VerifyResult:
    """Verify the whole chain page by page, then the subject index count and the digest."""
    walk = _Walk()
    if against is not None and against.position == 0:
        walk.published = GENESIS_HASH
    for rows, index in _pages(connect, page_size):
        for row in rows:
            problem = _check(walk, row, index, against)
            if problem is not None:
                return problem
    # Writers may have appended since the walk ended: count only the walked positions, and
    # beyond them look for entries with no event (one statement, so one snapshot of both).
    walked = event_subjects.c.position <= walk.verified
    with connect() as conn:
        entries = conn.execute(select(func.count()).where(walked)).scalar_one()
        orphan = conn.execute(
            select(func.min(event_subjects.c.position)).where(
                ~walked, ~exists().where(events.c.position == event_subjects.c.position)
            )
        ).scalar()
    if entries != walk.indexed:
        position = _first_extra_entry(connect, walk.verified)
        return walk.failed(
            position if position is not None else walk.verified + 1,
            f"the subject index has {entries - walk.indexed} entries for no event",
        )
    if orphan is not None:
        return walk.failed(int(orphan), "the subject index has entries for no event")
    damage = _file_damage(connect)
    if damage is not None:
        return VerifyResult(
            ok=False,
            checked=walk.verified,
            head=walk.head,
            reason=f"the database file is damaged (SQLite integrity_check: {damage})",
        )
    if against is not None:
        if against.position > walk.verified:
            return walk.failed(
                walk.verified + 1,
                f"the ledger ends at position {walk.verified}, before the published digest "
                f"{against}: events were removed",
            )
        if walk.published != against.hash:
            return VerifyResult(
                ok=False,
                checked=walk.verified,
                head=walk.head,
                first_bad=against.position,
                reason=f"the event at position {against.position} no longer has the hash of "
                f"the published digest {against}: the ledger was rewritten",
            )
    return VerifyResult(ok=True, checked=walk.verified, head=walk.head)


def _file_damage(connect: Connect) -> str | None:
    """SQLite's own check of the file (tables, indexes, free pages), or None when sound."""
    with connect() as conn:
        if conn.dialect.name != "sqlite":
            return None
        found = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
    return None if found == ["ok"] else "; ".join(found[:3])


def _check(
    walk: _Walk, row: Sequence[Any], index: dict[int, set[str]], against: Digest | None
) -> VerifyResult | None:
    expected = walk.verified + 1
    position = row[c.POSITION]
    if position != expected:
        return walk.failed(
            expected,
            f"position {expected} is missing (the next stored one is {position}): "
            "an event was removed or moved",
        )
    if row[c.PREV_HASH] != walk.prev.hex():
        return walk.failed(position, "its prev_hash is not the previous event's hash")
    try:
        computed = c.chain_hash(walk.prev, c.canonical(row))
        subjects = set(indexed_subjects(row))
    except (TypeError, ValueError, AttributeError) as e:
        return walk.failed(position, f"a stored value cannot be read ({e})")
    if computed.hex() != row[c.HASH]:
        return walk.failed(position, "its hash does not match its stored values: it was changed")
    recorded = c.recorded_text(row[c.RECORDED_AT])
    if recorded < walk.recorded:
        return walk.failed(
            position,
            f"it was recorded at {recorded}, before the event before it ({walk.recorded}): "
            "recorded times never go back, so it was back-dated",
        )
    stream, sequence = row[c.STREAM], row[c.SEQUENCE]
    last = walk.sequences.get(stream, 0)
    if sequence != last + 1:
        return walk.failed(
            position,
            f"stream {stream!r} goes from sequence {last} to {sequence}: a stream's events "
            "are numbered without gaps",
        )
    found = index.get(position, set())
    if found != subjects:
        wrong = sorted(found ^ subjects)[0]
        what = "lacks" if wrong in subjects else "wrongly lists"
        return walk.failed(position, f"the subject index {what} {wrong!r} for this event")
    if against is not None and position == against.position:
        walk.published = row[c.HASH]
    walk.prev = computed
    walk.recorded = recorded
    walk.sequences[stream] = sequence
    walk.verified = position
    walk.indexed += len(subjects)
    return None


def _pages(
    connect: Connect, page_size: int
) -> Iterator[tuple[Sequence[Sequence[Any]], dict[int, set[str]]]]:
    """Pages of stored rows in position order, each with its subject index entries."""
    query = (
        select(*_ROW)
        .where(events.c.position > bindparam("after"))
        .order_by(events.c.position)
        .limit(page_size)
    )
    after = 0
    while True:
        with connect() as conn:
            rows: Sequence[Sequence[Any]] = conn.execute(query, {"after": after}).fetchall()
            if not rows:
                return
            index = _index_entries(conn, rows)
        yield rows, index
        if len(rows) < page_size:
            return
        after = int(rows[-1][c.POSITION])


def _index_entries(conn: Connection, rows: Sequence[Sequence[Any]]) -> dict[int, set[str]]:
    """The subject index entries for the subjects of a page, found through its primary key.

    Entries naming other subjects are caught by the total count at the end.
    """
    names: set[str] = set()
    for row in rows:
        try:
            names.update(indexed_subjects(row))
        except (TypeError, ValueError):
            continue
    query = select(event_subjects.c.subject, event_subjects.c.position).where(
        event_subjects.c.subject.in_(bindparam("names", expanding=True)),
        event_subjects.c.position.between(rows[0][c.POSITION], rows[-1][c.POSITION]),
    )
    found: dict[int, set[str]] = {}
    ordered = sorted(names)
    for i in range(0, len(ordered), _NAMES_PER_QUERY):
        chunk = ordered[i : i + _NAMES_PER_QUERY]
        for subject, position in conn.execute(query, {"names": chunk}):
            found.setdefault(int(position), set()).add(subject)
    return found


def _first_extra_entry(connect: Connect, verified: int) -> int | None:
    """The first position with more subject index entries than its event has subjects."""
    per_position = (
        select(event_subjects.c.position, func.count())
        .group_by(event_subjects.c.position)
        .order_by(event_subjects.c.position)
    )
    with connect() as conn:
        for position, count in conn.execution_options(stream_results=True).execute(per_position):
            if position > verified:
                return int(position)
            row = conn.execute(select(*_ROW).where(events.c.position == position)).first()
            if row is None or len(indexed_subjects(row)) != count:
                return int(position)
    return None
