"""Line-keeping YAML: lines of keys and items, no silent duplicate keys, dates kept as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.corpus import yamlnodes
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


def _lines(value: object) -> object:
    """Every value of a parsed document with the lines it keeps, for comparing two parses."""
    if isinstance(value, YamlMap):
        return ("map", value.line, value.key_lines, {k: _lines(v) for k, v in value.items()})
    if isinstance(value, YamlList):
        return ("list", value.line, value.item_lines, [_lines(v) for v in value])
    return value


@pytest.mark.sweep
@pytest.mark.skipif(yamlnodes._FastLoader is None, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("path", sorted((Path(__file__).parents[2] / "fixtures").glob("*.yaml")))
def test_libyaml_reads_every_corpus_file_as_the_python_loader_does(path: Path) -> None:
    """The fast loader gives each corpus file in fixtures/ the same values and the same lines."""
    text = path.read_text(encoding="utf-8")
    loader = yamlnodes._FastLoader
    assert loader is not None
    fast = yamlnodes._parse(loader, text, path.name)
    assert _lines(fast) == _lines(yamlnodes._parse(yamlnodes._Loader, text, path.name))
    assert _lines(parse_yaml(text, path.name)) == _lines(fast)


@pytest.mark.parametrize(
    "text",
    ["a: 1\na: 2\n", "a: [1,\n", "a: \x07\n", "- &x [*x]\n", "a: !!python/object:os.system x\n"],
)
def test_errors_are_the_python_loaders_whichever_reads_first(text: str) -> None:
    """Text libyaml refuses (or would read differently) fails with PyYAML's own message."""
    with pytest.raises(FixtureError) as direct:
        yamlnodes._parse(yamlnodes._Loader, text, "f.yaml")
    with pytest.raises(FixtureError) as through:
        parse_yaml(text, "f.yaml")
    assert str(through.value) == str(direct.value)
