"""The corpus: seeds and fixtures that become sources, entities and claims in a ledger.

```python
corpus = load_corpus("fixtures/corpus.yaml")   # validates everything; FixtureErrors if not
result = import_corpus(ledger, corpus)         # one atomic append; re-import is a no-op
EntityIndex.from_events(ledger.events()).resolve("روسكوزموس")   # -> "roscosmos"
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.dates.lazy import lazy_attributes

if TYPE_CHECKING:
    from ledger.corpus.building import corpus_uuid
    from ledger.corpus.importer import (
        ImportResult,
        default_corpus_path,
        find_default_corpus,
        import_corpus,
    )
    from ledger.corpus.loader import Corpus, find_manifest, load_corpus
    from ledger.corpus.names import EntityIndex, normalize_name

# Each name is imported when first used: resolving a name (ledger.corpus.names, on every
# question) must not load the YAML reader, the loader and the phrase lexicon with it.
_LAZY = {
    "corpus_uuid": "ledger.corpus.building",
    "ImportResult": "ledger.corpus.importer",
    "default_corpus_path": "ledger.corpus.importer",
    "find_default_corpus": "ledger.corpus.importer",
    "import_corpus": "ledger.corpus.importer",
    "Corpus": "ledger.corpus.loader",
    "find_manifest": "ledger.corpus.loader",
    "load_corpus": "ledger.corpus.loader",
    "EntityIndex": "ledger.corpus.names",
    "normalize_name": "ledger.corpus.names",
}

__getattr__ = lazy_attributes(__name__, _LAZY, globals())

__all__ = [
    "Corpus",
    "EntityIndex",
    "ImportResult",
    "corpus_uuid",
    "default_corpus_path",
    "find_default_corpus",
    "find_manifest",
    "import_corpus",
    "load_corpus",
    "normalize_name",
]
