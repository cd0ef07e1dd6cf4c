"""Call-center measures read straight from the tables: the calls' counts and sums, the seats' seconds per state
(definitions: docs/figures.md, "Call center"); the roll-up and the period figures are built on these."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from dashboard.domain import SeatState
from dashboard.models import Call, EventLog
from dashboard.services.sqltime import seconds_between

# A seat's state at the start of a period is its last logged state before it, looked for this far back; a seat
# silent for longer counts as logged out until its next event.
SEAT_LOOKBACK = timedelta(days=1)
# Seat events logged this long after the period's end may still belong to it (a late report): they are read.
LATE_SEAT_EVENTS = timedelta(minutes=5)
# Where a write session notes the calls it changed, (offered_at, queue), for the roll-up's hook (call_rollup).
TOUCHED_CALLS = "calls_touched"
BUSY = (SeatState.talking, SeatState.wrap_up)  # handling a call
READY = (SeatState.available, SeatState.ringing, SeatState.talking, SeatState.wrap_up)  # logged in, not not_ready


def note_touched_calls(session: Session, calls: Iterable[Call]) -> None:
    """Tell the roll-up's change hook which calls this transaction changed (their hours may be closed already)."""
    session.info.setdefault(TOUCHED_CALLS, []).extend((c.offered_at, c.queue) for c in calls)


def period_columns(session: Session, in_period, target_s: float, short_abandon_s: float) -> list:
    """The aggregates over the calls offered in a period (`in_period`, a condition), in this order: offered,
    answered, answered within target_s, abandoned, short-abandoned, total wait of the answered, handled (answered
    and ended), total talk of the handled. Shared by the live queue figures and the period figures."""
    answered = and_(in_period, Call.answered_at.is_not(None))
    abandoned = and_(in_period, Call.abandoned_at.is_not(None), Call.answered_at.is_(None))
    handled = and_(answered, Call.ended_at.is_not(None))
    wait_s = seconds_between(session, Call.answered_at, Call.offered_at)
    count = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    return [count(in_period), count(answered), count(and_(answered, wait_s <= target_s)), count(abandoned),
            count(and_(abandoned, seconds_between(session, Call.abandoned_at, Call.offered_at) < short_abandon_s)),
            func.sum(case((answered, wait_s))), count(handled),
            func.sum(case((handled, seconds_between(session, Call.ended_at, Call.answered_at))))]


def queue_figures_from(c: list[float], seat_s: dict[str, float]) -> dict:
    """The figures from period_columns' aggregates and the seconds spent in each seat state."""
    offered, answered, in_target, abandoned, short, wait_total, handled, talk_total = c
    counted = answered + abandoned - short  # the service level's denominator: short abandons left out
    wrap_total = seat_s.get(SeatState.wrap_up, 0.0)
    ready = sum(seat_s.get(s, 0.0) for s in READY)
    ratio = lambda a, b, digits=4: round(a / b, digits) if b > 0 else None  # noqa: E731
    return {
        "offered": int(offered), "answered": int(answered), "abandoned": int(abandoned),
        "short_abandoned": int(short), "answered_in_target": int(in_target), "handled": int(handled),
        "answer_rate": ratio(answered, offered), "service_level": ratio(in_target, counted),
        "abandon_rate": ratio(abandoned, answered + abandoned), "asa_s": ratio(wait_total, answered, 1),
        "talk_s": ratio(talk_total, handled, 1), "wrap_up_s": ratio(wrap_total, handled, 1),
        "aht_s": ratio(talk_total + wrap_total, handled, 1),
        "occupancy": ratio(sum(seat_s.get(s, 0.0) for s in BUSY), ready),
        "logged_in_s": round(ready + seat_s.get(SeatState.not_ready, 0.0), 1),
    }


def seat_seconds(session: Session, start: datetime, end: datetime,
                 lookback: timedelta = SEAT_LOOKBACK) -> dict[str, dict[str, float]]:
    """Seconds each seat group spent in each state within [start, end), from the seats' changes in the event log;
    a seat's state at `start` is its last change within `lookback` before."""
    seat = EventLog.kind == "seat"
    # Two plain reads, not one with an OR: PostgreSQL scanned the whole log for `id IN (…) OR at BETWEEN …`.
    last_ids = session.scalars(select(func.max(EventLog.id)).where(
        seat, EventLog.at >= start - lookback, EventLog.at < start).group_by(EventLog.entity_id)).all()
    before = session.execute(select(EventLog.id, EventLog.entity_id, EventLog.data).where(
        EventLog.id.in_(last_ids))).all() if last_ids else []
    within = session.execute(select(EventLog.id, EventLog.entity_id, EventLog.data).where(
        seat, EventLog.at >= start, EventLog.at < end + LATE_SEAT_EVENTS)).all()
    rows = sorted({r.id: r for r in [*before, *within]}.values(), key=lambda r: r.id)
    events = [(r.entity_id, r.data["group"], r.data["state"], parse_since(r.data["since"])) for r in rows if r.data]
    return state_seconds(events, start, end)


def state_seconds(events: Iterable[tuple[str, str, str, datetime]], start: datetime,
                  end: datetime) -> dict[str, dict[str, float]]:
    """{group: {state: seconds}} within [start, end) from (seat, group, state, since) events: each state lasts
    from its `since` until the seat's next event (or `end`)."""
    by_seat: dict[str, list[tuple[datetime, str, str]]] = defaultdict(list)
    for seat_id, group, state, since in events:
        by_seat[seat_id].append((since, group, state))
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for changes in by_seat.values():
        changes.sort(key=lambda e: e[0])  # stable: two events at one instant keep their logged order
        for k, (since, group, state) in enumerate(changes):
            until = changes[k + 1][0] if k + 1 < len(changes) else end
            seconds = (min(until, end) - max(since, start)).total_seconds()
            if seconds > 0:
                out[group][state] += seconds
    return {g: dict(s) for g, s in out.items()}


def parse_since(value: str) -> datetime:
    at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)
