"""The daily order roll-up: per local day and grid, the work-order and call tallies (order_tallies.py). Days are
rolled up once they are over (the day-close loop, or `gridcommand rollups rebuild`); any later write that touches a
rolled day marks it stale in the writing flush, and a stale day is read from the tables until rolled again."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, attributes

from dashboard.figures.durations import decode, encode
from dashboard.models import FaultReport, GridRow, OrderDaily, OrderDay, OrderMonth, OrderMonthly, WorkOrder
from dashboard.services.order_tallies import COUNTERS, day_key, local_midnight, tallies
from dashboard.services.rollups import RebuildScope, register

_ORDER_TIMES = ("reported_at", "arrived_at", "restored_at")


def _days_of(objects: Iterable, zone: ZoneInfo) -> set[date]:
    days: set[date] = set()

    def add(value) -> None:
        if isinstance(value, datetime):
            days.add(value.astimezone(zone).date())

    for obj in objects:
        names = _ORDER_TIMES if isinstance(obj, WorkOrder) else ("reported_at",) if isinstance(
            obj, FaultReport) else ()
        for name in names:
            history = attributes.get_history(obj, name)
            for value in (*history.added, *history.unchanged, *history.deleted):
                add(value)
    return days


# What a day's tallies read of an order (status only as merged or not) and of a fault report: a change to any
# other field (a 催办 level, a crew, a position) leaves the days as they were.
_ORDER_FIELDS = ("reported_at", "arrived_at", "restored_at", "arrival_due", "restore_due", "grid_id")
_REPORT_FIELDS = ("reported_at", "grid_id")


def _counts_changed(obj) -> bool:
    if isinstance(obj, WorkOrder):
        status = attributes.get_history(obj, "status")
        if "merged" in (*status.added, *status.deleted):
            return True
        names = _ORDER_FIELDS
    else:
        names = _REPORT_FIELDS
    return any(attributes.get_history(obj, n).has_changes() for n in names)


class StaleDays:
    """A flush listener (Database.add_flush_listener): a work order or fault report written raises `changes` of
    every local day its times fall on (old and new), in the same transaction, so a rolled day it alters is no
    longer read from the roll-up. Rows written by bulk statements bypass it: rebuild after those."""

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)

    def __call__(self, session: Session, _flush_context) -> None:
        touched = [o for o in (*session.new, *session.deleted) if isinstance(o, (WorkOrder, FaultReport))]
        touched += [o for o in session.dirty if isinstance(o, (WorkOrder, FaultReport)) and _counts_changed(o)]
        if not touched:
            return
        days = _days_of(touched, self.zone)
        if days:
            session.connection().execute(update(OrderDay).where(OrderDay.day.in_(sorted(days)))
                                         .values(changes=OrderDay.changes + 1))


def _grid_districts(session: Session) -> dict[str, str]:
    return {g: d for g, d in session.execute(select(GridRow.id, GridRow.district))}


def roll_day(session: Session, day: date, tz: str, districts: dict[str, str] | None = None) -> int:
    """Roll one local day up from the tables, in the caller's transaction: its rows rewritten, and the day current
    unless a write touched it meanwhile (its `changes` moved since they were read, before the tables). Rows written."""
    gen = session.scalar(select(OrderDay.changes).where(OrderDay.day == day))
    if gen is None:
        session.execute(insert(OrderDay).values(day=day, changes=0, rolled=-1))
        gen = 0
    districts = _grid_districts(session) if districts is None else districts
    found = tallies(session, local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz), day_key(tz))
    session.execute(delete(OrderDaily).where(OrderDaily.day == day))
    rows = [{"day": day, "grid_id": grid, "district": districts.get(grid) if grid else None,
             "received": t.received, "late": t.late, "arrived": t.arrived, "arrived_on_time": t.arrived_on_time,
             "arrival_s": t.arrival_s, "restored": t.restored, "restored_on_time": t.restored_on_time,
             "restoration_s": t.restoration_s, "calls": t.calls, "arrival_hist": encode(t.arrival_hist),
             "restoration_hist": encode(t.restoration_hist)} for (_, grid), t in found.items()]
    if rows:
        session.execute(insert(OrderDaily), rows)
    session.execute(update(OrderDay).where(OrderDay.day == day, OrderDay.changes == gen).values(rolled=gen))
    # Its month's rows held the day as it was: not current until the month is summed again.
    session.execute(delete(OrderMonth).where(OrderMonth.month == day.replace(day=1)))
    return len(rows)


def first_day(session: Session, tz: str) -> date | None:
    """The first local day with an order or a call."""
    firsts = [session.scalar(select(func.min(WorkOrder.reported_at))),
              session.scalar(select(func.min(FaultReport.reported_at)))]
    firsts = [f for f in firsts if f is not None]
    return min(firsts).astimezone(ZoneInfo(tz)).date() if firsts else None


def days_to_roll(session: Session, tz: str, now: datetime, limit: int | None = None) -> list[date]:
    """The days over (before today) since the first order that are not current in the roll-up, oldest first."""
    first = first_day(session, tz)
    if first is None:
        return []
    first = first.replace(day=1)  # a month is read rolled up once every one of its days is
    today = now.astimezone(ZoneInfo(tz)).date()
    current = set(session.scalars(select(OrderDay.day).where(OrderDay.rolled == OrderDay.changes,
                                                             OrderDay.day >= first)))
    days = [first + timedelta(days=i) for i in range((today - first).days)]
    stale = [d for d in days if d not in current]
    return stale[:limit] if limit is not None else stale


def close_days(db, tz: str, now: datetime, limit: int = 400) -> int:
    """The day-close step (a background loop): roll up each day over and not current, one transaction per day
    (the mark first, so a write during the roll sees it and marks the day stale). Days rolled."""
    with db.read() as session:
        days = days_to_roll(session, tz, now, limit)
    for day in days:
        with db.write() as session:
            if session.scalar(select(OrderDay.day).where(OrderDay.day == day)) is None:
                session.execute(insert(OrderDay).values(day=day, changes=0, rolled=-1))
        with db.write() as session:
            roll_day(session, day, tz)
    today = now.astimezone(ZoneInfo(tz)).date()
    for month in sorted({d.replace(day=1) for d in days}):
        if next_month(month) <= today:
            with db.write() as session:
                roll_month(session, month)
    return len(days)


def current_days(session: Session, first: date, last: date) -> set[date]:
    """The days of [first, last) that the roll-up holds current."""
    return set(session.scalars(select(OrderDay.day).where(OrderDay.day >= first, OrderDay.day < last,
                                                          OrderDay.rolled == OrderDay.changes)))


def day_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Sorted days as [first, after-last) runs of consecutive days."""
    runs: list[tuple[date, date]] = []
    for d in sorted(days):
        if runs and runs[-1][1] == d:
            runs[-1] = (runs[-1][0], d + timedelta(days=1))
        else:
            runs.append((d, d + timedelta(days=1)))
    return runs


