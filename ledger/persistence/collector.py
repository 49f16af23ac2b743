"""The cyclic garbage collector held back while the store makes many acyclic objects.

A bulk import or read builds rows, events and their parts by the hundred thousand, none in
a cycle: the collector would scan them again and again and free nothing.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while building many acyclic objects (it costs ~40% there)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


BULK_READ_THRESHOLD = 20_000
"""The collector's young-generation threshold while a bulk read runs (Python's is 700)."""

_easing = threading.Lock()
_eased: list[tuple[int, int, int]] = []


@contextmanager
def gc_eased() -> Iterator[None]:
    """Collect the young generation less often while a bulk read decodes page after page.

    Each page's rows and every event decoded from it are young objects, and a replay's
    caches (dates, payloads, citations) grow with them: at Python's threshold of 700
    allocations the collector ran hundreds of times per 100,000 events and took a fifth
    of the replay, reclaiming nothing (the events are acyclic). Unlike pausing it, a raised
    threshold still collects what the reader's own code leaves in cycles. Nested and
    concurrent reads share one raise; the last to end restores the threshold.
    """
    with _easing:
        if not _eased:
            saved = gc.get_threshold()
            gc.set_threshold(max(saved[0], BULK_READ_THRESHOLD), *saved[1:])
            _eased.append(saved)
        else:
            _eased.append(_eased[-1])
    try:
        yield
    finally:
        with _easing:
            saved = _eased.pop()
            if not _eased:
                gc.set_threshold(*saved)


__all__ = ["BULK_READ_THRESHOLD", "gc_eased", "gc_paused"]
