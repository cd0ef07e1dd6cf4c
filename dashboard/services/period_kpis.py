"""Figures of any period [start, end) and district: work orders, outages, the call center, service; ranked by
district, per grid, and as a series (definitions: docs/figures.md, "Work orders", "Outages", "Service")."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from dashboard.domain import OPEN_STATUSES
from dashboard.figures.durations import (
    SIZE,
    add_text,
    percentile_of_array,
    percentiles_of_rows,
)
from dashboard.figures.ratios import rate
from dashboard.figures.reliability import SUSTAINED_MIN
from dashboard.models import OrderDaily, OrderMonthly, WorkOrder
from dashboard.services.call_figures import call_center_figures, call_series
from dashboard.services.callcenter import ServiceLevelRule
from dashboard.services.order_rollup import (
    current_days,
    current_months,
    day_ranges,
    in_ranges,
    next_month,
)
from dashboard.services.order_tallies import (
    COUNTERS,
    Tally,
    day_key,
    days_between,
    hour_key,
    local_midnight,
    tallies,
)
from dashboard.services.period_outages import (
    customer_minutes_clipped,
    outage_figures,
    reliability_by_day,
)
from dashboard.services.period_service import service_figures
from dashboard.services.reliability_rollup import grid_table
from dashboard.timeutil import iso

HOURLY_UNTIL = timedelta(days=2)  # periods up to this long get an hourly series, longer ones a daily one
P = 0.9
# Up to this long, the orders still open are found through the period's orders (reported_at), not the open ones.
SHORT = timedelta(days=7)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)


def order_figures(t: Tally, arrival, restoration, open_: int = 0, overdue_open: int = 0,
                  p90: tuple[float | None, float | None] | None = None) -> dict:
    """The "orders" keys from a tally, its histograms (dense arrays) or their 90th percentiles (seconds) found
    already, and the live counts of its orders still open (and overdue among them)."""
    p90 = p90 or (percentile_of_array(arrival, P), percentile_of_array(restoration, P))
    return {
        "received": t.received, "open": open_, "overdue": t.late + overdue_open,
        "arrived": t.arrived, "restored": t.restored,
        "avg_arrival_min": _minutes(t.arrival_s / t.arrived) if t.arrived else None,
        "p90_arrival_min": _minutes(p90[0]),
        "avg_restoration_min": _minutes(t.restoration_s / t.restored) if t.restored else None,
        "p90_restoration_min": _minutes(p90[1]),
        "on_time_arrival_rate": rate(t.arrived_on_time, t.arrived),
        "on_time_restoration_rate": rate(t.restored_on_time, t.restored),
    }


def _open_now(session: Session, start: datetime, end: datetime, now: datetime) -> dict[str | None, list[int]]:
    """{grid: [open, overdue and not yet late]}: the orders received in [start, end) that are still open now, and
    those of them whose running limit has passed without their being late already (they would count twice)."""
    W = WorkOrder
    late_now = or_(and_(W.arrived_at.is_not(None), W.arrived_at > W.arrival_due),
                   and_(W.restored_at.is_not(None), W.restore_due.is_not(None), W.restored_at > W.restore_due))
    past = or_(and_(W.arrived_at.is_(None), W.arrival_due < now),
               and_(W.arrived_at.is_not(None), W.restored_at.is_(None), W.restore_due < now))
    status = W.status if end - start > SHORT else func.coalesce(W.status, "")  # a short period: by reported_at
    rows = session.execute(select(W.grid_id, func.count(), func.sum(case((and_(~late_now, past), 1), else_=0)))
                           .where(status.in_([s.value for s in OPEN_STATUSES]), W.reported_at >= start,
                                  W.reported_at < end).group_by(W.grid_id))
    return {g: [int(n or 0), int(d or 0)] for g, n, d in rows}


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


def _call_points(session: Session, edges: list[datetime], rule: ServiceLevelRule,
                 hourly: bool) -> list[tuple[int, float | None]]:
    """(offered, service level) of the calls offered in each [edges[i], edges[i+1]), from the call roll-up."""
    points = call_series(session, edges[0], edges[-1], "hour" if hourly else "day", target_s=rule.target_s,
                         short_abandon_s=rule.short_abandon_s, timezone=rule.timezone)
    return [(int(p["offered"]), p["service_level"]) for p in points]


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


class OrderFigures:
    """The orders' tallies of a period: counters per grid and per series bucket, histograms per grid (dense)."""

    def __init__(self, grids: list[str | None]) -> None:
        self.index = {g: i for i, g in enumerate(grids)}
        self.per_grid: dict[str | None, Tally] = defaultdict(Tally)
        self.per_bucket: dict[Hashable, Tally] = defaultdict(Tally)
        self.arrival = np.zeros((len(grids), SIZE), dtype=np.int64)
        self.restoration = np.zeros((len(grids), SIZE), dtype=np.int64)

    def add_raw(self, found: dict, keep) -> None:
        for (b, g), t in found.items():
            g = g if g in self.index else None  # a grid no longer in the catalog: outside every grid
            if not keep(g):
                continue
            self.per_grid[g].add_counts(t)
            self.per_bucket[b].add_counts(t)
            i = self.index[g]
            for target, hist in ((self.arrival, t.arrival_hist), (self.restoration, t.restoration_hist)):
                for k, v in hist.items():
                    target[i, k] += v

    def tally(self, grids) -> tuple[Tally, "np.ndarray", "np.ndarray"]:
        t = Tally()
        rows = [self.index[g] for g in grids if g in self.index]
        for g in grids:
            if g in self.per_grid:
                t.add_counts(self.per_grid[g])
        return t, self.arrival[rows].sum(axis=0), self.restoration[rows].sum(axis=0)


