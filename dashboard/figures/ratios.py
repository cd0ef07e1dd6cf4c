"""A rate as the figures give it: 0..1 to four places, None when there is nothing to divide by."""
from __future__ import annotations


def rate(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None
