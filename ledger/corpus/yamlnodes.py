"""YAML that remembers lines: mappings and lists carry the line of every key and item.

Corpus files are edited by hand, so every error must say where it is. PyYAML's composer
knows the line of each node; this loader keeps it on the values it builds. It also refuses
what PyYAML would silently accept: a key given twice (the first would be lost), and dates
read as ``datetime`` (an EDTF string such as ``2021-03-09`` must stay a string), aliases
that expand into huge documents ("billion laughs"), and nesting too deep to read.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import yaml

from ledger.errors import FixtureError


class YamlMap(dict[str, Any]):
    """A YAML mapping whose keys are strings, with the line of the mapping and of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of ``key`` if present, else the line of the mapping itself."""
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A YAML sequence with the line of the sequence and of each item."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """The line of item ``index``, else the line of the sequence itself."""
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Loader(yaml.SafeLoader):
    """SafeLoader with line-keeping containers, no timestamps and no duplicate keys."""

    display_name = "<yaml>"


# Without the timestamp resolver, 2021-03-09 stays the string an EDTF field expects. Booleans
# are YAML 1.2's (true/false only): under YAML 1.1 `value: no`, `on`, `y` became booleans,
# silently turning a Norwegian country code or an answer into False.
_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", _BOOL)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    result = YamlMap()
    result.line = _line(node)
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise FixtureError(
                loader.display_name, _line(key_node), None, f"keys must be text, not {key!r}"
            )
        if key in result:
            raise FixtureError(
                loader.display_name,
                _line(key_node),
                key,
                f"key given twice (first on line {result.key_lines[key]})",
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(key_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = _line(node)
    result.item_lines = [_line(child) for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

MAX_ALIAS_EXPANSION = 100_000
"""How many nodes aliases may add to a document beyond those written out in it."""


def _check_expansion(root: yaml.Node, display_name: str) -> None:
    """Refuse a document whose aliases expand it far beyond its text (a "billion laughs").

    PyYAML shares the object of an aliased node, but every later walk (checks, messages)
    would visit each alias's whole subtree again, exhausting memory.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias is refused later by the constructor
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        sizes[id(node)] = total
        if total - len(sizes) > MAX_ALIAS_EXPANSION:
            raise FixtureError(
                display_name,
                _line(node),
                None,
                f"aliases expand this value to more than {MAX_ALIAS_EXPANSION:,} items: "
                "write the entries out instead",
            )
        return total

    size(root)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)

_FastLoader: type[yaml.SafeLoader] | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(yaml.CSafeLoader):
        """libyaml's scanner and parser (about ten times faster) under the same constructors
        and resolvers; its nodes keep their lines too."""

        display_name = "<yaml>"

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _CLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _CLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _FastLoader = _CLoader  # type: ignore[assignment]


def parse_yaml(text: str, display_name: str) -> Any:
    """Parse one YAML document; errors become a ``FixtureError`` naming ``display_name``.

    Text is read by libyaml when it is installed; anything it refuses, and any text holding a
    character PyYAML's own reader refuses, is read again by the pure-Python loader, so that
    what is accepted and every error message are PyYAML's whichever reads it.
    """
    if _FastLoader is not None and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        with contextlib.suppress(yaml.YAMLError, FixtureError, RecursionError):
            return _parse(_FastLoader, text, display_name)
    return _parse(_Loader, text, display_name)


def _parse(kind: type[yaml.SafeLoader], text: str, display_name: str) -> Any:
    loader: yaml.SafeLoader | None = None
    try:
        loader = kind(text)
        loader.display_name = display_name  # type: ignore[attr-defined]
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, display_name)
        return loader.construct_document(node)
    except yaml.reader.ReaderError as error:
        # Raised before any mark exists: locate the refused character ourselves.
        at = text.count("\n", 0, error.position) + 1
        problem = f"character {chr(error.character)!r} is not allowed"
        raise FixtureError(display_name, at, None, f"not valid YAML: {problem}") from error
    except RecursionError as error:
        raise FixtureError(display_name, None, None, "not valid YAML: nested too deeply") from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else mark.line + 1
        problem = error.problem or error.context or "not valid YAML"
        raise FixtureError(display_name, line, None, f"not valid YAML: {problem}") from error
    except yaml.YAMLError as error:
        raise FixtureError(display_name, None, None, f"not valid YAML: {error}") from error
    finally:
        if loader is not None:
            loader.dispose()


MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest corpus file read: YAML parses at a few MB a second, and a hand-edited corpus
file is far smaller; a larger one is refused before reading rather than parsed for minutes."""


def load_yaml(path: Path, display_name: str) -> Any:
    """Read and parse a YAML file (UTF-8); unreadable files become a ``FixtureError``."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FixtureError(
                display_name,
                None,
                None,
                f"the file holds {size:,} bytes, more than the {MAX_FILE_BYTES:,} a corpus file "
                "may hold: split it into several files listed in the manifest",
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise FixtureError(display_name, None, None, "file not found") from error
    except UnicodeDecodeError:
        # The error's offset is within one chunk of the text stream: decode it whole again.
        raise _not_utf8(path.read_bytes(), display_name) from None
    except OSError as error:
        raise FixtureError(display_name, None, None, f"cannot read: {error}") from error
    return parse_yaml(text, display_name)


def _not_utf8(raw: bytes, display_name: str) -> FixtureError:
    """The error for bytes that are not UTF-8: the line and column of the first bad byte."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        return FixtureError(
            display_name,
            raw.count(b"\n", 0, error.start) + 1,
            None,
            f"not valid UTF-8: byte 0x{raw[error.start]:02x} at column {column} "
            "cannot be decoded (save the file as UTF-8)",
        )
    return FixtureError(display_name, None, None, "not valid UTF-8")
