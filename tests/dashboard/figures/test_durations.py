"""The duration histogram: bucket bounds, and its 90th percentile against the exact nearest-rank value computed by
brute force (sorting the durations; no published example exists for this house histogram, so the reference is the
textbook definition: the smallest value with at least 90 % of the values at or below it)."""
from __future__ import annotations

import math
import random

import numpy as np

from dashboard.figures.durations import (LAST, SIZE, bounds, bucket, decode, decode_many, encode, histogram,
                                         percentile_of_array, percentile_s, percentiles_of_rows)


def exact_nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def test_buckets_are_contiguous_and_each_value_lies_in_its_own():
    previous_high = 0
    for i in range(SIZE):
        low, high = bounds(i)
        assert low == previous_high
        previous_high = high
    for s in (0, 59.9, 60, 3599, 10 * 3600 - 1, 10 * 3600, 48 * 3600 - 1, 48 * 3600, 7 * 86400 - 1, 10**9):
        low, high = bounds(bucket(s))
        assert low <= s < high
    assert bucket(-5) == 0 and bucket(10**9) == LAST


def test_p90_is_within_half_a_bucket_of_the_exact_value():
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 400)
        values = [rng.choice((rng.uniform(0, 7200), rng.uniform(0, 40 * 3600), rng.lognormvariate(8, 1)))
                  for _ in range(n)]
        exact = exact_nearest_rank(values, 0.9)
        estimate = percentile_s(histogram(values), 0.9)
        low, high = bounds(bucket(exact))
        assert abs(estimate - exact) <= (high - low) / 2 if not math.isinf(high) else estimate == low


def test_worked_example_ten_arrivals():
    # Ten arrivals of 10, 20, …, 100 minutes (made up, worked by hand): rank ceil(0.9 × 10) = 9 → 90 min, whose
    # 1-minute bucket [90, 91) answers its middle, 90.5 min.
    hist = histogram(m * 60 for m in range(10, 101, 10))
    assert percentile_s(hist, 0.9) == 90.5 * 60
    assert percentile_s({}, 0.9) is None


def test_encoded_histograms_sum_per_row_like_counters():
    rng = random.Random(3)
    hists = [histogram(rng.uniform(0, 20 * 3600) for _ in range(rng.randint(0, 9))) for _ in range(50)]
    owners = [rng.randrange(4) for _ in hists]
    dense = decode_many((encode(h) for h in hists), owners, 4)
    for row in range(4):
        expected = np.zeros(SIZE, dtype=np.int64)
        for h, o in zip(hists, owners):
            if o == row:
                for k, v in decode(encode(h)).items():
                    expected[k] += v
        assert (dense[row] == expected).all()
    merged = sum((h for h in hists), start=histogram([]))
    assert percentile_of_array(dense.sum(axis=0), 0.9) == percentile_s(merged, 0.9)


def test_row_percentiles_match_one_at_a_time():
    rng = random.Random(9)
    dense = np.zeros((30, SIZE), dtype=np.int64)
    for row in range(1, 30):  # row 0 stays empty
        for s in (rng.uniform(0, 30 * 3600) for _ in range(rng.randint(1, 50))):
            dense[row, bucket(s)] += 1
    assert percentiles_of_rows(dense, 0.9) == [percentile_of_array(r, 0.9) for r in dense]
    assert percentiles_of_rows(dense, 0.9)[0] is None
