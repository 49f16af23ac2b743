"""The event store's contract, run on SQLite in memory, SQLite on disk and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from conftest import FakeClock
from sqlalchemy import text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from strategies import sample_events
from tamper import delete_event, set_columns, stored_row, swap_events

from ledger.dates import parse_edtf
from ledger.dates.recorded import CLOCK_SKEW
from ledger.domain.events import (
    Citation,
    ClaimMade,
    Corrected,
    Event,
    MemberJoined,
    StatusChanged,
)
from ledger.errors import (
    ConcurrencyError,
    DuplicateEventError,
    EventError,
    ImmutableError,
    InvalidDigestError,
    QueryError,
    SchemaVersionError,
)
from ledger.persistence.chain import Digest
from ledger.persistence.schema import IMMUTABLE_MESSAGE, event_subjects, ledger_meta, to_utc
from ledger.persistence.store import EventStore

_counter = iter(range(1, 1_000_000))


def status(
    stream: str = "ilrs", when: str = "2021-03-09", value: str = "agreed", **kw: Any
) -> StatusChanged:
    """A StatusChanged event with a fresh id."""
    return StatusChanged(
        id=kw.pop("id", uuid.UUID(int=next(_counter))),
        stream=stream,
        valid_time=parse_edtf(when),
        citation=kw.pop("citation", Citation(source="article", quote="q")),
        status=value,
        **kw,
    )


def positions(events: list[Event]) -> list[int]:
    """The positions of events, in order."""
    return [e.position for e in events]


# --- append and read back ---------------------------------------------------------------------


def test_append_assigns_sequence_position_and_recorded_time(store: EventStore) -> None:
    """Appended events get per-stream sequences, gap-free global positions and a UTC stamp."""
    recorded = store.append([status("ilrs"), status("nasa"), status("ilrs")])
    assert positions(recorded) == [1, 2, 3]
    assert [e.sequence for e in recorded] == [1, 1, 2]
    assert all(e.recorded_at == datetime(2021, 3, 10, 12, tzinfo=UTC) for e in recorded)
    assert store.head() == 3
    assert store.stream_version("ilrs") == 2


def test_round_trip_through_every_read(store: EventStore) -> None:
    """What append returns is exactly what iter_events, stream and get read back."""
    joined = MemberJoined(
        id=uuid.uuid4(),
        stream="ilrs",
        valid_time=parse_edtf("2021-04/2021-06"),
        citation=Citation(source="s", quote="«انضمت»", start=0, end=7, also_cited=("x",)),
        subjects=("ilrs", "russia"),
        member="russia",
    )
    recorded = store.append([status(), joined])
    assert list(store.iter_events()) == recorded
    assert store.stream("ilrs") == recorded
    assert store.get(joined.id) == recorded[1]
    assert store.get(str(joined.id)) == recorded[1]
    assert recorded[1] == attrs.evolve(
        joined, sequence=2, position=2, recorded_at=recorded_time(recorded[1])
    )


def recorded_time(event: Event) -> datetime:
    """The recorded time the store gave ``event`` (for building expected values)."""
    assert event.recorded_at is not None
    return event.recorded_at


def test_single_event_and_empty_batch(store: EventStore) -> None:
    """A lone event may be appended without a list; an empty batch records nothing."""
    assert store.append([]) == []
    assert positions(store.append(status())) == [1]
    assert store.head() == 1


def test_get_unknown_and_malformed_ids(store: EventStore) -> None:
    """get returns None for an unknown id and refuses text that is no UUID."""
    assert store.get(uuid.uuid4()) is None
    with pytest.raises(QueryError):
        store.get("not-a-uuid")


# --- atomicity, idempotency, duplicates -----------------------------------------------------


def test_batch_with_a_bad_event_writes_nothing(store: EventStore) -> None:
    """An invalid event anywhere in a batch rejects the whole batch before anything is stored."""
    store.append(status())
    naive = status(recorded_at=datetime(2021, 1, 1))
    with pytest.raises(EventError):
        store.append([status(), naive, status()])
    assert store.head() == 1


def test_failure_mid_insert_rolls_back(store: EventStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the rows were inserted leaves no trace: one transaction, all or nothing."""
    store.append(status())
    real = store._recorder.insert

    def insert_then_fail(*args: Any) -> None:
        real(*args)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store._recorder, "insert", insert_then_fail)
    with pytest.raises(RuntimeError):
        store.append([status(subjects=("russia",)), status()])
    monkeypatch.undo()
    assert store.head() == 1
    assert list(store.iter_events(subject="russia")) == []
    assert store.verify().ok
    assert positions(store.append(status())) == [2]


