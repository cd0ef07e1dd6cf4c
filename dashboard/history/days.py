"""Which local days the history fills: a span of days ending at the start of yesterday, less the days that already
hold records (live ones, or an earlier run's)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.history.timeline import day_bounds
from dashboard.models import Call, FaultReport, WorkOrder
from dashboard.timeutil import local_day_start

QUEUES_PROBED = ("repair", "enquiry", "complaint")


def span(now: datetime, tz: str, days: int) -> list[date]:
    """The `days` local days before yesterday, oldest first (yesterday and today are the live demo's)."""
    yesterday = (local_day_start(now, tz) - timedelta(hours=12)).astimezone(ZoneInfo(tz)).date()
    return [yesterday - timedelta(days=k) for k in range(days, 0, -1)]


def taken(session: Session, day: date, tz: str) -> bool:
    """The day holds a fault report, a call or a work order already (probes of one row; the order probe, which
    has no index on its time, comes last and is reached only on a day with no reports and no calls)."""
    start, end = (datetime.fromtimestamp(t, timezone.utc) for t in day_bounds(day, tz))
    probes = [select(FaultReport.id).where(FaultReport.reported_at >= start, FaultReport.reported_at < end)]
    probes += [select(Call.id).where(Call.queue == q, Call.offered_at >= start, Call.offered_at < end)
               for q in QUEUES_PROBED]
    probes.append(select(WorkOrder.id).where(WorkOrder.reported_at >= start, WorkOrder.reported_at < end))
    return any(session.scalar(p.limit(1)) is not None for p in probes)


def free_days(session: Session, candidates: list[date], tz: str) -> list[date]:
    return [d for d in candidates if not taken(session, d, tz)]
