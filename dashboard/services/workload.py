"""Workload (考核) over a period: per seat and agent (calls, AHT, occupancy, not-ready time), per dispatcher (orders
dispatched, on-time arrival, escalations) and per crew; pure figures from rows, the loading at the edge
(definitions: docs/reports.md)."""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.domain import SeatState
from dashboard.models import Call, Crew, EventLog, Seat, WorkOrder, WorkOrderEvent
from dashboard.timeutil import iso

LOOKBACK = timedelta(hours=24)  # how far before `start` the seat log is read for the state a seat was in then
BUSY = (SeatState.talking, SeatState.wrap_up)
STAFFED = (SeatState.available, SeatState.ringing, SeatState.talking, SeatState.wrap_up)


@dataclass(frozen=True)
class SeatMark:
    """A seat entered `state` at `since` (a row of the seat log)."""
    seat: str
    agent: str | None
    group: str
    state: str
    since: datetime


@dataclass(frozen=True)
class Span:
    seat: str
    agent: str | None
    group: str
    state: str
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class CallRow:
    seat: str | None
    answered_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True)
class Assignment:
    """A dispatcher assigned an order to a crew (the timeline's `assign`), with the order's arrival figures."""
    dispatcher: str
    order_id: int
    arrived_at: datetime | None
    arrival_due: datetime


def state_spans(marks: Iterable[SeatMark], start: datetime, end: datetime) -> list[Span]:
    """Each seat's states as spans clipped to [start, end): a state lasts until the seat's next mark."""
    by_seat: dict[str, list[SeatMark]] = defaultdict(list)
    for m in marks:
        by_seat[m.seat].append(m)
    spans = []
    for seat, seat_marks in by_seat.items():
        seat_marks.sort(key=lambda m: m.since)
        for mark, nxt in zip(seat_marks, [*seat_marks[1:], None]):
            t0, t1 = max(mark.since, start), min(nxt.since if nxt else end, end)
            if t1 > t0:
                spans.append(Span(seat, mark.agent, mark.group, mark.state, t0, t1))
    return spans


class _SeatSpans:
    """Which agent sat at a seat at an instant: each seat's spans sorted by start, found by bisection (a day holds
    tens of thousands of spans and calls; a scan per call would be quadratic)."""

    def __init__(self, spans: list[Span]):
        by_seat: dict[str, list[Span]] = defaultdict(list)
        for s in spans:
            by_seat[s.seat].append(s)
        self._spans = {seat: sorted(ss, key=lambda s: s.start) for seat, ss in by_seat.items()}
        self._starts = {seat: [s.start for s in ss] for seat, ss in self._spans.items()}

    def agent_at(self, seat: str, at: datetime) -> tuple[str | None, str | None]:
        i = bisect_right(self._starts.get(seat, []), at) - 1
        if i >= 0:
            s = self._spans[seat][i]
            if s.start <= at < s.end:
                return s.agent, s.group
        return None, None


def agent_figures(spans: list[Span], calls: Iterable[CallRow], start: datetime, end: datetime) -> list[dict]:
    """Per (seat, agent): calls answered in the period, AHT = (talk + wrap-up) / calls handled, occupancy =
    (talking + wrap-up) / staffed time (available, ringing, talking, wrap-up), not-ready and logged-in time."""
    rows: dict[tuple[str, str | None], dict] = {}

    def row(seat: str, agent: str | None, group: str | None) -> dict:
        key = (seat, agent)
        if key not in rows:
            rows[key] = {"seat": seat, "agent": agent, "group": group, "calls_answered": 0, "calls_handled": 0,
                         "talk_s": 0.0, "state_s": defaultdict(float)}
        if rows[key]["group"] is None:
            rows[key]["group"] = group
        return rows[key]

    for s in spans:
        row(s.seat, s.agent, s.group)["state_s"][s.state] += s.seconds
    seats = _SeatSpans(spans)
    for c in calls:
        if c.seat is None or c.answered_at is None or not start <= c.answered_at < end:
            continue
        agent, group = seats.agent_at(c.seat, c.answered_at)
        r = row(c.seat, agent, group)
        r["calls_answered"] += 1
        if c.ended_at is not None:
            r["calls_handled"] += 1
            r["talk_s"] += (c.ended_at - c.answered_at).total_seconds()
    out = []
    for (seat, agent), r in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        st = r["state_s"]
        wrap = st[SeatState.wrap_up]
        staffed = sum(st[s] for s in STAFFED)
        busy = sum(st[s] for s in BUSY)
        out.append({
            "seat": seat, "agent": agent, "group": r["group"], "calls_answered": r["calls_answered"],
            "aht_s": round((r["talk_s"] + wrap) / r["calls_handled"], 1) if r["calls_handled"] else None,
            "talk_s": round(r["talk_s"], 1), "wrap_up_s": round(wrap, 1),
            "occupancy": round(busy / staffed, 4) if staffed else None,
            "not_ready_s": round(st[SeatState.not_ready], 1),
            "logged_in_s": round(staffed + st[SeatState.not_ready], 1)})
    return out


