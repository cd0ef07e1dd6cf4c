"""Work-order and call tallies of a stretch of time, per bucket (local day or hour) and grid, straight from the
tables: what the order roll-up stores for whole past days and what a period reads for the rest."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session

from dashboard.domain import OrderStatus
from dashboard.figures.durations import bucket
from dashboard.models import FaultReport, WorkOrder
from dashboard.services.sqltime import seconds_between

COUNTERS = ("received", "late", "arrived", "arrived_on_time", "arrival_s", "restored", "restored_on_time",
            "restoration_s", "calls")


@dataclass
class Tally:
    """Counts of one bucket and grid. `late`: of the orders received, those that arrived or were restored after
    their own limit (facts that do not change once true). Durations are whole seconds from reported_at."""
    received: int = 0
    late: int = 0
    arrived: int = 0
    arrived_on_time: int = 0
    arrival_s: int = 0
    restored: int = 0
    restored_on_time: int = 0
    restoration_s: int = 0
    calls: int = 0
    arrival_hist: Counter = field(default_factory=Counter)
    restoration_hist: Counter = field(default_factory=Counter)

    def add_counts(self, other: "Tally") -> "Tally":
        """The counters only (the histograms are summed apart, per grid)."""
        for f in COUNTERS:
            setattr(self, f, getattr(self, f) + getattr(other, f))
        return self


Key = Callable[[datetime], Hashable]


def day_key(tz: str) -> Key:
    zone = ZoneInfo(tz)
    return lambda at: at.astimezone(zone).date()


def hour_key(tz: str) -> Key:
    """The start of the local hour, as an aware UTC datetime (every zone's hours start on UTC quarter hours)."""
    zone = ZoneInfo(tz)
    return lambda at: at.astimezone(zone).replace(minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def tallies(session: Session, start: datetime, end: datetime, key: Key) -> dict[tuple[Hashable, str | None], Tally]:
    """{(bucket, grid id or None): Tally} of the events in [start, end): orders received (by reported_at, not
    merged), arrivals (by arrived_at), restorations (by restored_at), calls (fault reports, by reported_at)."""
    out: dict[tuple[Hashable, str | None], Tally] = {}

    def at(when: datetime, grid: str | None) -> Tally:
        k = (key(when), grid)
        t = out.get(k)
        if t is None:
            t = out[k] = Tally()
        return t

    # One time per row comes back (the bucket's); durations and flags are worked out by the database: parsing
    # stored times is most of the cost of reading rows.
    W = WorkOrder
    connection = session.connection()
    flag = lambda cond: case((cond, 1), else_=0)  # noqa: E731
    late_ = or_(and_(W.arrived_at.is_not(None), W.arrived_at > W.arrival_due),
                and_(W.restored_at.is_not(None), W.restore_due.is_not(None), W.restored_at > W.restore_due))
    for grid, when, is_late in connection.execute(select(W.grid_id, W.reported_at, flag(late_)).where(
            W.reported_at >= start, W.reported_at < end, W.status != OrderStatus.merged)):
        t = at(when, grid)
        t.received += 1
        t.late += is_late
    for grid, when, seconds, on_time in connection.execute(select(
            W.grid_id, W.arrived_at, seconds_between(session, W.arrived_at, W.reported_at),
            flag(W.arrived_at <= W.arrival_due)).where(W.arrived_at >= start, W.arrived_at < end)):
        t = at(when, grid)
        s = round(seconds)
        t.arrived += 1
        t.arrived_on_time += on_time
        t.arrival_s += s
        t.arrival_hist[bucket(s)] += 1
    for grid, when, seconds, on_time in connection.execute(select(
            W.grid_id, W.restored_at, seconds_between(session, W.restored_at, W.reported_at),
            flag(and_(W.restore_due.is_not(None), W.restored_at <= W.restore_due))).where(
            W.restored_at >= start, W.restored_at < end)):
        t = at(when, grid)
        s = round(seconds)
        t.restored += 1
        t.restored_on_time += on_time
        t.restoration_s += s
        t.restoration_hist[bucket(s)] += 1
    for grid, when in connection.execute(select(FaultReport.grid_id, FaultReport.reported_at).where(
            FaultReport.reported_at >= start, FaultReport.reported_at < end)):
        at(when, grid).calls += 1
    return out


def local_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, datetime.min.time(), ZoneInfo(tz)).astimezone(timezone.utc)


def days_between(first: date, last: date) -> list[date]:
    """[first, last) as a list of days."""
    return [first + timedelta(days=i) for i in range((last - first).days)]
