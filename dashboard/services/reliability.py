"""The reliability report (IEEE 1366) of a period and district: whole days from the daily roll-up, outages under
way from their records up to now, major event days by 2.5β over the daily SAIDI history."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.figures.reliability import (HISTORY_DAYS, SUSTAINED_MIN, Indices, Piece, asai_target,
                                           cemi_customers, from_totals, major_event_days, med_threshold)
from dashboard.models import Outage, ReliabilityPiece
from dashboard.services.reliability_rollup import COUNTED, grid_table, pieces_of
from dashboard.timeutil import iso


@dataclass(frozen=True)
class ReliabilityQuery:
    start: date  # first local day of the period
    end: date  # the day after the last (exclusive)
    district: str | None = None
    n: int = 3
    sustained_min: float = SUSTAINED_MIN
    history_days: int = HISTORY_DAYS
    include_planned: bool = True


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, datetime.min.time(), ZoneInfo(tz))


def _under_way(session: Session, all_grids, grids, q: ReliabilityQuery, tz: str, now: datetime) -> list[Piece]:
    """Pieces of the outages not ended yet, counted up to now (the roll-up holds only ended ones); an outage's
    customers are shared over all its grids before the district's are kept."""
    outages = session.scalars(select(Outage).where(Outage.end.is_(None), Outage.start < now, *COUNTED)).all()
    return [p for p in pieces_of(outages, all_grids, tz, now)
            if p.grid_id in grids and (q.include_planned or not p.planned)]


def _filters(q: ReliabilityQuery) -> list:
    where = [ReliabilityPiece.duration_min > q.sustained_min]
    if q.district is not None:
        where.append(ReliabilityPiece.district == q.district)
    if not q.include_planned:
        where.append(ReliabilityPiece.planned.is_(False))
    return where


def reliability_report(session: Session, q: ReliabilityQuery, tz: str, now: datetime) -> dict:
    """The indices of [q.start, q.end) — cut at now — with and without the major event days, the MED threshold
    learnt from the daily SAIDI of the `history_days` days up to the period's end, and the ASAI commitment."""
    all_grids = grid_table(session)
    grids = {g: v for g, v in all_grids.items() if q.district is None or v[1] == q.district}
    served = sum(v[0] for v in grids.values())
    by_class: dict[str, int] = defaultdict(int)
    for customers, _, area_class in grids.values():
        by_class[area_class] += customers
    period_start = _midnight(q.start, tz)
    period_end = min(_midnight(q.end, tz), now)
    period_min = max((period_end - period_start).total_seconds() / 60, 0.0)
    today = now.astimezone(ZoneInfo(tz)).date()
    last_day = min(q.end, today + timedelta(days=1))  # exclusive: no day after today has anything yet

    live = _under_way(session, all_grids, grids, q, tz, now)
    where = _filters(q)
    history_start = last_day - timedelta(days=q.history_days)
    # Per day, ΣNi and Σri·Ni, summed by the database over the roll-up (a covering index serves it), then the
    # live pieces'; the period's totals are sums of its days, with or without the MEDs.
    day_ni: dict[date, float] = defaultdict(float)
    day_minutes: dict[date, float] = defaultdict(float)
    for day, ni, minutes in session.execute(
            select(ReliabilityPiece.day, func.sum(ReliabilityPiece.customers),
                   func.sum(ReliabilityPiece.customer_minutes))
            .where(*where, ReliabilityPiece.day >= min(history_start, q.start), ReliabilityPiece.day < last_day)
            .group_by(ReliabilityPiece.day)):
        day_ni[day] += ni or 0.0
        day_minutes[day] += minutes or 0.0
    live_counts: list[tuple[str, date, float]] = []
    for p in live:
        if p.duration_min > q.sustained_min:
            day_ni[p.day] += p.customers
            day_minutes[p.day] += p.customer_minutes
            if p.customers > 0 and q.start <= p.day < last_day:
                live_counts.append((p.grid_id, p.day, p.customers))
    daily = ({d: m / served for d, m in day_minutes.items() if history_start <= d < last_day and m > 0}
             if served else {})
    threshold = med_threshold(daily.values())
    meds = {d: v for d, v in major_event_days(daily, threshold).items() if q.start <= d < q.end}

    # CEMIn needs each interruption's Ni per grid (only the day it began carries one): the normal days' and the
    # MEDs' apart, two plain columns through Core (a year is tens of thousands of rows; ORM rows cost double).
    counted = [*where, ReliabilityPiece.day >= q.start, ReliabilityPiece.day < last_day,
               ReliabilityPiece.customers > 0]
    columns = select(ReliabilityPiece.grid_id, ReliabilityPiece.customers)
    connection = session.connection()
    normal: dict[str, list[float]] = defaultdict(list)
    on_meds: dict[str, list[float]] = defaultdict(list)
    med_days = sorted(meds)
    statements = [(normal, columns.where(*counted, ReliabilityPiece.day.not_in(med_days)))]
    if med_days:
        statements.append((on_meds, columns.where(*counted, ReliabilityPiece.day.in_(med_days))))
    for target, statement in statements:
        for grid_id, ni in connection.execute(statement):
            target[grid_id].append(ni)
    for grid_id, day, ni in live_counts:
        (on_meds if day in meds else normal)[grid_id].append(ni)

    def period_indices(skip: frozenset[date]) -> Indices:
        days = [d for d in day_minutes if q.start <= d < last_day and d not in skip]
        per_grid = normal if skip else {g: normal.get(g, []) + on_meds.get(g, []) for g in {*normal, *on_meds}}
        return from_totals(sum(day_ni[d] for d in days), sum(day_minutes[d] for d in days),
                           cemi_customers(per_grid, q.n), served, period_min)

    everything = period_indices(frozenset())
    without = period_indices(frozenset(meds)) if meds else everything
    target = asai_target(by_class)
    return {
        "from": q.start.isoformat(), "to": q.end.isoformat(), "district": q.district, "n": q.n,
        "period_start": iso(period_start), "period_end": iso(period_end), "period_minutes": period_min,
        "customers_served": served, "sustained_min": q.sustained_min, "include_planned": q.include_planned,
        "all": everything.as_dict(), "excluding_med": without.as_dict(),
        "med": {"threshold_min": threshold.threshold_min, "alpha": threshold.alpha, "beta": threshold.beta,
                "days_in_history": threshold.days_in_history, "history_from": history_start.isoformat(),
                "days": [{"date": d.isoformat(), "saidi": v} for d, v in sorted(meds.items())]},
        # The period's daily SAIDI (days with any sustained interruption), for a chart with the MEDs marked.
        "daily": [{"date": d.isoformat(), "saidi": m / served} for d, m in sorted(day_minutes.items())
                  if served and m > 0 and q.start <= d < last_day],
        "asai_target": target,
        "meets_target": None if target is None or period_min <= 0 else everything.asai >= target,
    }
