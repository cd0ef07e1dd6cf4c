"""The call-center roll-up: per local hour, the calls offered per queue (counts and sums at the configured
thresholds) and the seats' seconds per group and state, closed hour by hour by a change hook, kept right for late
data, and rebuildable from the records (docs/figures.md, "Call-center roll-up")."""
from __future__ import annotations

import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from dashboard.domain import SeatState
from dashboard.events import Change
from dashboard.models import Call, CallHour, EventLog, Meta, SeatHour
from dashboard.services.call_tables import (LATE_SEAT_EVENTS, SEAT_LOOKBACK, TOUCHED_CALLS, parse_since,
                                            period_columns, state_seconds)
from dashboard.services.callcenter import ServiceLevelRule
from dashboard.services.rollups import RebuildScope, register

HOUR = timedelta(hours=1)
STATE_KEY = "call_hourly"  # the Meta row holding the roll-up's parameters and how far it is closed
# An hour is closed this long after the seat events' late window has passed: a write that began before the window
# ended (its log time inside it) has committed by then.
CLOSE_MARGIN = timedelta(minutes=1)
CALL_COLUMNS = ("offered", "answered", "answered_in_target", "abandoned", "short_abandoned", "wait_s", "handled",
                "talk_s")  # period_columns' order


@dataclass(frozen=True)
class Params:
    """What the roll-up's numbers depend on besides the records: a request with others reads the tables."""
    target_s: float
    short_abandon_s: float
    timezone: str
    lookback_s: float = SEAT_LOOKBACK.total_seconds()


@dataclass(frozen=True)
class State:
    params: Params
    through: datetime  # every local hour before this one is rolled up


