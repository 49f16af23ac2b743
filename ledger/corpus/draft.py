"""A draft corpus from a new text: its dated statements, for a historian to finish.

``draft(text, source_date, index)`` splits the text into sentences and finds in each every
phrase the date resolver reads (explicit dates, and relative phrases in Arabic and English:
"in December", "last year", «منذ شهور», «حتى الآن», «في عام ٢٠١١») by trying the word
sequences of the sentence, longest first. Each finding keeps its sentence as the exact quote,
the phrase as written, the EDTF date it resolves to against the source date, and the ledger
entities the sentence names (by any name or alias, after the same folding as lookups).
``render_yaml`` writes it as a corpus file of ``Stated`` claims whose types, streams and
payloads the historian then chooses; nothing is guessed beyond what the text says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import attrs

from ledger.corpus.names import EntityIndex, normalize_name
from ledger.dates import HistoricalDate, parse_edtf
from ledger.dates.phrases import resolve_phrase
from ledger.errors import InvalidDateError

MAX_PHRASE_WORDS = 7
"""The longest word sequence tried as a date phrase («في شهر كانون الأول من عام 2020»)."""

_EDGE = " \t\n.,;:!?\"'«»“”‘’()[]،؛؟-–—"
_SENTENCE_END = re.compile(r"[.!?؟]+(?=\s|$|[^\W\d_])|\n+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_YEARISH = re.compile(r"[0-9٠-٩]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_PROCLITICS = ("و", "ف", "ب", "ل", "ك")


@attrs.frozen
class Finding:
    """One dated phrase and the sentence it dates."""

    phrase: str
    start: int
    """Offset of the phrase in the text."""
    date: HistoricalDate
    rule: str
    sentence: str
    sentence_start: int
    entities: tuple[str, ...]
    """Ledger entities the sentence names, in the order of their first name in it."""


@attrs.frozen
class Statement:
    """A sentence naming ledger entities but no date: dated on or before the source date."""

    sentence: str
    sentence_start: int
    entities: tuple[str, ...]


@attrs.frozen
class Draft:
    """What ``draft`` found in a text."""

    source_date: HistoricalDate
    lang: str
    findings: tuple[Finding, ...]
    undated: tuple[Statement, ...] = ()


def detect_lang(text: str) -> str:
    """``ar`` when most letters are Arabic, else ``en``."""
    letters = [c for c in text if c.isalpha()]
    arabic = sum(1 for c in letters if _ARABIC.match(c))
    return "ar" if letters and arabic * 2 > len(letters) else "en"


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, without its surrounding space and final stop."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield from _trimmed(text, start, match.end())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    if end > start:
        yield start, end


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text[start:end]``, punctuation at its edges left out."""
    found = []
    for match in re.finditer(r"\S+", text[start:end]):
        for span in _trimmed(text, start + match.start(), start + match.end()):
            found.append(span)
    return found


def _acceptable(phrase: str, rule: str, words: int, lang: str) -> bool:
    """Whether a resolved word sequence is a date phrase and not a word that looks like one."""
    if rule == "edtf":
        return bool(_YEARISH.fullmatch(phrase))
    if words == 1 and rule in ("month-name", "weekday"):
        # "May", "march", «مارس» (also a verb) alone are dates only when written as names.
        return not _ARABIC.search(phrase) and phrase[:1].isupper()
    return not (lang == "en" and _ARABIC.search(phrase))


def phrases_in(
    text: str, start: int, end: int, reference: HistoricalDate, lang: str
) -> Iterator[tuple[int, int, HistoricalDate, str]]:
    """(start, end, date, rule) of each date phrase of ``text[start:end]``, left to right,
    the longest at each place."""
    words = _words(text, start, end)
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            first, last = words[i][0], words[i + n - 1][1]
            phrase = text[first:last]
            try:
                resolved = resolve_phrase(phrase, reference)
            except InvalidDateError:  # UnknownPhraseError too
                continue
            if _acceptable(phrase, resolved.rule, n, lang):
                yield first, last, resolved.date, resolved.rule
                i += n
                break
        else:
            i += 1


def _forms(word: str) -> set[str]:
    forms = {word}
    for clitic in _PROCLITICS:
        if word.startswith(clitic) and len(word) > len(clitic) + 2:
            forms.add(word[len(clitic) :])
    for form in list(forms):
        if form.startswith("ال") and len(form) > 4:
            forms.add(form[2:])
    return forms


