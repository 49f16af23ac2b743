"""The bulk import's filter of ids it wrote: never "no" for an id taken, rarely "maybe"."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.persistence.written import WrittenIds


@given(st.lists(st.text(), max_size=300), st.sampled_from([8, 64, 1 << 12]))
def test_every_id_taken_is_held_however_small_the_filter(keys: list[str], bits: int) -> None:
    """No false "no": each id taken is held, through every filter the growth adds."""
    written = WrittenIds(bits)
    written.update(keys)
    assert all(key in written for key in keys)
    assert len(written) == len(keys)


def test_an_empty_filter_holds_nothing() -> None:
    """Before any id is taken every answer is "no", and a non-text key is never held."""
    written = WrittenIds()
    assert str(uuid.uuid4()) not in written
    assert "" not in written
    written.add("x")
    assert 1 not in written


def test_false_maybes_stay_rare_when_the_filter_is_full() -> None:
    """At its capacity (16 bits an id) a filter answers "maybe" for few ids it never took."""
    written = WrittenIds(1 << 14)
    written.update(str(uuid.uuid4()) for _ in range((1 << 14) // 16))
    others = [str(uuid.uuid4()) for _ in range(20_000)]
    false = sum(key in written for key in others)
    assert false < 0.05 * len(others)  # about 1.4% expected


def test_a_full_filter_grows_rather_than_fill_up() -> None:
    """Past its capacity new ids go to a larger filter, so "maybe" does not become "always"."""
    written = WrittenIds(1 << 10)
    written.update(str(uuid.uuid4()) for _ in range(5_000))  # 78 times the first capacity
    others = [str(uuid.uuid4()) for _ in range(5_000)]
    assert sum(key in written for key in others) < 0.2 * len(others)


@pytest.mark.parametrize("bits", [0, 7, 12, 1000])
def test_a_size_that_is_not_a_power_of_two_is_refused(bits: int) -> None:
    """The filter's size must be a power of two (its positions are masks)."""
    with pytest.raises(ValueError, match="power of two"):
        WrittenIds(bits)