def hour_floor(at: datetime, tz: str) -> datetime:
    """The start (UTC) of the local hour holding `at`."""
    local = at.astimezone(ZoneInfo(tz))
    return local.replace(minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def hour_ceil(at: datetime, tz: str) -> datetime:
    floor = hour_floor(at, tz)
    return floor if floor == at else floor + HOUR


def hours(start: datetime, end: datetime) -> list[datetime]:
    """The hour starts in [start, end) from an hour-aligned start."""
    out, h = [], start
    while h < end:
        out.append(h)
        h += HOUR
    return out


def close_target(now: datetime, tz: str) -> datetime:
    """The hours before this one can be closed at `now`: no seat event logged from now on is read for them."""
    return hour_floor(now - LATE_SEAT_EVENTS - CLOSE_MARGIN, tz)


# --- state -------------------------------------------------------------------------------------------------------

def read_state(session: Session, *, lock: bool = False) -> State | None:
    stmt = select(Meta.value).where(Meta.key == STATE_KEY)
    if lock:  # PostgreSQL: one writer at a time closes hours or refreshes them (SQLite has a single writer anyway)
        stmt = stmt.with_for_update()
    raw = session.scalar(stmt)
    if raw is None:
        return None
    v = json.loads(raw)
    return State(Params(**v["params"]), datetime.fromisoformat(v["through"]))


def write_state(session: Session, state: State) -> None:
    session.merge(Meta(key=STATE_KEY, value=json.dumps({"params": asdict(state.params),
                                                        "through": state.through.isoformat()})))


# --- computing hours from the records ----------------------------------------------------------------------------

def call_rows(session: Session, hour_starts: Iterable[datetime], params: Params,
              queues: Iterable[str] | None = None) -> list[dict]:
    """The call part of these hours, from the calls table (period_columns, so equal to the straight figures)."""
    out = []
    for h in hour_starts:
        in_hour = and_(Call.offered_at >= h, Call.offered_at < h + HOUR)
        stmt = (select(Call.queue, *period_columns(session, in_hour, params.target_s, params.short_abandon_s))
                .where(in_hour).group_by(Call.queue))
        if queues is not None:
            stmt = stmt.where(Call.queue.in_(list(queues)))
        day = h.astimezone(ZoneInfo(params.timezone)).date()
        for queue, *values in session.execute(stmt):
            out.append({"hour": h, "queue": queue, "day": day} | {
                k: float(v or 0) if k.endswith("_s") else int(v or 0) for k, v in zip(CALL_COLUMNS, values)})
    return out


def seat_rows(session: Session, start: datetime, end: datetime, params: Params) -> list[dict]:
    """The seat part of the hours in [start, end): each hour by seat_seconds' rule (a seat's state at the hour's
    start is its latest change logged within the lookback before; changes logged up to LATE_SEAT_EVENTS after the
    hour's end are read), from one read of the seat log."""
    lookback = timedelta(seconds=params.lookback_s)
    by_seat: dict[str, list[tuple]] = defaultdict(list)
    for id_, at, seat, data in session.execute(
            select(EventLog.id, EventLog.at, EventLog.entity_id, EventLog.data).where(
                EventLog.kind == "seat", EventLog.at >= start - lookback, EventLog.at < end + LATE_SEAT_EVENTS)
            .order_by(EventLog.id)):
        by_seat[seat].append((at, id_, data))
    timelines = []
    for seat, rows in by_seat.items():
        rows.sort(key=lambda r: (r[0], r[1]))
        marks = [None if not d else (seat, d["group"], d["state"], parse_since(d["since"])) for _, _, d in rows]
        timelines.append(([r[0] for r in rows], marks))
    out = []
    for h in hours(start, end):
        events = []
        for ats, marks in timelines:
            lo, mid = bisect_left(ats, h - lookback), bisect_left(ats, h)
            hi = bisect_left(ats, h + HOUR + LATE_SEAT_EVENTS)
            chosen = ([marks[mid - 1]] if mid > lo else []) + marks[mid:hi]
            events += [m for m in chosen if m is not None]
        for group, by_state in state_seconds(events, h, h + HOUR).items():
            out.append({"hour": h, "grp": group} | {f"{st}_s": by_state.get(st, 0.0) for st in SeatState})
    return out


def roll_up(session: Session, start: datetime, end: datetime, params: Params) -> int:
    """(Re)write the roll-up's rows of the hours in [start, end) from the records; rows written."""
    if start >= end:
        return 0
    session.execute(delete(CallHour).where(CallHour.hour >= start, CallHour.hour < end))
    session.execute(delete(SeatHour).where(SeatHour.hour >= start, SeatHour.hour < end))
    written = 0
    day = timedelta(days=1)
    for chunk in hours(start, end)[::24]:  # a day at a time: a year of seat changes need not sit in memory at once
        chunk_end = min(chunk + day, end)
        any_call = session.scalar(select(Call.id).where(Call.offered_at >= chunk, Call.offered_at < chunk_end)
                                  .limit(1)) is not None  # an idle day (or a clock far ahead) costs one look
        calls = call_rows(session, hours(chunk, chunk_end), params) if any_call else []
        seats = seat_rows(session, chunk, chunk_end, params)
        if calls:
            session.execute(insert(CallHour), calls)
        if seats:
            session.execute(insert(SeatHour), seats)
        written += len(calls) + len(seats)
    return written


def refresh_calls(session: Session, keys: Iterable[tuple[datetime, str]], params: Params) -> None:
    """Rewrite the call part of these (hour, queue) cells from the calls table (late data for a closed hour)."""
    by_hour: dict[datetime, set[str]] = defaultdict(set)
    for h, q in keys:
        by_hour[h].add(q)
    for h, queues in by_hour.items():
        session.execute(delete(CallHour).where(CallHour.hour == h, CallHour.queue.in_(queues)))
        rows = call_rows(session, [h], params, queues)
        if rows:
            session.execute(insert(CallHour), rows)


def refresh_seats(session: Session, start: datetime, end: datetime, params: Params) -> None:
    session.execute(delete(SeatHour).where(SeatHour.hour >= start, SeatHour.hour < end))
    rows = seat_rows(session, start, end, params)
    if rows:
        session.execute(insert(SeatHour), rows)


# --- keeping it current ------------------------------------------------------------------------------------------

class CallRollupHook:
    """A change hook (Database.add_change_hook): in the writing transaction, closes the hours whose seat log can no
    longer change, and rewrites a closed hour a write touched (a call offered then answered or ended late, a seat
    change logged for it late), so the roll-up always equals the records."""

    def __init__(self) -> None:
        # The state as this process last read or wrote it: most commits need no read at all. Safe when stale:
        # `through` only grows towards close_target(at), and a cached one short of it, or a write touching an hour
        # before it, takes the locked path below, which reads the state again.
        self._state: State | None = None

    def __call__(self, session: Session, changes: Sequence[Change], at: datetime):
        state = self._state or read_state(session)
        if state is None:
            return None  # not built yet: ensure() builds it at start
        self._state = state
        tz = state.params.timezone
        calls = session.info.pop(TOUCHED_CALLS, [])
        seat_logged = any(c.kind == "seat" for c in changes)
        first_seat_hour = hour_floor(at - LATE_SEAT_EVENTS, tz)
        touched = {(hour_floor(offered, tz), queue) for offered, queue in calls if offered is not None}
        late = any(h < state.through for h, _ in touched) or (seat_logged and first_seat_hour < state.through)
        if not late and state.through >= close_target(at, tz):
            return None
        session.flush()
        state = self._state = read_state(session, lock=True)
        if state is None:
            return None  # dropped meanwhile (a rebuild under way elsewhere): it rebuilds what this would have
        through = state.through
        if seat_logged and first_seat_hour < through:
            # A change logged at `at` is read by the hours around it and, as the state before, by those within
            # the lookback after it.
            refresh_seats(session, first_seat_hour,
                          min(through, hour_floor(at + timedelta(seconds=state.params.lookback_s), tz) + HOUR),
                          state.params)
        refresh_calls(session, {k for k in touched if k[0] < through}, state.params)
        target = close_target(at, tz)
        if through < target:
            roll_up(session, through, target, state.params)
            state = State(state.params, target)
            write_state(session, state)
        self._state = state
        return None


def params_of(rule: ServiceLevelRule) -> Params:
    """The roll-up's parameters from a ServiceLevelRule."""
    return Params(float(rule.target_s), float(rule.short_abandon_s), rule.timezone)


def _first_hour(session: Session, tz: str) -> datetime | None:
    first_call = session.scalar(select(func.min(Call.offered_at)))
    first_seat = session.scalar(select(func.min(EventLog.at)).where(EventLog.kind == "seat"))
    firsts = [parse_since(v) if isinstance(v, str) else v for v in (first_call, first_seat) if v is not None]
    if not firsts:
        return None
    if firsts[0].tzinfo is None:
        firsts = [f.replace(tzinfo=timezone.utc) for f in firsts]
    return hour_floor(min(firsts) - HOUR - LATE_SEAT_EVENTS, tz)


def build(session: Session, params: Params, now: datetime) -> int:
    """Rebuild the whole roll-up with these parameters, closed up to now; rows written."""
    session.execute(delete(CallHour))
    session.execute(delete(SeatHour))
    target = close_target(now, params.timezone)
    first = _first_hour(session, params.timezone)
    written = roll_up(session, first, target, params) if first is not None and first < target else 0
    write_state(session, State(params, target))
    return written


def ensure(session: Session, rule: ServiceLevelRule, now: datetime, *, force: bool = False) -> int:
    """At start: build the roll-up when it is missing (the first start after its migration) or was built with other
    thresholds, time zone or lookback (a configuration change), or when `force`d (records were written past the
    hook); rows written (0 when it was current)."""
    params = params_of(rule)
    state = read_state(session)
    if state is not None and state.params == params and not force:
        return 0
    return build(session, params, now)


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, datetime.min.time(), ZoneInfo(tz)).astimezone(timezone.utc)


