"""Estimated restoration times (ETR) from the history of restorations like this one."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median


@dataclass(frozen=True)
class EtrRule:
    default: timedelta = timedelta(hours=2)  # no history of restorations like it
    history: int = 20  # the median of the last N


def estimate_duration(history: Sequence[timedelta], default: timedelta, at_least: int = 3) -> tuple[timedelta, str]:
    """The median of past durations of the same kind (the caller picks them: same device kind, cause and area
    class, the last N), or `default` when there are fewer than `at_least`; with how it was made."""
    if len(history) < at_least:
        return default, f"default {_minutes(default)} (only {len(history)} past restorations like it)"
    value = timedelta(seconds=median(d.total_seconds() for d in history))
    return value, f"median of the last {len(history)} restorations like it: {_minutes(value)}"


def etr_after(start: datetime, duration: timedelta, now: datetime) -> datetime:
    """Start + duration, never in the past: an estimate already passed says nothing to a customer."""
    return max(start + duration, now + timedelta(minutes=15))


def _minutes(value: timedelta) -> str:
    minutes = round(value.total_seconds() / 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes / 60:.1f} h"
