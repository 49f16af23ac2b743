"""The ledger's JSON (msgspec) is byte for byte the standard library's canonical JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.persistence import canonical as k
from ledger.persistence.canonical import content_of_row
from ledger.persistence.jsontext import dumps, encoder
from ledger.persistence.schema import EVENT_COLUMNS

# Every code point, lone surrogates included (st.text() leaves them out by default).
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=24)
CONTROL_TEXT = st.text(
    st.sampled_from(
        [chr(c) for c in range(0x20)]
        + ["\x7f", "\x85", "\xa0", "\u2028", "\u2029", '"', "\\", "/", "\ufeff", "\U0001f600"]
        + ["\ud800", "\udbff", "\udc00", "\udfff", "a", "ق"]
    ),
    max_size=24,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    ANY_TEXT,
    CONTROL_TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(ANY_TEXT, CONTROL_TEXT), inner, max_size=4),
    ),
    max_leaves=12,
)


def _reference(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode()


def _outcome(encode: Any, value: Any) -> bytes | type[BaseException]:
    try:
        result: bytes = encode(value)
    except UnicodeEncodeError:
        return UnicodeEncodeError
    return result


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(value=VALUES)
def test_msgspec_writes_the_standard_librarys_canonical_bytes(value: Any) -> None:
    """Any text (control characters, separators, non-BMP, lone surrogates), integer, boolean,
    null, list or object: the same bytes, or the same refusal of text that is not Unicode."""
    assert _outcome(encoder.encode, value) == _outcome(_reference, value)
    if isinstance(value, dict):
        assert _outcome(lambda v: dumps(v).encode(), value) == _outcome(_reference, value)


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\udc00\ud800"])
def test_lone_surrogates_are_refused_not_written(text: str) -> None:
    """A lone surrogate cannot reach the chain's bytes: encoding refuses it, as UTF-8 does."""
    with pytest.raises(UnicodeEncodeError):
        encoder.encode({"quote": text})
    with pytest.raises(UnicodeEncodeError):
        _reference({"quote": text})


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(
        CONTROL_TEXT.filter(lambda t: not any(0xD800 <= ord(c) < 0xE000 for c in t)),
        min_size=20,
        max_size=20,
    )
)
def test_content_bytes_of_any_row_are_json_dumps(texts: list[str]) -> None:
    """The content bytes the duplicate check compares are the stdlib's for any texts."""
    row: list[Any] = [None] * len(EVENT_COLUMNS)
    for at in range(len(EVENT_COLUMNS)):
        row[at] = texts[at % len(texts)]
    row[k.POSITION] = row[k.SEQUENCE] = 3
    skipped = {"position", "sequence", "recorded_at", "prev_hash", "hash"}
    expected = {n: v for n, v in zip(EVENT_COLUMNS, row, strict=True) if n not in skipped}
    assert content_of_row(row) == _reference(expected)
