"""Durations in fixed buckets: a compact histogram that sums across roll-up rows and gives the 90th percentile
to a known resolution (docs/figures.md, "Work orders")."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

# Bucket widths in seconds: 1 minute below 10 h, 10 minutes below 48 h, 1 hour below 7 days, then one last bucket.
FINE_S, FINE_UNTIL = 60, 10 * 3600
MID_S, MID_UNTIL = 600, 48 * 3600
COARSE_S, COARSE_UNTIL = 3600, 7 * 86400
_FINE_N = FINE_UNTIL // FINE_S
_MID_N = (MID_UNTIL - FINE_UNTIL) // MID_S
_COARSE_N = (COARSE_UNTIL - MID_UNTIL) // COARSE_S
LAST = _FINE_N + _MID_N + _COARSE_N  # the bucket of everything from 7 days on


def bucket(seconds: float) -> int:
    """The bucket of a duration (a negative one, a clock error, falls in the first)."""
    s = max(seconds, 0.0)
    if s < FINE_UNTIL:
        return int(s // FINE_S)
    if s < MID_UNTIL:
        return _FINE_N + int((s - FINE_UNTIL) // MID_S)
    if s < COARSE_UNTIL:
        return _FINE_N + _MID_N + int((s - MID_UNTIL) // COARSE_S)
    return LAST


def bounds(index: int) -> tuple[float, float]:
    """[low, high) of a bucket in seconds (the last one's high is infinite)."""
    if index < _FINE_N:
        return index * FINE_S, (index + 1) * FINE_S
    if index < _FINE_N + _MID_N:
        k = index - _FINE_N
        return FINE_UNTIL + k * MID_S, FINE_UNTIL + (k + 1) * MID_S
    if index < LAST:
        k = index - _FINE_N - _MID_N
        return MID_UNTIL + k * COARSE_S, MID_UNTIL + (k + 1) * COARSE_S
    return COARSE_UNTIL, math.inf


def histogram(seconds: Iterable[float]) -> Counter:
    return Counter(bucket(s) for s in seconds)


def percentile_s(hist: Mapping[int, int], q: float) -> float | None:
    """The q-th quantile (nearest rank: the smallest value with at least q of all at or below it) as its bucket's
    middle, so within half a bucket of the exact value; the last bucket answers its low edge. None when empty."""
    n = sum(hist.values())
    if n <= 0:
        return None
    rank = max(1, math.ceil(q * n - 1e-9))
    seen = 0
    for index in sorted(hist):
        seen += hist[index]
        if seen >= rank:
            low, high = bounds(index)
            return low if math.isinf(high) else (low + high) / 2
    return None  # not reached


def encode(hist: Mapping[int, int]) -> str:
    """A histogram as stored in a roll-up row: "bucket:count" pairs, space-separated."""
    return " ".join(f"{k}:{v}" for k, v in sorted(hist.items()) if v)


def decode(text: str | None, into: Counter | None = None) -> Counter:
    out = Counter() if into is None else into
    if text:
        for pair in text.split():
            k, _, v = pair.partition(":")
            out[int(k)] += int(v)
    return out