_SERIES = ("received", "arrived", "arrived_on_time", "arrival_s", "restored")  # what a series point reads


def _grid_rows(session: Session, figures: OrderFigures, table, where: list) -> None:
    """Add per grid the counters and the histograms of a roll-up table's rows (the histograms joined by the
    database, one long text per grid, parsed in C)."""
    joined = (func.group_concat if session.get_bind().dialect.name == "sqlite" else func.string_agg)
    outside = figures.index[None]
    sums = [func.coalesce(func.sum(getattr(table, f)), 0) for f in COUNTERS]
    for grid, *values, arrival, restoration in session.connection().execute(
            select(table.grid_id, *sums, joined(table.arrival_hist, " "), joined(table.restoration_hist, " "))
            .where(*where).group_by(table.grid_id)):
        grid = grid if grid in figures.index else None
        figures.per_grid[grid].add_counts(Tally(*(int(x) for x in values)))
        row = figures.index.get(grid, outside)
        add_text(figures.arrival[row], arrival)
        add_text(figures.restoration[row], restoration)


def _from_rollup(session: Session, figures: OrderFigures, days: list[date], members: list[str] | None) -> None:
    """Add the roll-up's current days to the figures: whole current months from the monthly rows, the other days
    from the daily ones; per day the series' counters (from the daily covering index alone). `members`: the grids
    of the district asked for, as the grids are now (a row's stored district is the one it had when rolled)."""
    day_set = set(days)
    months = sorted({d.replace(day=1) for d in days
                     if all(m in day_set for m in days_between(d.replace(day=1), next_month(d.replace(day=1))))})
    months = sorted(current_months(session, months))
    in_month = {d for m in months for d in days_between(m, next_month(m))}
    if months:
        where = [OrderMonthly.month.in_(months)]
        if members is not None:
            where.append(OrderMonthly.grid_id.in_(members))
        _grid_rows(session, figures, OrderMonthly, where)
    rest = day_ranges(d for d in days if d not in in_month)
    if rest:
        where = [in_ranges(rest)] + ([OrderDaily.grid_id.in_(members)] if members is not None else [])
        _grid_rows(session, figures, OrderDaily, where)
    where = [in_ranges(day_ranges(days))] + ([OrderDaily.grid_id.in_(members)] if members is not None else [])
    for day, *sums in session.connection().execute(
            select(OrderDaily.day, *(func.sum(getattr(OrderDaily, f)) for f in _SERIES))
            .where(*where).group_by(OrderDaily.day)):
        figures.per_bucket[day].add_counts(Tally(**{f: int(x or 0) for f, x in zip(_SERIES, sums)}))


def collect_orders(session: Session, start: datetime, end: datetime, *, tz: str, now: datetime, hourly: bool,
                   grids: list[str | None], grid_district: dict[str, str], district: str | None,
                   use_rollup: bool = True) -> OrderFigures:
    """The orders' tallies of [start, end): whole local days the roll-up holds current from it (a daily series
    only), the rest (today, a stale day, the ends of a period cut inside a day) from the tables."""
    figures = OrderFigures(grids)
    keep = (lambda g: True) if district is None else (lambda g: grid_district.get(g) == district)  # noqa: E731
    key = hour_key(tz) if hourly else day_key(tz)
    raw: list[tuple[datetime, datetime]] = [(start, end)]
    if use_rollup and not hourly:
        zone = ZoneInfo(tz)
        first = start.astimezone(zone).date()
        if local_midnight(first, tz) < start:
            first += timedelta(days=1)
        last = min(end.astimezone(zone).date(), now.astimezone(zone).date())  # today is never read rolled up
        current = sorted(current_days(session, first, last)) if first < last else []
        runs = day_ranges(current)
        if runs:
            members = None if district is None else [g for g, d in grid_district.items() if d == district]
            _from_rollup(session, figures, current, members)
            raw, at = [], start
            for a, b in runs:
                lo, hi = local_midnight(a, tz), local_midnight(b, tz)
                if at < lo:
                    raw.append((at, lo))
                at = hi
            if at < end:
                raw.append((at, end))
    for lo, hi in raw:
        figures.add_raw(tallies(session, lo, hi, key), keep)
    return figures