def test_same_event_twice_is_a_no_op(store: EventStore) -> None:
    """Appending an event whose id and content are recorded returns the recorded one."""
    event = status()
    first = store.append(event)
    again = store.append([event, event])
    assert again == first
    assert store.head() == 1


def test_retry_ignores_assigned_fields(store: EventStore) -> None:
    """A recorded event appended again (with its sequence, position, time) is still a no-op."""
    (recorded,) = store.append(status())
    assert store.append(attrs.evolve(recorded, position=99, sequence=5)) == [recorded]
    assert store.head() == 1


def test_different_event_under_a_used_id_is_refused(store: EventStore) -> None:
    """Different content under a recorded id raises DuplicateEventError; nothing is written."""
    event = status()
    store.append(event)
    with pytest.raises(DuplicateEventError) as raised:
        store.append([status(), attrs.evolve(event, summary="changed")])
    assert raised.value.event_id == event.id
    assert store.head() == 1


def test_duplicate_ids_inside_one_batch(store: EventStore) -> None:
    """Two different events with one id in a single batch are refused before writing."""
    event = status()
    with pytest.raises(DuplicateEventError):
        store.append([event, attrs.evolve(event, fact="other")])
    assert store.head() == 0


def test_extend_imports_in_batches_and_resumes(store: EventStore) -> None:
    """extend appends in batches and, re-run after an interruption, adds only what is missing."""
    events = [status(stream=f"s{i % 3}") for i in range(10)]
    assert store.extend(events[:4], batch_size=3) == 4
    assert store.extend(events, batch_size=3) == 6
    assert [e.id for e in store.iter_events()] == [e.id for e in events]
    assert store.verify().ok


