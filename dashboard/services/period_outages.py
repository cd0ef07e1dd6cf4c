"""A period's outage figures (docs/figures.md, "Outages"): outages started, customer interruptions and
customer-minutes as /reliability counts them, customers out now, the planned-notice rule, care outages, calls."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from dashboard.domain import OUTAGE_UNDER_WAY, OutageKind, OutageStatus
from dashboard.figures.ratios import rate
from dashboard.models import Outage, ReliabilityPiece
from dashboard.services.planned_notice import notice_ok
from dashboard.services.reliability_rollup import COUNTED, pieces_of


def customer_share(outage_grids, customers: int, grid_customers: dict[str, int], keep) -> float:
    """The outage's customers on the grids kept, shared in proportion to the customers each grid serves (as the
    reliability roll-up shares them)."""
    grids = [g for g in dict.fromkeys(outage_grids or ()) if g in grid_customers]
    if not grids:
        return 0.0
    served = sum(grid_customers[g] for g in grids)
    share = lambda g: customers * grid_customers[g] / served if served else customers / len(grids)  # noqa: E731
    return sum(share(g) for g in grids if keep(g))


def customer_minutes_clipped(session: Session, edges: list[datetime], grid_customers, keep, now: datetime,
                             sustained_min: float) -> list[float]:
    """Customer-minutes of the counted, sustained outages in each [edges[i], edges[i+1]), cut at now."""
    start, end = edges[0], min(edges[-1], now)
    out = [0.0] * (len(edges) - 1)
    if end <= start:
        return out
    columns = select(Outage.start, Outage.end, Outage.customers_affected, Outage.grid_ids)
    # Two reads, each by an index (an OR of both would read every outage).
    rows = [*session.execute(columns.where(Outage.end > start, Outage.start < end, *COUNTED)),
            *session.execute(columns.where(Outage.end.is_(None), Outage.start < end, *COUNTED))]
    for r in rows:
        stop = r.end or now
        if (stop - r.start).total_seconds() / 60 <= sustained_min:
            continue
        customers = customer_share(r.grid_ids, r.customers_affected or 0, grid_customers, keep)
        if not customers:
            continue
        for i in range(len(out)):
            lo, hi = max(r.start, edges[i]), min(stop, edges[i + 1], now)
            if hi > lo:
                out[i] += customers * (hi - lo).total_seconds() / 60
    return out


def _started(session: Session, start: datetime, end: datetime, district: str | None, tz: str,
             now: datetime) -> tuple[int, int, int]:
    """(outages, their calls, those with care customers) of the counted outages started in [start, end), summed by
    the database; a district's are those the reliability roll-up put on its grids (ended ones) and those under way
    whose districts name it."""
    where = [Outage.start >= start, Outage.start < end, *COUNTED]
    aggregates = (func.count(), func.coalesce(func.sum(Outage.calls), 0),
                  func.coalesce(func.sum(case((Outage.care_customers > 0, 1), else_=0)), 0))
    if district is None:
        return tuple(int(x) for x in session.execute(select(*aggregates).where(*where)).one())
    zone = ZoneInfo(tz)
    ended = select(ReliabilityPiece.outage_id).where(
        ReliabilityPiece.district == district, ReliabilityPiece.customers > 0,
        ReliabilityPiece.day >= start.astimezone(zone).date(), ReliabilityPiece.day <= end.astimezone(zone).date())
    found = [int(x) for x in session.execute(select(*aggregates).where(*where, Outage.id.in_(ended))).one()]
    for r in session.execute(select(Outage.districts, Outage.calls, Outage.care_customers).where(
            *where, Outage.end.is_(None))):
        if district in (r.districts or ()):
            found = [found[0] + 1, found[1] + (r.calls or 0), found[2] + ((r.care_customers or 0) > 0)]
    return found[0], found[1], found[2]


def outage_figures(session: Session, start: datetime, end: datetime, district: str | None, grids, tz: str,
                   now: datetime, sustained_min: float, by_day: tuple[dict, dict] | None) -> dict:
    """The "outages" keys; `by_day`: ΣNi and Σri·Ni per local day when the period is whole days."""
    grid_customers = {g: v[0] for g, v in grids.items()}
    keep = (lambda g: True) if district is None else (lambda g: grids[g][1] == district)  # noqa: E731
    outages, outage_calls, care = _started(session, start, end, district, tz, now)
    # The districts (a JSON list per row) are read only when a district is asked for: a year holds thousands.
    columns = [Outage.maintenance, Outage.start, Outage.notified_at] + ([Outage.districts] if district else [])
    planned_rows = [r for r in session.execute(select(*columns).where(
        Outage.kind == OutageKind.planned, Outage.start >= start, Outage.start < end,
        Outage.status != OutageStatus.merged)) if district is None or district in (r.districts or ())]
    late_notices = sum(not notice_ok(r.maintenance, r.start, r.notified_at) for r in planned_rows)
    out_now = sum(customer_share(r.grid_ids, r.customers_affected or 0, grid_customers, keep) for r in session.execute(
        select(Outage.grid_ids, Outage.customers_affected).where(
            Outage.status.in_([s.value for s in OUTAGE_UNDER_WAY]), Outage.covered_by.is_(None))))
    if by_day is not None:
        interruptions, minutes = sum(by_day[0].values()), sum(by_day[1].values())
    else:
        minutes = sum(customer_minutes_clipped(session, [start, end], grid_customers, keep, now, sustained_min))
        interruptions = 0.0
        for r in session.execute(select(Outage.start, Outage.end, Outage.customers_affected, Outage.grid_ids)
                                 .where(Outage.start >= start, Outage.start < min(end, now), *COUNTED)):
            if ((r.end or now) - r.start).total_seconds() / 60 > sustained_min:
                interruptions += customer_share(r.grid_ids, r.customers_affected or 0, grid_customers, keep)
    return {"outages": outages, "customer_interruptions": round(interruptions, 1),
            "customer_minutes": round(minutes, 1), "customers_out_now": round(out_now),
            "planned": len(planned_rows), "planned_notice_late": late_notices,
            "planned_notice_compliance": rate(len(planned_rows) - late_notices, len(planned_rows)),
            "care_outages": care, "outage_calls": outage_calls,
            "calls_per_outage": round(outage_calls / outages, 2) if outages else None}


def reliability_by_day(session: Session, days: tuple, district: str | None, grids, tz: str, now: datetime,
                       sustained_min: float) -> tuple[dict, dict]:
    """ΣNi and Σri·Ni of the local days [first, last) from the daily reliability roll-up plus the outages under
    way (the roll-up holds ended ones), as /reliability counts them, per day."""
    first, last = days
    where = [ReliabilityPiece.duration_min > sustained_min, ReliabilityPiece.day >= first,
             ReliabilityPiece.day < last]
    if district is not None:
        where.append(ReliabilityPiece.district == district)
    ni: dict = defaultdict(float)
    cm: dict = defaultdict(float)
    for day, n, m in session.execute(select(ReliabilityPiece.day, func.sum(ReliabilityPiece.customers),
                                            func.sum(ReliabilityPiece.customer_minutes))
                                     .where(*where).group_by(ReliabilityPiece.day)):
        ni[day] += n or 0.0
        cm[day] += m or 0.0
    live = session.scalars(select(Outage).where(Outage.end.is_(None), Outage.start < now, *COUNTED)).all()
    for p in pieces_of(live, grids, tz, now):
        if p.duration_min > sustained_min and first <= p.day < last and (
                district is None or grids[p.grid_id][1] == district):
            ni[p.day] += p.customers
            cm[p.day] += p.customer_minutes
    return ni, cm
