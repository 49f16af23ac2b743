"""Historical dates: EDTF values with honest bounds, three-valued "as of", relative phrases.

```python
d = parse_edtf("2020-12")
d.edtf, d.earliest, d.latest, d.precision      # "2020-12", 737760, 737790, "month"
d.happened_by(day_ordinal(2021, 1, 1))         # Truth.YES
resolve_phrase("في شهر ديسمبر", "2021-03-09").date   # HistoricalDate('2020-12')
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.dates.calendar import day_ordinal, ordinal_to_iso, ordinal_to_ymd
from ledger.dates.compare import (
    Truth,
    began_over,
    happened_over,
    latest_sort_key,
    sort_key,
    truth_by,
    truth_over,
)
from ledger.dates.describe import describe
from ledger.dates.edtf import parse_edtf
from ledger.dates.lazy import lazy_attributes
from ledger.dates.model import End, HistoricalDate, Kind, Precision, Qualifier

if TYPE_CHECKING:
    from ledger.dates.phrases import ResolvedDate, resolve_phrase

# Phrases compile their patterns at import: loaded when first asked for, not by every date.
_LAZY = {
    "ResolvedDate": "ledger.dates.phrases",
    "resolve_phrase": "ledger.dates.phrases",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = [
    "End",
    "HistoricalDate",
    "Kind",
    "Precision",
    "Qualifier",
    "ResolvedDate",
    "Truth",
    "began_over",
    "day_ordinal",
    "describe",
    "happened_over",
    "latest_sort_key",
    "ordinal_to_iso",
    "ordinal_to_ymd",
    "parse_edtf",
    "resolve_phrase",
    "sort_key",
    "truth_by",
    "truth_over",
]
