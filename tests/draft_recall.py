"""Recall and precision of ``ledger draft`` on the article against fixtures/article.yaml.

Run ``python tests/draft_recall.py`` from the repository root to print the figures the README
quotes; ``tests/unit/test_corpus_draft.py`` checks them.

- phrase recall: of the article's claims dated by a phrase of the text, those whose phrase the
  draft finds in the claim's quote (and, apart, those it dates the same);
- statement recall: of all the article's claims, those whose quote overlaps a sentence of the
  draft (dated, or undated but naming a ledger entity);
- precision: of the draft's entries, those whose sentence overlaps a claim's quote.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from ledger.corpus import load_corpus
from ledger.corpus.draft import Draft, draft
from ledger.dates.lexicon import normalize
from ledger.domain.events import CATALOGUE_TYPES, Event

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "seeds" / "000_6c56f83bcb0769f5.txt"


@attrs.frozen
class Figures:
    """The measured figures (counts, so that the ratios can be shown exactly)."""

    phrases: int
    phrases_found: int
    phrases_dated_alike: int
    claims: int
    claims_covered: int
    entries: int
    entries_dated: int
    entries_matching: int
    dated_matching: int

    def lines(self) -> list[str]:
        """The figures in words."""
        return [
            f"phrase recall: {self.phrases_found}/{self.phrases} claims dated by a phrase "
            f"({self.phrases_dated_alike} with the same EDTF date)",
            f"statement recall: {self.claims_covered}/{self.claims} claims",
            f"precision: {self.entries_matching}/{self.entries} draft entries "
            f"({self.dated_matching}/{self.entries_dated} of the dated ones)",
        ]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def article_claims() -> list[Event]:
    """The claims of fixtures/article.yaml (quotes located in the article's text)."""
    corpus = load_corpus(REPO / "fixtures")
    return [
        e
        for e in corpus.events
        if e.type_name not in CATALOGUE_TYPES
        and e.citation.source == "article-ar"
        and not e.citation.quote_in
        and e.citation.start is not None
    ]


def measure(found: Draft, claims: list[Event]) -> Figures:
    """Compare a draft of the article with its claims (see the module docstring)."""
    spans = [(c, (c.citation.start or 0, c.citation.end or 0)) for c in claims]
    dated = [(f.sentence_start, f.sentence_start + len(f.sentence)) for f in found.findings]
    undated = [(s.sentence_start, s.sentence_start + len(s.sentence)) for s in found.undated]
    entries = list(dict.fromkeys(dated)) + undated
    phrased = [(c, span) for c, span in spans if c.phrase]
    found_phrase = alike = 0
    for claim, span in phrased:
        hits = [
            f
            for f in found.findings
            if normalize(f.phrase) == normalize(claim.phrase) and span[0] <= f.start < span[1]
        ]
        found_phrase += bool(hits)
        alike += any(f.date == claim.valid_time for f in hits)
    covered = sum(any(_overlaps(span, e) for e in entries) for _, span in spans)
    matching = [e for e in entries if any(_overlaps(span, e) for _, span in spans)]
    unique_dated = list(dict.fromkeys(dated))
    return Figures(
        phrases=len(phrased),
        phrases_found=found_phrase,
        phrases_dated_alike=alike,
        claims=len(spans),
        claims_covered=covered,
        entries=len(entries),
        entries_dated=len(unique_dated),
        entries_matching=len(matching),
        dated_matching=sum(e in matching for e in unique_dated),
    )


def article_figures() -> Figures:
    """The figures of the draft of the article, with the article's entities as the ledger's."""
    corpus = load_corpus(REPO / "fixtures")
    text = ARTICLE.read_text(encoding="utf-8")
    return measure(draft(text, "2021-03-09", corpus.index, lang="ar"), article_claims())


if __name__ == "__main__":
    for line in article_figures().lines():
        print(line)
