"""Figures of any period [start, end) and district: work orders, outages, the call center, service; ranked by
district, per grid, and as a series (definitions: docs/figures.md, "Work orders", "Outages", "Service")."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from dashboard.domain import OPEN_STATUSES, OUTAGE_UNDER_WAY, CallbackResult, CallbackStatus, OutageKind, OutageStatus
from dashboard.figures.durations import percentile_s
from dashboard.figures.reliability import SUSTAINED_MIN
from dashboard.models import Call, CallbackTask, Outage, ReliabilityPiece, Ticket, WorkOrder
from dashboard.services.call_figures import call_center_figures, period_columns
from dashboard.services.callcenter import ServiceLevelRule
from dashboard.services.order_rollup import order_tallies
from dashboard.services.order_tallies import Tally, day_key, hour_key, late
from dashboard.services.planned_notice import notice_ok
from dashboard.services.reliability_rollup import COUNTED, grid_table, pieces_of
from dashboard.tickets.kinds import TicketKind, TicketStatus
from dashboard.timeutil import iso

HOURLY_UNTIL = timedelta(days=2)  # periods up to this long get an hourly series, longer ones a daily one
P = 0.9


def _rate(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)


def order_figures(t: Tally, open_: int = 0, overdue_open: int = 0) -> dict:
    """The "orders" keys from a tally and the live counts of its orders still open (and overdue among them)."""
    return {
        "received": t.received, "open": open_, "overdue": t.late + overdue_open,
        "arrived": t.arrived, "restored": t.restored,
        "avg_arrival_min": _minutes(t.arrival_s / t.arrived) if t.arrived else None,
        "p90_arrival_min": _minutes(percentile_s(t.arrival_hist, P)),
        "avg_restoration_min": _minutes(t.restoration_s / t.restored) if t.restored else None,
        "p90_restoration_min": _minutes(percentile_s(t.restoration_hist, P)),
        "on_time_arrival_rate": _rate(t.arrived_on_time, t.arrived),
        "on_time_restoration_rate": _rate(t.restored_on_time, t.restored),
    }


def _open_now(session: Session, start: datetime, end: datetime, now: datetime) -> dict[str | None, list[int]]:
    """{grid: [open, overdue and not yet late]}: the orders received in [start, end) that are still open now, and
    those of them whose running limit has passed without their being late already (they would count twice)."""
    out: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    W = WorkOrder
    for o in session.execute(select(W.grid_id, W.arrival_due, W.arrived_at, W.restore_due, W.restored_at).where(
            W.status.in_([s.value for s in OPEN_STATUSES]), W.reported_at >= start, W.reported_at < end)):
        row = out[o.grid_id]
        row[0] += 1
        if not late(o) and ((o.arrived_at is None and o.arrival_due < now) or (
                o.arrived_at is not None and o.restored_at is None and o.restore_due is not None
                and o.restore_due < now)):
            row[1] += 1
    return out


def _rank(rows: list[dict]) -> list[dict]:
    """Best first: on-time arrival rate (higher), then average arrival (shorter), none last; equal keys share a
    rank (1, 2, 2, 4)."""
    def key(r):
        rate, avg = r["on_time_arrival_rate"], r["avg_arrival_min"]
        return (rate is None, -(rate or 0.0), avg is None, avg or 0.0)
    rows = sorted(rows, key=lambda r: (key(r), r["district"]))
    for i, r in enumerate(rows):
        r["rank"] = rows[i - 1]["rank"] if i and key(rows[i - 1]) == key(r) else i + 1
    return rows


def _share(outage_grids, customers: int, grid_customers: dict[str, int], keep) -> float:
    """The outage's customers on the grids kept, shared in proportion to the customers each grid serves (as the
    reliability roll-up shares them)."""
    grids = [g for g in dict.fromkeys(outage_grids or ()) if g in grid_customers]
    if not grids:
        return 0.0
    served = sum(grid_customers[g] for g in grids)
    share = lambda g: customers * grid_customers[g] / served if served else customers / len(grids)  # noqa: E731
    return sum(share(g) for g in grids if keep(g))


def _customer_minutes_clipped(session: Session, edges: list[datetime], grid_customers, keep, now: datetime,
                              sustained_min: float) -> list[float]:
    """Customer-minutes of the counted, sustained outages in each [edges[i], edges[i+1]), cut at now."""
    start, end = edges[0], min(edges[-1], now)
    out = [0.0] * (len(edges) - 1)
    if end <= start:
        return out
    rows = session.execute(select(Outage.start, Outage.end, Outage.customers_affected, Outage.grid_ids).where(
        Outage.start < end, (Outage.end.is_(None)) | (Outage.end > start), *COUNTED)).all()
    for r in rows:
        stop = r.end or now
        if (stop - r.start).total_seconds() / 60 <= sustained_min:
            continue
        customers = _share(r.grid_ids, r.customers_affected or 0, grid_customers, keep)
        if not customers:
            continue
        for i in range(len(out)):
            lo, hi = max(r.start, edges[i]), min(stop, edges[i + 1], now)
            if hi > lo:
                out[i] += customers * (hi - lo).total_seconds() / 60
    return out


def _outages(session: Session, start: datetime, end: datetime, district: str | None, grids, tz: str,
             now: datetime, sustained_min: float, whole_days: tuple | None) -> dict:
    grid_customers = {g: v[0] for g, v in grids.items()}
    keep = (lambda g: True) if district is None else (lambda g: grids[g][1] == district)  # noqa: E731
    in_district = (lambda ds: True) if district is None else (lambda ds: district in (ds or ()))  # noqa: E731
    started = session.execute(select(Outage.districts, Outage.care_customers, Outage.calls).where(
        Outage.start >= start, Outage.start < end, *COUNTED)).all()
    started = [r for r in started if in_district(r.districts)]
    outages = len(started)
    outage_calls = sum(r.calls or 0 for r in started)
    care = sum(1 for r in started if (r.care_customers or 0) > 0)
    planned_rows = [r for r in session.execute(select(Outage.maintenance, Outage.start, Outage.notified_at,
                                                      Outage.districts).where(
        Outage.kind == OutageKind.planned, Outage.start >= start, Outage.start < end,
        Outage.status != OutageStatus.merged)) if in_district(r.districts)]
    late_notices = sum(not notice_ok(r.maintenance, r.start, r.notified_at) for r in planned_rows)
    out_now = sum(_share(r.grid_ids, r.customers_affected or 0, grid_customers, keep) for r in session.execute(
        select(Outage.grid_ids, Outage.customers_affected).where(
            Outage.status.in_([s.value for s in OUTAGE_UNDER_WAY]), Outage.covered_by.is_(None))))
    if whole_days is not None:
        interruptions, minutes = _from_reliability_rollup(session, whole_days, district, grids, tz, now,
                                                          sustained_min)
    else:
        minutes = sum(_customer_minutes_clipped(session, [start, end], grid_customers, keep, now, sustained_min))
        interruptions = 0.0
        for r in session.execute(select(Outage.start, Outage.end, Outage.customers_affected, Outage.grid_ids)
                                 .where(Outage.start >= start, Outage.start < min(end, now), *COUNTED)):
            if ((r.end or now) - r.start).total_seconds() / 60 > sustained_min:
                interruptions += _share(r.grid_ids, r.customers_affected or 0, grid_customers, keep)
    return {"outages": outages, "customer_interruptions": round(interruptions, 1),
            "customer_minutes": round(minutes, 1), "customers_out_now": round(out_now),
            "planned": len(planned_rows), "planned_notice_late": late_notices,
            "planned_notice_compliance": _rate(len(planned_rows) - late_notices, len(planned_rows)),
            "care_outages": care, "outage_calls": outage_calls,
            "calls_per_outage": round(outage_calls / outages, 2) if outages else None}


def _from_reliability_rollup(session: Session, days: tuple, district: str | None, grids, tz: str, now: datetime,
                             sustained_min: float, per_day: bool = False):
    """ΣNi and Σri·Ni of the local days [first, last) from the daily reliability roll-up plus the outages under
    way (the roll-up holds ended ones), as /reliability counts them; per day when asked."""
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
    if per_day:
        return cm
    return sum(ni.values()), sum(cm.values())


def _service(session: Session, start: datetime, end: datetime, district: str | None, now: datetime) -> dict:
    """Complaints against their contact limit (docs/tickets.md) and the period's callbacks (回访)."""
    where = [Ticket.kind == TicketKind.complaint, Ticket.received_at >= start, Ticket.received_at < end]
    if district is not None:
        where.append(Ticket.district == district)
    complaints = on_time = judged = 0
    for t in session.execute(select(Ticket.status, Ticket.contact_due, Ticket.contacted_at).where(*where)):
        complaints += 1
        if t.contacted_at is not None:
            judged += 1
            on_time += t.contacted_at <= t.contact_due
        elif t.status != TicketStatus.cancelled and t.contact_due < now:
            judged += 1  # not contacted and past its limit: missed
    cb = [CallbackTask.opened_at >= start, CallbackTask.opened_at < end]
    done = [CallbackTask.status == CallbackStatus.done, CallbackTask.closed_at >= start, CallbackTask.closed_at < end]
    if district is not None:
        cb.append(CallbackTask.district == district)
        done.append(CallbackTask.district == district)
    count = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    opened, completed = session.execute(select(func.count(), count(CallbackTask.status != CallbackStatus.pending))
                                        .where(*cb)).one()
    reached, satisfied = session.execute(select(func.count(), count(CallbackTask.result == CallbackResult.satisfied))
                                         .where(*done)).one()
    opened, completed, reached, satisfied = (int(x or 0) for x in (opened, completed, reached, satisfied))
    return {"complaints": complaints, "complaints_contacted_on_time": on_time,
            "complaint_contact_rate": _rate(on_time, judged),
            "callbacks_opened": opened, "callbacks_completed": completed,
            "callback_completion": _rate(completed, opened), "callbacks_reached": reached,
            "satisfaction_rate": _rate(satisfied, reached)}


