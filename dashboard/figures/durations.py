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


SIZE = LAST + 1  # buckets in all


def percentile_of_array(counts, q: float) -> float | None:
    """percentile_s for a dense histogram (a numpy array of SIZE counts)."""
    import numpy as np

    n = int(counts.sum())
    if n <= 0:
        return None
    rank = max(1, math.ceil(q * n - 1e-9))
    index = int(np.searchsorted(np.cumsum(counts), rank))
    low, high = bounds(index)
    return low if math.isinf(high) else (low + high) / 2


def decode_many(texts, rows, n_rows: int):
    """Stored histograms (encode's text) of many roll-up rows summed per row index into an (n_rows, SIZE) array:
    one parse in C for all of them (a year is ~100,000 rows)."""
    import numpy as np

    out = np.zeros(n_rows * SIZE, dtype=np.int64)
    texts = list(texts)
    pairs = [t.count(":") for t in texts]
    if not any(pairs):
        return out.reshape(n_rows, SIZE)
    flat = np.fromstring(" ".join(texts).replace(":", " "), dtype=np.int64, sep=" ")
    buckets, counts = flat[0::2], flat[1::2]
    owner = np.repeat(np.asarray(list(rows), dtype=np.int64), pairs)
    out += np.bincount(owner * SIZE + buckets, weights=counts, minlength=n_rows * SIZE).astype(np.int64)
    return out.reshape(n_rows, SIZE)


def add_text(into, text: str | None) -> None:
    """Add stored histograms (encode's text, several joined by spaces) into a dense array, parsed in C."""
    import numpy as np

    if not text or ":" not in text:
        return
    flat = np.fromstring(text.replace(":", " "), dtype=np.int64, sep=" ")
    into += np.bincount(flat[0::2], weights=flat[1::2], minlength=SIZE).astype(np.int64)


def percentiles_of_rows(counts, q: float) -> list[float | None]:
    """percentile_of_array for each row of an (n, SIZE) array at once (the choropleth's hundreds of grids)."""
    import numpy as np

    n = counts.sum(axis=1)
    rank = np.maximum(1, np.ceil(q * n - 1e-9)).astype(np.int64)
    index = np.argmax(np.cumsum(counts, axis=1) >= rank[:, None], axis=1)
    middles = [(low if math.isinf(high) else (low + high) / 2) for low, high in map(bounds, range(SIZE))]
    return [middles[int(i)] if k > 0 else None for i, k in zip(index, n)]