def in_ranges(runs: list[tuple[date, date]]):
    return or_(*(and_(OrderDaily.day >= a, OrderDaily.day < b) for a, b in runs))


@register("order_daily")
def rebuild(session: Session, scope: RebuildScope) -> int:
    """Roll up again every day of the scope that is over (all since the first order by default)."""
    today = scope.now.astimezone(ZoneInfo(scope.timezone)).date()
    first = scope.start or first_day(session, scope.timezone)
    if first is None:
        session.execute(delete(OrderDaily))
        return 0
    if scope.start is None:
        first = first.replace(day=1)
    last = min(scope.end + timedelta(days=1) if scope.end else today, today)
    districts = _grid_districts(session)
    written = 0
    day = first
    while day < last:
        written += roll_day(session, day, scope.timezone, districts)
        day += timedelta(days=1)
    month = first.replace(day=1)
    while next_month(month) <= today and month < last:
        written += roll_month(session, month)
        month = next_month(month)
    return written


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_marks(session: Session, month: date) -> list[tuple[int, int]]:
    return session.execute(select(OrderDay.changes, OrderDay.rolled).where(
        OrderDay.day >= month, OrderDay.day < next_month(month))).all()


_SUMS = [func.coalesce(func.sum(getattr(OrderDaily, f)), 0) for f in COUNTERS]


def roll_month(session: Session, month: date) -> int:
    """Sum a month's days into its monthly rows when every day of it is current (else leave it, not current).
    Rows written."""
    marks = _month_marks(session, month)
    if len(marks) != (next_month(month) - month).days or any(c != r for c, r in marks):
        return 0
    joined = func.group_concat if session.get_bind().dialect.name == "sqlite" else func.string_agg
    rows = []
    for grid, district, *sums, arrival, restoration in session.execute(
            select(OrderDaily.grid_id, func.max(OrderDaily.district), *_SUMS, joined(OrderDaily.arrival_hist, " "),
                   joined(OrderDaily.restoration_hist, " "))
            .where(OrderDaily.day >= month, OrderDaily.day < next_month(month)).group_by(OrderDaily.grid_id)):
        rows.append({"month": month, "grid_id": grid, "district": district,
                     **{f: int(v) for f, v in zip(COUNTERS, sums)},
                     "arrival_hist": encode(decode(arrival)), "restoration_hist": encode(decode(restoration))})
    session.execute(delete(OrderMonthly).where(OrderMonthly.month == month))
    session.execute(delete(OrderMonth).where(OrderMonth.month == month))
    if rows:
        session.execute(insert(OrderMonthly), rows)
    session.execute(insert(OrderMonth).values(month=month, signature=sum(c for c, _ in marks)))
    return len(rows)


def current_months(session: Session, months: list[date]) -> set[date]:
    """The months whose monthly rows are current: every day current, Σ changes as when they were built."""
    if not months:
        return set()
    built = dict(session.execute(select(OrderMonth.month, OrderMonth.signature).where(OrderMonth.month.in_(months)))
                 .tuples().all())
    if not built:
        return set()
    first, last = min(built), next_month(max(built))
    per_month: dict[date, list[tuple[int, int]]] = {}
    for day, changes, rolled in session.execute(select(OrderDay.day, OrderDay.changes, OrderDay.rolled).where(
            OrderDay.day >= first, OrderDay.day < last)):
        per_month.setdefault(day.replace(day=1), []).append((changes, rolled))
    return {m for m, signature in built.items()
            if len(per_month.get(m, ())) == (next_month(m) - m).days
            and all(c == r for c, r in per_month[m]) and sum(c for c, _ in per_month[m]) == signature}