def test_extend_chunks_share_their_batch_transaction(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of one extend batch commit together: a clash in a later chunk records none."""
    monkeypatch.setattr("ledger.persistence.appending.ENCODE_CHUNK", 2)
    events = [status(stream=f"s{i % 2}") for i in range(5)]
    # The same event again in a later chunk is a no-op, as on a re-run.
    assert store.extend([*events[:3], events[0], *events[3:]], batch_size=10) == 5
    clash = [status(), status(), status(), attrs.evolve(events[0], fact="other")]
    with pytest.raises(DuplicateEventError):
        store.extend(clash, batch_size=10)
    assert store.head() == 5
    # Two batches: the first commits before the second fails.
    with pytest.raises(DuplicateEventError):
        store.extend(clash, batch_size=2)
    assert store.head() == 7
    assert [e.position for e in store.iter_events()] == list(range(1, 8))
    assert store.verify().ok


def test_bulk_import_refreshes_postgresql_statistics(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large extend on PostgreSQL leaves planner statistics for the paged reads."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    monkeypatch.setattr("ledger.persistence.postgres.ANALYZE_AFTER", 3)
    query = text(
        "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
        "WHERE relname = 'events' AND schemaname = current_schema()"
    )
    store.extend([status(), status()])
    with store.connect() as conn:
        assert conn.execute(query).scalar() is False
    store.extend([status(), status(), status()])
    with store.connect() as conn:
        assert conn.execute(query).scalar() is True


# --- optimistic concurrency ---------------------------------------------------------------


def test_expected_version_int_and_mapping(store: EventStore) -> None:
    """The right expected version appends; a stale one raises ConcurrencyError with context."""
    store.append(status("ilrs"), expected_version=0)
    store.append([status("ilrs"), status("ilrs")], expected_version=1)
    with pytest.raises(ConcurrencyError) as raised:
        store.append(status("ilrs"), expected_version=1)
    assert (raised.value.stream, raised.value.expected, raised.value.actual) == ("ilrs", 1, 3)
    store.append([status("ilrs"), status("nasa")], expected_version={"ilrs": 3, "nasa": 0})
    with pytest.raises(ConcurrencyError):
        store.append([status("nasa")], expected_version={"nasa": 1, "esa": 1})
    assert store.head() == 5


def test_int_expected_version_needs_one_stream(store: EventStore) -> None:
    """An int expected version for events of several streams is refused as ambiguous."""
    with pytest.raises(EventError, match="one stream"):
        store.append([status("a"), status("b")], expected_version=0)


def test_unique_stream_sequence_conflict_is_a_concurrency_error(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the (stream, sequence) key fires, as for a writer that read before another
    committed, the store raises ConcurrencyError rather than a database error."""
    store.append(status("ilrs"))
    monkeypatch.setattr(store._recorder, "stream_versions", lambda conn, streams: {})
    with pytest.raises(ConcurrencyError) as raised:
        store.append(status("ilrs"))
    assert raised.value.stream == "ilrs"
    monkeypatch.undo()
    assert store.head() == 1


# --- reads: paging and filters -------------------------------------------------------------


def test_iterator_pages_in_order_and_stops_at_the_starting_head(store: EventStore) -> None:
    """iter_events pages by position, honours ``after``, and ignores events appended later."""
    store.append([status(stream=f"s{i}") for i in range(10)])
    assert positions(list(store.iter_events(page_size=3))) == list(range(1, 11))
    assert positions(list(store.iter_events(after=7, page_size=2))) == [8, 9, 10]
    running = store.iter_events(page_size=4)
    first = next(running)
    store.append(status())
    assert [first.position, *positions(list(running))] == list(range(1, 11))
    with pytest.raises(QueryError):
        store.iter_events(page_size=0)


def test_subject_filter_finds_stream_and_subjects(store: EventStore) -> None:
    """subject= finds events whose stream or subjects name the entity (one or several)."""
    store.append(
        [
            status("ilrs", subjects=("russia", "china")),
            status("gateway", subjects=("nasa",)),
            status("russia"),
            status("china", subjects=("china",)),
        ]
    )
    assert positions(list(store.iter_events(subject="russia"))) == [1, 3]
    assert positions(list(store.iter_events(subject="china"))) == [1, 4]
    assert positions(list(store.iter_events(subject=["nasa", "ilrs"]))) == [1, 2]
    assert positions(list(store.iter_events(subject="russia", after=1, page_size=1))) == [3]


def test_type_filter(store: EventStore) -> None:
    """types= takes stored type names or classes; an unknown type is a QueryError."""
    claim = ClaimMade(
        id=uuid.uuid4(),
        stream="ilrs",
        valid_time=parse_edtf("2021"),
        citation=Citation(source="s"),
        attribute="rank",
        value=2,
    )
    store.append([status(), claim, status()])
    assert positions(list(store.iter_events(types=[ClaimMade]))) == [2]
    assert positions(list(store.iter_events(types=["StatusChanged"]))) == [1, 3]
    with pytest.raises(QueryError):
        list(store.iter_events(types=["Nope"]))


def test_valid_time_window_keeps_certain_and_possible(store: EventStore) -> None:
    """A valid-time window keeps events that certainly or possibly fall in it, open ends too."""
    store.append(
        [
            status(when="2011-04-15"),
            status(when="2011"),
            status(when="2021-03"),
            status(when="2020/.."),
            status(when="../2010"),
        ]
    )
    assert positions(list(store.iter_events(valid_from="2011-04", valid_to="2011-04"))) == [1, 2]
    assert positions(list(store.iter_events(valid_from="2021-03-09"))) == [3, 4]
    assert positions(list(store.iter_events(valid_to=parse_edtf("2010-12-31")))) == [5]
    window = list(store.iter_events(valid_from=datetime(2011, 5, 1).date(), valid_to="2012"))
    assert positions(window) == [2]


def test_known_at_shows_what_the_ledger_knew(store: EventStore, clock: FakeClock) -> None:
    """known_at= and stream(known_at=) leave out what was recorded later."""
    first = store.append(status())[0]
    store.append(status())
    assert first.recorded_at is not None
    assert positions(list(store.iter_events(known_at=first.recorded_at))) == [1]
    assert positions(store.stream("ilrs", known_at=first.recorded_at)) == [1]
    assert list(store.iter_events(known_at=first.recorded_at - timedelta(microseconds=1))) == []
    with pytest.raises(QueryError):
        list(store.iter_events(known_at=datetime(2021, 3, 10)))


# --- recorded time ---------------------------------------------------------------------------


def test_recorded_times_are_exact_in_utc(db_url: URL) -> None:
    """A clock in any zone is stored as the same instant in UTC, to the microsecond."""
    zone = timezone(timedelta(hours=5, minutes=30))
    moment = datetime(2021, 3, 10, 17, 29, 59, 123457, tzinfo=zone)
    store = EventStore.open(db_url, clock=lambda: moment)
    try:
        (recorded,) = store.append(status())
        (read,) = store.iter_events()
        assert read.recorded_at == moment
        assert read.recorded_at is not None
        assert read.recorded_at.tzinfo is UTC
        assert read.recorded_at.isoformat() == "2021-03-10T11:59:59.123457+00:00"
        assert recorded == read
    finally:
        store.close()


def test_given_recorded_time_is_kept_unless_it_goes_backwards(store: EventStore) -> None:
    """A caller's recorded time is kept when not earlier than the newest, else EventError."""
    early = datetime(2020, 5, 1, 8, 0, 0, 5, tzinfo=UTC)
    (kept,) = store.append(status(recorded_at=early))
    assert kept.recorded_at == early
    (stamped,) = store.append(status())
    assert stamped.recorded_at == datetime(2021, 3, 10, 12, tzinfo=UTC)
    with pytest.raises(EventError, match="earlier than the newest"):
        store.append(status(recorded_at=early))
    assert store.head() == 2


def test_clock_behind_the_newest_time_does_not_go_backwards(store: EventStore) -> None:
    """When a given time is ahead of the clock (within the allowed skew: another machine's
    clock), later stamps take the newest time; further ahead is refused
    (tests/system/test_attack_corpus.py)."""
    ahead = to_utc(datetime.now(UTC) + CLOCK_SKEW / 2)
    store.append(status(recorded_at=ahead))
    (later,) = store.append(status())
    assert later.recorded_at == ahead


# --- schema ----------------------------------------------------------------------------------


def test_reopen_keeps_events_and_unknown_schema_is_refused(db_url: URL) -> None:
    """A reopened ledger keeps its events; one of an unknown schema version is refused."""
    if db_url.database == ":memory:":
        pytest.skip("a private in-memory database does not outlive its store")
    store = EventStore.open(db_url)
    store.append(status())
    store.close()
    store = EventStore.open(db_url)
    assert store.head() == 1
    with store.engine.begin() as conn:
        conn.execute(update(ledger_meta).values(value="999"))
    store.close()
    with pytest.raises(SchemaVersionError, match="999"):
        EventStore.open(db_url)


# --- immutability ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET summary = 'changed'",
        "DELETE FROM events",
        "UPDATE event_subjects SET subject = 'x'",
        "DELETE FROM event_subjects",
    ],
)
def test_raw_sql_cannot_change_recorded_events(store: EventStore, statement: str) -> None:
    """The database itself refuses UPDATE and DELETE on events and the subject index."""
    store.append(status(subjects=("russia",)))
    with pytest.raises(DBAPIError, match=IMMUTABLE_MESSAGE), store.engine.begin() as conn:
        conn.execute(text(statement))
    with pytest.raises(ImmutableError), store.begin() as conn:
        conn.execute(text(statement))
    assert store.verify().ok
    assert store.head() == 1


