"""Call center: seat states and call events from the CTI switch; queue figures are derived from the calls."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from dashboard.domain import SERVICE_LEVEL_TARGET, CallEvent
from dashboard.events import Change, EventBus
from dashboard.models import Call, Seat
from dashboard.schemas import CallEventIn, SeatEventIn
from dashboard.services.call_tables import note_touched_calls, period_columns
from dashboard.services.batch import CLOCK_SKEW, rejected, summarize, validate_items
from dashboard.services.changes import commit_and_publish
from dashboard.timeutil import iso, local_day_start
from dashboard.views import seat_change, seat_view


@dataclass(frozen=True)
class ServiceLevelRule:
    target_s: float = 20.0  # 95598 practice: answered within 20 s
    short_abandon_s: float = 5.0  # hang-ups this quick are not counted against the service level
    timezone: str = "Asia/Shanghai"
    goal: float = SERVICE_LEVEL_TARGET  # the share to answer within target_s (80 %): what live staffing aims at
    staffing_window_min: float = 30.0  # live staffing reads the arrival rate and AHT of this trailing window
    default_aht_s: float = 180.0  # the AHT live staffing assumes while the window has no handled call


def record_seat_events(session: Session, bus: EventBus, items: list, now: datetime) -> dict:
    results, changes = [], []
    valid, rejected_items = validate_items(items, SeatEventIn)
    results += rejected_items
    for index, ev in valid:
        if ev.at > now + CLOCK_SKEW:
            results.append(rejected(index, "validation_failed", "at is in the future"))
            continue
        seat = session.get(Seat, ev.seat_id)
        if seat is not None and ev.at < seat.since:
            results.append({"index": index, "status": "ignored"})
            continue
        if seat is None:
            seat = Seat(id=ev.seat_id)
            session.add(seat)
        seat.agent = ev.agent if ev.agent is not None else seat.agent
        seat.group, seat.state, seat.since = ev.group, ev.state, ev.at
        changes.append(seat_change(seat))  # every state in the log (occupancy reads it), not just the last
        results.append({"index": index, "status": "stored"})
    commit_and_publish(session, bus, changes, now)
    return summarize(results)


def record_call_events(session: Session, bus: EventBus, items: list, now: datetime,
                       rule: ServiceLevelRule) -> dict:
    results, queues, touched = [], set(), []
    valid, rejected_items = validate_items(items, CallEventIn)
    results += rejected_items
    for index, ev in valid:
        if ev.at > now + CLOCK_SKEW:
            results.append(rejected(index, "validation_failed", "at is in the future"))
            continue
        call = session.get(Call, ev.call_id)
        if call is None:
            call = Call(id=ev.call_id, queue=ev.queue)
            session.add(call)
        elif call.queue != ev.queue:
            results.append(rejected(index, "conflict", f"call {ev.call_id!r} belongs to queue {call.queue!r}"))
            continue
        field = {CallEvent.offered: "offered_at", CallEvent.answered: "answered_at",
                 CallEvent.abandoned: "abandoned_at", CallEvent.ended: "ended_at"}[ev.event]
        if getattr(call, field) is not None:
            results.append({"index": index, "status": "ignored"})  # a repeated event: the first one stands
            continue
        setattr(call, field, ev.at)
        if ev.seat_id:
            call.seat_id = ev.seat_id
        queues.add(ev.queue)
        touched.append(call)
        results.append({"index": index, "status": "stored"})
    session.flush()
    note_touched_calls(session, touched)
    changes = [Change("queue", "upsert", q["id"], q) for q in queue_figures(session, now, rule, queues)]
    commit_and_publish(session, bus, changes, now)
    return summarize(results)


def queue_figures(session: Session, now: datetime, rule: ServiceLevelRule,
                  queues: set[str] | None = None) -> list[dict]:
    """Per queue: calls waiting now, since when the oldest waits, and today's service level and abandons."""
    day = local_day_start(now, rule.timezone)
    waiting = and_(Call.offered_at.is_not(None), Call.answered_at.is_(None), Call.abandoned_at.is_(None),
                   Call.ended_at.is_(None))
    count = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    stmt = select(
        Call.queue, count(waiting), func.min(case((waiting, Call.offered_at))),
        *period_columns(session, Call.offered_at >= day, rule.target_s, rule.short_abandon_s),
    ).where((Call.offered_at >= day) | waiting).group_by(Call.queue)
    if queues is not None:
        stmt = stmt.where(Call.queue.in_(queues))
    rows = {r[0]: r for r in session.execute(stmt)}
    out = []
    for name in sorted(queues if queues is not None else rows):
        r = rows.get(name) or (name, 0, None, 0, 0, 0, 0, 0, None, 0, None)
        _, n_wait, oldest, offered, n_ans, n_ans_t, n_ab, n_ab_short, wait_total, _, _ = r
        oldest = _aware(oldest)
        counted = (n_ans or 0) + (n_ab or 0) - (n_ab_short or 0)
        out.append({
            "id": name, "waiting": int(n_wait or 0), "oldest_since": iso(oldest),
            "longest_wait_s": round((now - oldest).total_seconds(), 1) if oldest else 0.0,
            "offered_today": int(offered or 0), "answered_today": int(n_ans or 0),
            "abandoned_today": int(n_ab or 0), "short_abandoned_today": int(n_ab_short or 0),
            "answered_in_target_today": int(n_ans_t or 0),
            "service_level": round((n_ans_t or 0) / counted, 4) if counted > 0 else None,
            "abandon_rate": round((n_ab or 0) / ((n_ans or 0) + (n_ab or 0)), 4) if (n_ans or n_ab) else None,
            "asa_s": round(float(wait_total) / n_ans, 1) if n_ans else None,
            "target_s": rule.target_s})
    return out


def _aware(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns min() of a datetime column as text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def list_seats(session: Session) -> list[dict]:
    return [seat_view(s) for s in session.scalars(select(Seat).order_by(Seat.group, Seat.id))]
