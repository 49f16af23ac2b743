"""Events rebuilt slot by slot from their rows are the events their classes would build."""

from __future__ import annotations

import json
import pickle
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given, settings
from strategies import stored_events

from ledger.dates import parse_edtf
from ledger.domain.events import EVENT_TYPES, Citation, EntityNamed, Event, MemberJoined
from ledger.errors import StoreError
from ledger.persistence import canonical as k
from ledger.persistence.canonical import GENESIS_BYTES
from ledger.persistence.mapper import DEFAULT_MAPPER, Mapper
from ledger.persistence.rebuild import slots_of

STAMP = "2021-03-10T12:00:00.000000Z"
RECORDED = datetime(2021, 3, 10, 12, tzinfo=UTC)


def _row(event: Event, mapper: Mapper = DEFAULT_MAPPER) -> list[Any]:
    encoded = mapper.to_row(event)
    mapper.seal(encoded, 4, 2, STAMP, GENESIS_BYTES)
    return encoded.row


def _envelope() -> dict[str, Any]:
    return {
        "id": uuid.UUID(int=9),
        "stream": "ilrs",
        "valid_time": parse_edtf("2021-03"),
        "citation": Citation(source="s", quote="q", also_cited=("t",)),
    }


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(event=stored_events())
def test_rebuilt_event_equals_the_one_its_class_builds(event: Event) -> None:
    """Every field, its hash, repr and pickle are those of the event built by its __init__."""
    decoded = DEFAULT_MAPPER.to_event(_row(event))
    expected = attrs.evolve(event, sequence=2, position=4, recorded_at=RECORDED)
    assert type(decoded) is type(expected)
    assert attrs.asdict(decoded, recurse=False) == attrs.asdict(expected, recurse=False)
    assert decoded == expected
    assert hash(decoded) == hash(expected)
    assert repr(decoded) == repr(expected)
    assert pickle.loads(pickle.dumps(decoded)) == expected
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        decoded.stream = "other"  # type: ignore[misc]


def test_every_registered_type_is_rebuilt_slot_by_slot() -> None:
    """No registered class needs its __init__ to be rebuilt (none validates or post-inits)."""
    for cls in EVENT_TYPES.values():
        payload = tuple(f.name for f in attrs.fields(cls) if f.name not in attrs.fields_dict(Event))
        assert slots_of(cls, payload) is not None, cls.__name__


def test_converters_run_on_rebuilt_payloads() -> None:
    """A payload field with a converter holds the converted value (names given as a mapping)."""
    row = _row(EntityNamed(**_envelope(), names=(("en", "x"),)))
    row[k.PAYLOAD] = json.dumps({"names": {"en": ["Lunar station"]}, "aliases": {"ar": "م"}})
    decoded = Mapper().to_event(row)
    assert isinstance(decoded, EntityNamed)
    assert decoded.names == (("en", "Lunar station"),)
    assert decoded.aliases == (("ar", "م"),)


def test_a_payload_without_a_defaulted_field_takes_the_default() -> None:
    """An older row that leaves a defaulted field out is built through __init__: the default."""
    row = _row(MemberJoined(**_envelope(), member="cnsa", role="partner"))
    row[k.PAYLOAD] = json.dumps({"member": "cnsa"})
    decoded = DEFAULT_MAPPER.to_event(row)
    assert isinstance(decoded, MemberJoined)
    assert (decoded.member, decoded.role) == ("cnsa", "member")


@attrs.frozen(kw_only=True)
class CheckedJoin(Event):
    """A class whose __init__ refuses an empty member: it cannot be rebuilt slot by slot."""

    type_name: ClassVar[str] = "MemberJoined"
    member: str = attrs.field(validator=attrs.validators.min_len(1))
    role: str = "member"


@attrs.frozen(kw_only=True)
class PostInitJoin(Event):
    """A class that checks itself after __init__."""

    type_name: ClassVar[str] = "MemberJoined"
    member: str
    role: str = "member"

    def __attrs_post_init__(self) -> None:
        if self.role == "forbidden":
            raise ValueError("a forbidden role")


@pytest.mark.parametrize("cls", [CheckedJoin, PostInitJoin])
def test_classes_that_check_themselves_are_built_by_their_init(cls: type[Event]) -> None:
    """A validator or __attrs_post_init__ still runs on a stored row, and a refusal is a
    StoreError naming the row."""
    assert slots_of(cls, ("member", "role")) is None
    mapper = Mapper({"MemberJoined": cls})
    good = _row(MemberJoined(**_envelope(), member="cnsa"))
    assert mapper.to_event(good) == cls(  # type: ignore[call-arg]
        **_envelope(), member="cnsa", sequence=2, position=4, recorded_at=RECORDED
    )
    bad = list(good)
    bad[k.PAYLOAD] = json.dumps({"member": "", "role": "forbidden"})
    with pytest.raises(StoreError, match="position 4"):
        mapper.to_event(bad)


def test_citations_are_shared_only_when_equal() -> None:
    """Rows quoting the same passage share one citation; another quote gets its own."""
    mapper = Mapper()
    first = _row(MemberJoined(**_envelope(), member="a"))
    second = _row(MemberJoined(**{**_envelope(), "id": uuid.UUID(int=10)}, member="b"))
    other = list(second)
    other[k.CITATION_QUOTE] = "another"
    a, b, c = (mapper.to_event(row) for row in (first, second, other))
    assert a.citation is b.citation
    assert c.citation == Citation(source="s", quote="another", also_cited=("t",))
