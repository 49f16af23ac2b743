"""Line-keeping YAML: lines of keys and items, no silent duplicate keys, dates kept as text."""

from __future__ import annotations

import pytest

from ledger.corpus.yamlnodes import YamlList, YamlMap, parse_yaml
from ledger.errors import FixtureError

TEXT = """\
# a comment
events:
  - id: one
    date: 2021-03-09
  - id: two
    quote: >-
      وقعت روسيا
      والصين
"""


def test_mappings_and_lists_keep_their_lines() -> None:
    """Every key and list item knows the line it is written on."""
    data = parse_yaml(TEXT, "f.yaml")
    assert isinstance(data, YamlMap)
    events = data["events"]
    assert isinstance(events, YamlList)
    assert data.line_of("events") == 2
    assert [events.line_of(i) for i in range(2)] == [3, 5]
    assert events[1].line_of("quote") == 6


def test_dates_stay_text() -> None:
    """2021-03-09 is read as the string an EDTF field expects, not a date object."""
    data = parse_yaml(TEXT, "f.yaml")
    assert data["events"][0]["date"] == "2021-03-09"


def test_folded_arabic_quotes_join_lines_with_a_space() -> None:
    """A folded block scalar gives one line of text, as quotes are compared."""
    data = parse_yaml(TEXT, "f.yaml")
    assert data["events"][1]["quote"] == "وقعت روسيا والصين"


def test_a_key_given_twice_is_an_error() -> None:
    """YAML would keep the last of two equal keys; here it is an error at the second."""
    with pytest.raises(FixtureError) as caught:
        parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert (caught.value.file, caught.value.line, caught.value.field) == ("f.yaml", 3, "a")
    assert "first on line 1" in caught.value.message


def test_syntax_errors_name_their_line() -> None:
    """A YAML syntax error becomes a FixtureError with the line of the problem."""
    with pytest.raises(FixtureError) as caught:
        parse_yaml("a: [1, 2\nb: 3\n", "f.yaml")
    assert caught.value.file == "f.yaml"
    assert caught.value.line is not None
    assert "not valid YAML" in caught.value.message


def test_keys_must_be_text() -> None:
    """A number as a key is refused (fields are named)."""
    with pytest.raises(FixtureError) as caught:
        parse_yaml("1: a\n", "f.yaml")
    assert caught.value.line == 1