def dispatcher_figures(assignments: Iterable[Assignment], escalations: dict[int, int]) -> list[dict]:
    """Per dispatcher: the distinct orders they assigned in the period; of those arrived, the share on time
    (arrived by the arrival limit); the 催办 escalations on those orders."""
    orders: dict[str, dict[int, Assignment]] = defaultdict(dict)
    for a in assignments:
        orders[a.dispatcher][a.order_id] = a
    out = []
    for name in sorted(orders):
        mine = orders[name].values()
        arrived = [a for a in mine if a.arrived_at is not None]
        on_time = sum(a.arrived_at <= a.arrival_due for a in arrived)
        out.append({"dispatcher": name, "orders_dispatched": len(orders[name]), "arrived": len(arrived),
                    "on_time": on_time, "on_time_rate": round(on_time / len(arrived), 4) if arrived else None,
                    "escalations": sum(escalations.get(a.order_id, 0) for a in mine)})
    return out


def crew_figures(orders: Iterable[WorkOrder], teams: dict[str, tuple[str, str]]) -> list[dict]:
    """Per crew: orders it holds that were dispatched in the period, arrived, on time, restored."""
    rows: dict[str, dict] = {}
    for o in orders:
        if o.crew_id is None:
            continue
        name, team = teams.get(o.crew_id, (o.crew_id, None))
        r = rows.setdefault(o.crew_id, {"crew": o.crew_id, "name": name, "team": team, "orders": 0, "arrived": 0,
                                        "on_time": 0, "restored": 0})
        r["orders"] += 1
        if o.arrived_at is not None:
            r["arrived"] += 1
            r["on_time"] += o.arrived_at <= o.arrival_due
        r["restored"] += o.restored_at is not None
    for r in rows.values():
        r["on_time_rate"] = round(r["on_time"] / r["arrived"], 4) if r["arrived"] else None
    return [rows[k] for k in sorted(rows)]


def load_seat_marks(session: Session, start: datetime, end: datetime) -> list[SeatMark]:
    """The seat log (pushed `seat` changes, logged when received) from LOOKBACK before `start` to LOOKBACK after
    `end` (a switch may send late), each mark at its own `since`; and each seat's current row (a seat set up
    without passing through the log)."""
    marks: dict[tuple[str, datetime], SeatMark] = {}
    logged = session.execute(select(EventLog.data).where(
        EventLog.kind == "seat", EventLog.at >= start - LOOKBACK, EventLog.at < end + LOOKBACK).order_by(EventLog.id))
    for (data,) in logged:
        if not data or not data.get("since"):
            continue
        since = datetime.fromisoformat(data["since"].replace("Z", "+00:00"))
        if since >= end:
            continue
        marks[(data["id"], since)] = SeatMark(data["id"], data.get("agent"), data.get("group") or "",
                                              data.get("state") or "", since)
    for seat in session.scalars(select(Seat).where(Seat.since < end)):
        marks.setdefault((seat.id, seat.since), SeatMark(seat.id, seat.agent, seat.group, seat.state, seat.since))
    return list(marks.values())


def compute_workload(session: Session, start: datetime, end: datetime) -> dict:
    """The period's workload: per seat and agent, per dispatcher, per crew (`end` exclusive; pass min(end, now))."""
    spans = state_spans(load_seat_marks(session, start, end), start, end)
    calls = [CallRow(*r) for r in session.execute(select(Call.seat_id, Call.answered_at, Call.ended_at).where(
        Call.answered_at >= start, Call.answered_at < end))]
    assigned = session.execute(
        select(WorkOrderEvent.actor, WorkOrder.id, WorkOrder.arrived_at, WorkOrder.arrival_due)
        .join(WorkOrder, WorkOrder.id == WorkOrderEvent.workorder_id)
        .where(WorkOrderEvent.action == "assign", WorkOrderEvent.at >= start, WorkOrderEvent.at < end,
               WorkOrderEvent.actor.is_not(None))).all()
    assignments = [Assignment(*r) for r in assigned]
    ids = {a.order_id for a in assignments}
    escalations: dict[int, int] = defaultdict(int)
    if ids:
        for (order_id,) in session.execute(select(WorkOrderEvent.workorder_id).where(
                WorkOrderEvent.action == "escalated", WorkOrderEvent.workorder_id.in_(ids),
                WorkOrderEvent.at < end)):
            escalations[order_id] += 1
    teams = {c.id: (c.name, c.team) for c in session.scalars(select(Crew))}
    dispatched = session.scalars(select(WorkOrder).where(WorkOrder.dispatched_at >= start,
                                                         WorkOrder.dispatched_at < end))
    return {"from": iso(start), "to": iso(end),
            "agents": agent_figures(spans, calls, start, end),
            "dispatchers": dispatcher_figures(assignments, escalations),
            "crews": crew_figures(dispatched, teams)}
