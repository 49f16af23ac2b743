"""A small corpus written to a temporary folder, to break one field at a time in tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

MINI_TEXT = (
    "وقعت روسيا والصين اتفاقية في شهر ديسمبر. وقالت روسكوزموس إن ناسا ممنوعة بقانون في عام 2011.\n"
)

MINI_META = f"""\
id: mini
text: mini.txt
sha256: {hashlib.sha256(MINI_TEXT.encode("utf-8")).hexdigest()}
title: وقعت روسيا والصين اتفاقية
language: ar
date: "2021-03-09"
confidence: medium
"""

MANIFEST = """\
seeds: ../seeds
files:
  - catalogue.yaml
  - claims.yaml
"""

CATALOGUE = """\
recorded_at: 2021-03-10T00:00:00Z
source: mini
confidence: high
sources:
  - seed: mini.yaml
entities:
  - id: russia
    kind: country
    name_en: Russia
    name_ar: روسيا
    quote: روسيا
  - id: china
    kind: country
    name_en: China
    name_ar: الصين
    quote: الصين
  - id: roscosmos
    kind: agency
    name_en: Roscosmos
    name_ar: روسكوزموس
    quote: روسكوزموس
  - id: nasa
    kind: agency
    name_en: NASA
    name_ar: ناسا
    aliases: [وكالة ناسا]
    quote: ناسا
  - id: pact
    kind: program
    name_en: The pact
    quote: اتفاقية
"""

CLAIMS = """\
recorded_at: 2021-03-10T00:00:00Z
reference: "2021-03-09"
source: mini
confidence: medium
events:
  - id: pact-signed
    type: AgreementSigned
    stream: pact
    phrase: في شهر ديسمبر
    date: "2020-12"
    quote: وقعت روسيا والصين اتفاقية في شهر ديسمبر
    summary: Russia and China sign the pact in December
    fact: pact-signing
    agreement: The pact
    parties: [russia, china]
  - id: law-enacted
    type: RestrictionEnacted
    stream: nasa
    subjects: [china]
    participants: [roscosmos]
    phrase: في عام 2011
    quote: ناسا ممنوعة بقانون في عام 2011
    summary: A law of 2011 bars NASA
    restriction: NASA may not work with China
    restricted: [nasa]
    counterparties: [china]
"""


def write_corpus(root: Path, **files: str) -> Path:
    """Write the mini corpus under ``root`` (``files`` replaces any file by name); its manifest.

    Names: ``mini_txt``, ``mini_yaml``, ``corpus``, ``catalogue``, ``claims``.
    """
    texts = {
        "mini_txt": MINI_TEXT,
        "mini_yaml": MINI_META,
        "corpus": MANIFEST,
        "catalogue": CATALOGUE,
        "claims": CLAIMS,
    } | files
    seeds = root / "seeds"
    fixtures = root / "fixtures"
    seeds.mkdir(parents=True, exist_ok=True)
    fixtures.mkdir(parents=True, exist_ok=True)
    (seeds / "mini.txt").write_bytes(texts["mini_txt"].encode("utf-8"))
    (seeds / "mini.yaml").write_text(texts["mini_yaml"], encoding="utf-8")
    (fixtures / "corpus.yaml").write_text(texts["corpus"], encoding="utf-8")
    (fixtures / "catalogue.yaml").write_text(texts["catalogue"], encoding="utf-8")
    (fixtures / "claims.yaml").write_text(texts["claims"], encoding="utf-8")
    return fixtures / "corpus.yaml"


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of ``text`` containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the text")