def period_kpis(session: Session, start: datetime, end: datetime, *, district: str | None, rule: ServiceLevelRule,
                now: datetime, sustained_min: float = SUSTAINED_MIN, use_rollup: bool = True) -> dict:
    """The period figures (see the module docstring); `district` None is the whole center. `use_rollup` False
    reads everything from the tables (the tests' reference)."""
    tz = rule.timezone
    grids = grid_table(session)
    hourly = end - start <= HOURLY_UNTIL
    key = hour_key(tz) if hourly else day_key(tz)
    grid_district = {g: v[1] for g, v in grids.items()}
    keep = (lambda g: True) if district is None else (lambda g: grid_district.get(g) == district)  # noqa: E731
    ids: list[str | None] = [*sorted(grids), None]
    figures = collect_orders(session, start, end, tz=tz, now=now, hourly=hourly, grids=ids,
                             grid_district=grid_district, district=district, use_rollup=use_rollup)
    live = {g: v for g, v in _open_now(session, start, end, now).items() if keep(g)}

    def figures_of(members, open_counts) -> dict:
        t, arrival, restoration = figures.tally(members)
        return order_figures(t, arrival, restoration, *open_counts)

    kept = [g for g in ids if keep(g)]
    orders = figures_of(kept, (sum(v[0] for v in live.values()), sum(v[1] for v in live.values())))
    total = figures.tally(kept)[0]
    districts = sorted(set(grid_district.values()) if district is None else {district})
    members: dict[str, list[str]] = defaultdict(list)
    for g, d in grid_district.items():
        members[d].append(g)
    by_district = _rank([{"district": d, "rank": 0} | figures_of(
        members[d], [sum(live.get(g, (0, 0))[k] for g in members[d]) for k in (0, 1)]) for d in districts])
    shown = [g for g in sorted(grids) if keep(g)]
    rows = [figures.index[g] for g in shown]
    p90s = zip(percentiles_of_rows(figures.arrival[rows], P), percentiles_of_rows(figures.restoration[rows], P))
    by_grid = [{"grid": g, "district": grid_district[g]} | order_figures(
        figures.per_grid.get(g, Tally()), None, None, *live.get(g, (0, 0)), p90=p) for g, p in zip(shown, p90s)]
    per_bucket = figures.per_bucket

    days = whole_local_days(start, end, tz)
    by_day = None if days is None else reliability_by_day(session, days, district, grids, tz, now,
                                                                sustained_min)
    outages = outage_figures(session, start, end, district, grids, tz, now, sustained_min, by_day)
    outages["calls"] = total.calls
    outages["trips_saved"] = total.calls - total.received
    calls = call_center_figures(session, start, end, target_s=rule.target_s, short_abandon_s=rule.short_abandon_s)

    edges = _edges(start, end, tz, hourly)
    call_points = _call_points(session, edges, rule, hourly)
    if not hourly and days is not None:
        cm = [by_day[1].get(e.astimezone(ZoneInfo(tz)).date(), 0.0) for e in edges[:-1]]
    else:
        cm = customer_minutes_clipped(session, edges, {g: v[0] for g, v in grids.items()}, keep, now,
                                       sustained_min)
    points = []
    for i, at in enumerate(edges[:-1]):
        b: Hashable = key(at)
        t = per_bucket.get(b, Tally())
        points.append({"at": iso(at), "received": t.received, "arrived": t.arrived, "restored": t.restored,
                       "on_time_arrival_rate": rate(t.arrived_on_time, t.arrived),
                       "avg_arrival_min": _minutes(t.arrival_s / t.arrived) if t.arrived else None,
                       "calls_offered": call_points[i][0], "service_level": call_points[i][1],
                       "customer_minutes": round(cm[i], 1)})
    return {
        "from": iso(start), "to": iso(end), "district": district, "generated_at": iso(now),
        "orders": orders, "outages": outages,
        "calls": calls["overall"] | {"queues": calls["queues"]},
        "service": service_figures(session, start, end, district, now),
        "by_district": by_district, "by_grid": by_grid,
        "series": {"step": "hour" if hourly else "day", "points": points},
    }