def _call_points(session: Session, edges: list[datetime], rule: ServiceLevelRule) -> list[tuple[int, float | None]]:
    """(offered, service level) of the calls offered in each [edges[i], edges[i+1])."""
    out = []
    for lo, hi in zip(edges, edges[1:]):
        c = session.execute(select(*period_columns(session, and_(Call.offered_at >= lo, Call.offered_at < hi),
                                                   rule.target_s, rule.short_abandon_s))).one()
        offered, answered, in_target, abandoned, short = (float(x or 0) for x in c[:5])
        out.append((int(offered), _rate(in_target, answered + abandoned - short)))
    return out


def _edges(start: datetime, end: datetime, tz: str, hourly: bool) -> list[datetime]:
    """The series' bucket bounds: `start`, each local hour (or midnight) after it before `end`, then `end`."""
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    edges = [start]
    if hourly:  # hours walked in UTC, so a change of clocks keeps every one an hour long
        at = local.replace(minute=0, second=0, microsecond=0).astimezone(timezone.utc) + timedelta(hours=1)
        while at < end:
            edges.append(at)
            at += timedelta(hours=1)
    else:
        day = local.date() + timedelta(days=1)
        while (at := datetime.combine(day, datetime.min.time(), zone).astimezone(timezone.utc)) < end:
            edges.append(at)
            day += timedelta(days=1)
    edges.append(end)
    return edges