def test_truncate_is_refused_on_postgresql(store: EventStore) -> None:
    """TRUNCATE, which skips row triggers, has its own trigger on PostgreSQL."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    store.append(status())
    with pytest.raises(ImmutableError), store.begin() as conn:
        conn.execute(text("TRUNCATE events CASCADE"))
    assert store.head() == 1


# --- verification and digests ----------------------------------------------------------------


def _filled(store: EventStore, count: int = 6) -> None:
    store.append([status(stream=f"s{i % 2}", subjects=(f"e{i}", "common")) for i in range(count)])


def test_verify_and_digest_of_a_sound_ledger(store: EventStore) -> None:
    """A sound ledger verifies; its digest round-trips through text and verifies against."""
    assert store.verify().ok
    assert store.digest() == Digest(0, "0" * 64)
    _filled(store)
    result = store.verify()
    digest = store.digest()
    assert result.ok
    assert result.checked == 6
    assert result.head == digest
    assert str(result) == f"ok: 6 events verified, head {digest}"
    assert Digest.parse(str(digest)) == digest
    assert store.verify(against=str(digest)).ok
    store.append(status())
    assert store.verify(against=digest).ok, "a longer ledger still extends the published digest"


def test_digest_text_is_checked() -> None:
    """A digest string that is not ``<position>:<64 hex>`` raises InvalidDigestError."""
    for bad in ("", "12", "x:" + "0" * 64, "3:" + "0" * 63, "3:" + "g" * 64):
        with pytest.raises(InvalidDigestError):
            Digest.parse(bad)


@pytest.mark.backend_sweep
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("payload", '{"status":"declined"}'),
        ("valid_edtf", "2021-03-10"),
        ("valid_earliest", 1),
        ("recorded_at", datetime(2021, 3, 10, 12, 0, 1, tzinfo=UTC)),
        ("hash", "f" * 64),
        ("prev_hash", "e" * 64),
        ("citation_quote", "another quote"),
        ("subjects", "[]"),
        ("id", "11111111-1111-1111-1111-111111111111"),
    ],
)
def test_verify_names_a_changed_value(unlocked: EventStore, column: str, value: Any) -> None:
    """Any changed stored value is found at its position."""
    _filled(unlocked)
    set_columns(unlocked, 4, {column: value})
    result = unlocked.verify()
    assert not result.ok
    assert result.first_bad == 4
    assert result.checked == 3


def test_verify_finds_a_deleted_event(unlocked: EventStore) -> None:
    """A removed event leaves a gap that verify names."""
    _filled(unlocked)
    delete_event(unlocked, 3)
    result = unlocked.verify()
    assert (result.ok, result.first_bad) == (False, 3)
    assert "removed" in result.reason


def test_verify_finds_swapped_events(unlocked: EventStore) -> None:
    """Two events swapped in place are found at the first of them."""
    _filled(unlocked)
    swap_events(unlocked, 2, 5)
    assert unlocked.verify().first_bad == 2


def test_verify_finds_a_tampered_subject_index(unlocked: EventStore) -> None:
    """A removed, added or changed subject index entry is found at its event."""
    _filled(unlocked)
    with unlocked.engine.begin() as conn:
        conn.execute(
            event_subjects.delete().where(
                event_subjects.c.position == 4, event_subjects.c.subject == "e3"
            )
        )
    assert unlocked.verify().first_bad == 4
    with unlocked.engine.begin() as conn:
        conn.execute(event_subjects.insert().values(subject="e3", position=4))
        conn.execute(event_subjects.insert().values(subject="intruder", position=2))
    result = unlocked.verify()
    assert (result.ok, result.first_bad) == (False, 2)


def test_published_digest_no_longer_extended(unlocked: EventStore) -> None:
    """A ledger rewritten after a digest was published verifies alone but not against it."""
    _filled(unlocked)
    published = unlocked.digest()
    delete_event(unlocked, 6)
    delete_event(unlocked, 5)
    unlocked.append([status(), status()])
    assert unlocked.verify().ok
    result = unlocked.verify(against=published)
    assert (result.ok, result.first_bad) == (False, 6)
    assert "rewritten" in result.reason
    shorter = unlocked.verify(against=Digest(9, published.hash))
    assert (shorter.ok, shorter.first_bad) == (False, 7)


def test_verify_result_can_raise(unlocked: EventStore) -> None:
    """A failed verification can be turned into an IntegrityError naming the position."""
    _filled(unlocked)
    set_columns(unlocked, 2, {"summary": "rewritten"})
    result = unlocked.verify()
    with pytest.raises(Exception, match="position 2"):
        result.raise_if_bad()
    assert stored_row(unlocked, 2)["summary"] == "rewritten"


# --- checkpoints ----------------------------------------------------------------------------


def test_checkpoints_save_load_and_go_stale(unlocked: EventStore) -> None:
    """A checkpoint loads back while its position keeps its hash, and not after a rewrite."""
    _filled(unlocked, 3)
    assert unlocked.load_checkpoint("state") is None
    saved = unlocked.save_checkpoint("state", 2, b"\x00snapshot")
    assert unlocked.load_checkpoint("state") == saved
    newer = unlocked.save_checkpoint("state", 3, b"newer")
    assert unlocked.load_checkpoint("state") == newer
    delete_event(unlocked, 3)
    assert unlocked.load_checkpoint("state") is None
    with pytest.raises(QueryError):
        unlocked.save_checkpoint("state", 42, b"")


def test_correction_round_trips(store: EventStore) -> None:
    """A correction keeps its target and changed fields exactly."""
    (target,) = store.append(status())
    fix = Corrected(
        id=uuid.uuid4(),
        stream="ilrs",
        valid_time=parse_edtf("2021-03-08"),
        citation=Citation(source="sheet"),
        target=target.id,
        reason="the sheet gives the 8th",
        changes={"status": "in_talks", "parties": ("russia", "china")},
    )
    (recorded,) = store.append(fix)
    assert store.get(fix.id) == recorded
    assert isinstance(recorded, Corrected)
    assert recorded.changes_map == {"status": "in_talks", "parties": ("russia", "china")}


def test_verify_reports_the_earliest_of_several_problems(unlocked: EventStore) -> None:
    """With the subject index wrong at one event and a value changed at a later one, the
    earlier position is the one named."""
    _filled(unlocked)
    set_columns(unlocked, 5, {"summary": "changed later"})
    with unlocked.engine.begin() as conn:
        conn.execute(
            event_subjects.delete().where(
                event_subjects.c.position == 3, event_subjects.c.subject == "common"
            )
        )
    assert unlocked.verify().first_bad == 3


def test_digest_is_the_same_on_every_backend(db_url: URL) -> None:
    """The same events, recorded at the same times, hash to the same chain on every backend:
    the canonical bytes do not depend on how the database returns values."""
    digests = []
    for url in (db_url, "sqlite:///:memory:"):
        store = EventStore.open(url, clock=FakeClock())
        try:
            store.append(sample_events())
            store.append(
                status(id=uuid.UUID(int=999), recorded_at=datetime(2025, 1, 1, tzinfo=UTC))
            )
            digests.append(store.digest())
            assert store.verify().ok
        finally:
            store.close()
    assert digests[0] == digests[1]