@register("call_hourly")
def rebuild(session: Session, scope: RebuildScope) -> int:
    """Rewrite the roll-up's closed hours of the local days in scope from the records (all of it, with the hours
    up to now closed, when unscoped or never built)."""
    state = read_state(session)
    if state is None or (scope.start is None and scope.end is None):
        # Never built (the app never started since the upgrade): the default thresholds; a start with others
        # rebuilds it at those.
        params = state.params if state is not None else params_of(ServiceLevelRule(timezone=scope.timezone))
        return build(session, params, scope.now)
    tz = state.params.timezone
    start = _midnight(scope.start, tz) if scope.start is not None else _first_hour(session, tz) or state.through
    end = min(_midnight(scope.end + timedelta(days=1), tz) if scope.end is not None else state.through,
              state.through)
    return roll_up(session, start, end, state.params)


# --- reading -----------------------------------------------------------------------------------------------------

def covered(state: State | None, params: Params, start: datetime, end: datetime) -> tuple[datetime, datetime] | None:
    """The whole rolled-up hours [hs, he) inside [start, end) when the roll-up answers these parameters."""
    if state is None or state.params != params:
        return None
    hs = hour_ceil(start, params.timezone)
    he = min(hour_floor(end, params.timezone), state.through)
    return (hs, he) if hs < he else None


def call_sums(session: Session, start: datetime, end: datetime, queues: Iterable[str] | None,
              by: str | None = None) -> dict:
    """{queue: [8 sums]} over the rolled-up hours in [start, end); by "hour" or "day" (local), {hour or day: sums}
    over the queues."""
    key = {None: CallHour.queue, "hour": CallHour.hour, "day": CallHour.day}[by]
    stmt = (select(key, *(func.sum(getattr(CallHour, c)) for c in CALL_COLUMNS))
            .where(CallHour.hour >= start, CallHour.hour < end).group_by(key))
    if queues is not None:
        stmt = stmt.where(CallHour.queue.in_(list(queues)))
    return {r[0]: [float(x or 0) for x in r[1:]] for r in session.execute(stmt)}


def seat_sums(session: Session, start: datetime, end: datetime) -> dict[str, dict[str, float]]:
    """{group: {state: seconds}} over the rolled-up hours in [start, end)."""
    states = list(SeatState)
    out = {}
    for grp, *sums in session.execute(
            select(SeatHour.grp, *(func.sum(getattr(SeatHour, f"{st}_s")) for st in states))
            .where(SeatHour.hour >= start, SeatHour.hour < end).group_by(SeatHour.grp)):
        out[grp] = {st: float(v) for st, v in zip(states, sums) if v}  # as seat_seconds: only the states held
    return out


def pieces_outside(start: datetime, end: datetime, cover: tuple[datetime, datetime] | None) -> list:
    """The parts of [start, end) the roll-up does not cover (read from the tables)."""
    if cover is None:
        return [(start, end)] if start < end else []
    hs, he = cover
    return [(a, b) for a, b in ((start, hs), (he, end)) if a < b]


def in_pieces(pieces: Sequence[tuple[datetime, datetime]]):
    return or_(*(and_(Call.offered_at >= a, Call.offered_at < b) for a, b in pieces))