def whole_local_days(start: datetime, end: datetime, tz: str) -> tuple | None:
    """(first day, day after the last) when [start, end) is exactly whole local days, else None."""
    zone = ZoneInfo(tz)
    a, b = start.astimezone(zone), end.astimezone(zone)
    if a.time() == b.time() == datetime.min.time():
        return a.date(), b.date()
    return None


def period_kpis(session: Session, start: datetime, end: datetime, *, district: str | None, rule: ServiceLevelRule,
                now: datetime, sustained_min: float = SUSTAINED_MIN) -> dict:
    """The period figures (see the module docstring); `district` None is the whole center."""
    tz = rule.timezone
    grids = grid_table(session)
    hourly = end - start <= HOURLY_UNTIL
    key = hour_key(tz) if hourly else day_key(tz)
    rows = order_tallies(session, start, end, key, tz, now)
    grid_district = {g: v[1] for g, v in grids.items()}
    keep = (lambda g: True) if district is None else (lambda g: grid_district.get(g) == district)  # noqa: E731
    total, per_grid, per_bucket = Tally(), defaultdict(Tally), defaultdict(Tally)
    for (b, g), t in rows.items():
        if keep(g):
            total.add(t)
            per_grid[g].add(t)
            per_bucket[b].add(t)
    live = {g: v for g, v in _open_now(session, start, end, now).items() if keep(g)}
    per_district: dict[str, Tally] = defaultdict(Tally)
    district_open: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for g, t in per_grid.items():
        if g in grid_district:
            per_district[grid_district[g]].add(t)
    for g, (o, d) in live.items():
        if g in grid_district:
            district_open[grid_district[g]][0] += o
            district_open[grid_district[g]][1] += d
    orders = order_figures(total, sum(v[0] for v in live.values()), sum(v[1] for v in live.values()))
    districts = sorted({grid_district[g] for g in grids} if district is None else {district})
    by_district = _rank([{"district": d, "rank": 0} | order_figures(per_district.get(d, Tally()),
                                                                     *district_open.get(d, (0, 0)))
                         for d in districts])
    by_grid = [{"grid": g, "district": grid_district[g]} | order_figures(per_grid.get(g, Tally()),
                                                                         *live.get(g, (0, 0)))
               for g in sorted(grids) if keep(g)]

    days = whole_local_days(start, end, tz)
    outages = _outages(session, start, end, district, grids, tz, now, sustained_min, days)
    outages["calls"] = total.calls
    outages["trips_saved"] = total.calls - total.received
    calls = call_center_figures(session, start, end, target_s=rule.target_s, short_abandon_s=rule.short_abandon_s)

    edges = _edges(start, end, tz, hourly)
    call_points = _call_points(session, edges, rule)
    if not hourly and days is not None:
        by_day = _from_reliability_rollup(session, days, district, grids, tz, now, sustained_min, per_day=True)
        cm = [by_day.get(e.astimezone(ZoneInfo(tz)).date(), 0.0) for e in edges[:-1]]
    else:
        cm = _customer_minutes_clipped(session, edges, {g: v[0] for g, v in grids.items()}, keep, now,
                                       sustained_min)
    points = []
    for i, at in enumerate(edges[:-1]):
        b: Hashable = key(at)
        t = per_bucket.get(b, Tally())
        points.append({"at": iso(at), "received": t.received, "arrived": t.arrived, "restored": t.restored,
                       "on_time_arrival_rate": _rate(t.arrived_on_time, t.arrived),
                       "avg_arrival_min": _minutes(t.arrival_s / t.arrived) if t.arrived else None,
                       "calls_offered": call_points[i][0], "service_level": call_points[i][1],
                       "customer_minutes": round(cm[i], 1)})
    return {
        "from": iso(start), "to": iso(end), "district": district, "generated_at": iso(now),
        "orders": orders, "outages": outages,
        "calls": calls["overall"] | {"queues": calls["queues"]},
        "service": _service(session, start, end, district, now),
        "by_district": by_district, "by_grid": by_grid,
        "series": {"step": "hour" if hourly else "day", "points": points},
    }
