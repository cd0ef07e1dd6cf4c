"""When things happen within a day: instants drawn by hour shape, and the repair timeline against each order's own
limits (pure numpy; times are seconds since the epoch, UTC)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

from dashboard.domain import AreaClass
from dashboard.history.rates import Storm
from dashboard.time_limits import TimeLimits

_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def day_bounds(day: date, tz: str) -> tuple[float, float]:
    """The local day's [start, end) in epoch seconds."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(), zone).timestamp()
    return start, datetime.combine(day + timedelta(days=1), time(), zone).timestamp()


def instants(rng: np.random.Generator, day: date, tz: str, per_day: float, shape: np.ndarray,
             at_least: int = 0) -> np.ndarray:
    """Poisson arrivals over the local day with the hourly `shape` (24 weights summing to 1), sorted."""
    start, end = day_bounds(day, tz)
    hour = (end - start) / 24
    counts = rng.poisson(per_day * shape)
    if counts.sum() < at_least:
        counts[int(np.argmax(shape))] += at_least - counts.sum()
    hours = np.repeat(np.arange(24), counts)
    return np.sort(start + (hours + rng.random(hours.size)) * hour)


def limit_seconds(limits: TimeLimits, area_classes: np.ndarray, which: str) -> np.ndarray:
    """Each order's limit in seconds, by its area class, through the project's own TimeLimits (so a configured
    limit is the one the history keeps)."""
    out = np.empty(area_classes.size)
    for area in AreaClass:
        span = (limits.arrival_due(_EPOCH, area) if which == "arrival" else limits.restore_due(_EPOCH, area)) - _EPOCH
        out[area_classes == area.value] = span.total_seconds()
    return out


def repair_times(rng: np.random.Generator, reported: np.ndarray, area_classes: np.ndarray, storm: Storm,
                 limits: TimeLimits, now: float) -> dict[str, np.ndarray]:
    """dispatched, arrived, restored and closed for orders reported at `reported`, and their arrival and restore
    limits (arrival_due from the report, restore_due from the arrival, as the live service sets them). Most arrive
    well inside their limit on a calm day, a few late; on a storm day many are late."""
    n = reported.size
    arrival_limit = limit_seconds(limits, area_classes, "arrival")
    restore_limit = limit_seconds(limits, area_classes, "restore")
    dispatch = rng.lognormal(np.log(240 * (1 + (storm.load - 1) * 0.3)), 0.6, n)
    arrive = np.maximum(rng.lognormal(np.log(storm.late_arrival), 0.35, n) * arrival_limit, dispatch + 180)
    restore = np.maximum(rng.lognormal(np.log(0.3 * storm.slower), 0.55, n) * restore_limit, 300)
    # A long tail near the history's end must not write a repair that happens after the history was made.
    dispatched = np.minimum(reported + np.round(dispatch), now)
    arrived = np.minimum(reported + np.round(arrive), now)
    restored = np.minimum(reported + np.round(arrive) + np.round(restore), now)
    closed = np.minimum(restored + np.round(rng.lognormal(np.log(18 * 3600), 0.5, n)), now)
    return {"dispatched": dispatched, "arrived": arrived, "restored": restored, "closed": closed,
            "arrival_due": reported + arrival_limit, "restore_due": arrived + restore_limit}


def to_datetimes(seconds: np.ndarray) -> list[datetime]:
    """Epoch seconds → aware UTC datetimes, to the second."""
    utc = timezone.utc
    return [datetime.fromtimestamp(s, utc) for s in np.round(seconds).astype("int64").tolist()]
