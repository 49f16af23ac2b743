"""The corpus: seeds and fixtures that become sources, entities and claims in a ledger.

```python
corpus = load_corpus("fixtures/corpus.yaml")   # validates everything; FixtureErrors if not
result = import_corpus(ledger, corpus)         # one atomic append; re-import is a no-op
EntityIndex.from_events(ledger.events()).resolve("روسكوزموس")   # -> "roscosmos"
```
"""

from __future__ import annotations

from ledger.corpus.building import corpus_uuid
from ledger.corpus.importer import (
    ImportResult,
    default_corpus_path,
    find_default_corpus,
    import_corpus,
)
from ledger.corpus.loader import Corpus, find_manifest, load_corpus
from ledger.corpus.names import EntityIndex, normalize_name

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
