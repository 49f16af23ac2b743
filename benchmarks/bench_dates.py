"""Dates parsed per second: the ledger's EDTF parser against python-edtf, side by side.

Run: ``python benchmarks/bench_dates.py`` (``--n 1000`` for a quick CI run). It builds a
realistic mix of EDTF strings (mostly days, months and years of the last two centuries, some
qualified, intervals with open/unknown ends, X digits, seasons and sets), then times:

- ledger, no cache: every parse done from scratch (``parse_edtf_uncached``);
- ledger, cold cache: ``parse_edtf`` after clearing its cache (repeats in the mix hit it);
- ledger, warm cache: ``parse_edtf`` again over the same mix;
- python-edtf: ``edtf.parse_edtf`` on the first ``--edtf-n`` strings (it is slow).

Figures are strings per second (best of ``--repeat`` runs) and ratios to python-edtf.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ledger.dates.calendar import days_in_month
from ledger.dates.edtf import clear_cache, parse_edtf, parse_edtf_uncached


def _day(rng: random.Random, low: int = 1800, high: int = 2030) -> tuple[int, int, int]:
    year = rng.randint(low, high)
    month = rng.randint(1, 12)
    return year, month, rng.randint(1, days_in_month(year, month))


def _single(rng: random.Random) -> str:
    year, month, day = _day(rng)
    shape = rng.random()
    if shape < 0.45:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if shape < 0.70:
        return f"{year:04d}-{month:02d}"
    if shape < 0.90:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + rng.choice("?~%")


def realistic_mix(n: int, seed: int = 2021) -> list[str]:
    """``n`` EDTF strings in the proportions a historian's ledger tends to have."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.70:
            out.append(_single(rng))
        elif kind < 0.80:
            year, month, day = _day(rng)
            out.append(f"{year:04d}-{month:02d}-{day:02d}" + rng.choice("?~%"))
        elif kind < 0.90:
            first, second = sorted(
                (_single(rng).rstrip("?~%") for _ in range(2)),
                key=lambda text: parse_edtf(text).earliest or 0,
            )
            ends = rng.random()
            if ends < 0.1:
                first = ""
            elif ends < 0.2:
                second = ".."
            out.append(f"{first}/{second}")
        elif kind < 0.94:
            year = rng.randint(180, 202)
            out.append(rng.choice([f"{year}X", f"{year}X-XX", f"{year // 10}XX"]))
        elif kind < 0.97:
            out.append(f"{rng.randint(1800, 2030)}-{rng.randint(21, 24)}")
        elif kind < 0.99:
            years = sorted(rng.sample(range(1600, 2000), 3))
            out.append(f"[{years[0]}, {years[1]}..{years[2]}]")
        else:
            out.append(f"-{rng.randint(1, 3000):04d}")
    return out


def rate(parse: Callable[[str], object], texts: Sequence[str], repeat: int) -> float:
    """Best strings-per-second over ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            parse(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures and ratios; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="strings in the mix")
    parser.add_argument("--edtf-n", type=int, default=3000, help="strings for python-edtf")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best kept)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--small", action="store_true", help="a tiny run that only checks the script works (CI)"
    )
    args = parser.parse_args(argv)
    if args.small:
        args.n, args.edtf_n, args.repeat = 1000, 100, 1

    texts = realistic_mix(args.n, args.seed)
    unique = len(set(texts))
    print(f"mix: {len(texts)} strings, {unique} distinct ({unique / len(texts):.0%})")

    uncached = rate(parse_edtf_uncached, texts, args.repeat)

    cold_best = float("inf")
    for _ in range(args.repeat):
        clear_cache()
        start = time.perf_counter()
        for text in texts:
            parse_edtf(text)
        cold_best = min(cold_best, time.perf_counter() - start)
    cold_rate = len(texts) / cold_best
    # Warm: the same pass again; a mix with more distinct strings than the cache holds
    # (65,536) keeps missing, which this figure shows rather than hides.
    warm = rate(parse_edtf, texts, args.repeat)

    edtf: ModuleType | None
    try:
        import edtf
    except ImportError:
        edtf = None
    rows = [
        ("ledger, no cache", uncached),
        ("ledger, cold cache", cold_rate),
        ("ledger, warm cache", warm),
    ]
    reference: float | None = None
    if edtf is not None:
        sample = texts[: args.edtf_n]
        failures = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")

            def other(text: str) -> object:
                nonlocal failures
                try:
                    return edtf.parse_edtf(text)
                except Exception:  # its parse errors; counted, not hidden
                    failures += 1
                    return None

            reference = rate(other, sample, 1)
        rows.append((f"python-edtf ({len(sample)} strings, {failures} refused)", reference))
    width = max(len(name) for name, _ in rows)
    for name, per_second in rows:
        ratio = f"{per_second / reference:8.0f}x python-edtf" if reference else ""
        print(f"{name:<{width}}  {per_second:12,.0f} /s  {ratio}")
    if reference is None:
        print("python-edtf is not installed (pip install '.[bench]'): no ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
