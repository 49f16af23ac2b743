"""The application layer: the one ``Ledger`` service and the composition root that builds it.

```python
book = open("sqlite:///my.sqlite")       # ledger.application.bootstrap
book.state("ILRS", "2021-03-10")         # ledger.application.ledger.Ledger
```
"""

from __future__ import annotations

from ledger.application.bootstrap import import_default_corpus, open, open_default
from ledger.application.ledger import Ledger
from ledger.application.names import Programs, ProgramSummary

__all__ = [
    "Ledger",
    "ProgramSummary",
    "Programs",
    "import_default_corpus",
    "open",
    "open_default",
]