def entities_in(sentence: str, index: EntityIndex) -> tuple[str, ...]:
    """The entities ``sentence`` names by any of their names (Arabic words with a leading
    «و», «ب», «ل»... or «ال» still match), in order of first mention."""
    words = [_forms(w) for w in normalize_name(sentence).split()]
    found: dict[str, int] = {}
    for entity in index:
        for name in index.names_of(entity):
            form = normalize_name(name).split()
            if not form or len("".join(form)) < 3:
                continue  # "US", "EU": too short to tell from a word
            if len(form) == 1 and len(form[0]) <= 4 and form[0].isascii() and name not in sentence:
                continue  # "NASA" must be written as such, not "nasa" inside English prose
            at = _position(words, form)
            if at is not None and at < found.get(entity, len(words) + 1):
                found[entity] = at
    return tuple(sorted(found, key=lambda e: (found[e], e)))


def _position(words: list[set[str]], form: list[str]) -> int | None:
    for i in range(len(words) - len(form) + 1):
        if all(part in words[i + k] or _weak(part) in words[i + k] for k, part in enumerate(form)):
            return i
    return None


def _weak(part: str) -> str:
    return part[2:] if part.startswith("ال") and len(part) > 4 else part


def draft(
    text: str,
    source_date: str | HistoricalDate,
    index: EntityIndex | None = None,
    lang: str | None = None,
) -> Draft:
    """Every dated phrase of ``text`` with its sentence, date and entities (see the module).

    A sentence that is only a date phrase («في عام 2011.» after a stray full stop) belongs
    to the sentence before it, which it dates.
    """
    reference = parse_edtf(source_date) if isinstance(source_date, str) else source_date
    index = index if index is not None else EntityIndex()
    lang = lang or detect_lang(text)
    spans = list(sentences(text))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        found = list(phrases_in(text, start, end, reference, lang))
        only_phrase = found and not text[start:end].replace(text[found[0][0] : found[0][1]], "")
        if merged and only_phrase:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    findings: list[Finding] = []
    undated: list[Statement] = []
    for start, end in merged:
        sentence = text[start:end]
        named = entities_in(sentence, index)
        dated = list(phrases_in(text, start, end, reference, lang))
        for first, last, date, rule in dated:
            findings.append(Finding(text[first:last], first, date, rule, sentence, start, named))
        if not dated and named:
            undated.append(Statement(sentence, start, named))
    return Draft(reference, lang, tuple(findings), tuple(undated))


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def render_yaml(
    found: Draft,
    *,
    source: str = "TODO-source-id",
    text_name: str = "the text",
    recorded_at: datetime | None = None,
    undated: bool = True,
) -> str:
    """The draft as a corpus file (``events:`` of ``Stated`` claims with TODO fields)."""
    when = (recorded_at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        f"# Draft corpus of {text_name} (source date {found.source_date.edtf}, {found.lang}):",
        "# every dated or datable phrase with its sentence as the quote, the date it resolves",
        "# to, and the ledger's entities the sentence names. To finish: choose each claim's",
        "# type (ledger types), stream and payload, trim the quote to the words that say it,",
        "# and register the text as a source first (ledger source add).",
        f"recorded_at: {when}",
        f"reference: {_q(found.source_date.edtf)}",
        f"source: {source}",
        "confidence: medium",
        "events:",
    ]
    for number, item in enumerate(found.findings, start=1):
        lines += _claim(f"draft-{number:03d}", item.sentence, item.entities)
        lines.insert(-3, f"    phrase: {_q(item.phrase)}")
        lines.insert(-3, f"    date: {_q(item.date.edtf)}  # rule: {item.rule}")
    if undated:
        for number, statement in enumerate(found.undated, start=len(found.findings) + 1):
            lines += _claim(f"draft-{number:03d}", statement.sentence, statement.entities)
            lines.insert(-3, f"    date: {_q(f'[..{found.source_date.edtf}]')}")
            lines.insert(
                -3, "    date_reason: no date in the sentence; on or before the source's date"
            )
    return "\n".join(lines) + "\n"


def _claim(slug: str, sentence: str, entities: Iterable[str]) -> list[str]:
    named = list(entities)
    stream = named[0] if named else "TODO-entity"
    lines = [f"  - id: {slug}", "    type: Stated", f"    stream: {stream}"]
    if named[1:]:
        lines.append(f"    participants: [{', '.join(named[1:])}]")
    return [
        *lines,
        f"    quote: {_q(sentence)}",
        "    predicate: TODO",
        "    summary: TODO",
    ]
