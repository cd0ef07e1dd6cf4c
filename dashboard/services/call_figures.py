"""Call-center figures for any period [start, end): per queue and overall, and as an hourly or daily series — the
roll-up for the whole hours it has closed, the calls and the seat log for the rest (definitions: docs/figures.md,
"Call center" and "Call-center roll-up")."""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import Call
from dashboard.services import call_rollup
from dashboard.services.call_rollup import HOUR, Params, covered, hour_floor, pieces_outside
# The straight measures, imported from here by the live queue figures and the tests.
from dashboard.services.call_tables import (BUSY, LATE_SEAT_EVENTS, READY, SEAT_LOOKBACK,  # noqa: F401
                                            period_columns, queue_figures_from, seat_seconds, state_seconds)
from dashboard.timeutil import iso

ZERO = [0.0] * 8


def _add(into: dict, more: dict) -> dict:
    for key, values in more.items():
        into[key] = [a + b for a, b in zip(into.get(key, ZERO), values)]
    return into


def _add_seats(into: dict, more: dict) -> dict:
    for group, by_state in more.items():
        mine = into.setdefault(group, {})
        for state, s in by_state.items():
            mine[state] = mine.get(state, 0.0) + s
    return into


def table_counts(session: Session, pieces, target_s: float, short_abandon_s: float,
                 queues: list[str] | None) -> dict[str, list[float]]:
    """{queue: period_columns' 8 aggregates} over the calls offered in these [a, b) pieces, from the calls table."""
    if not pieces:
        return {}
    in_period = call_rollup.in_pieces(pieces)
    stmt = (select(Call.queue, *period_columns(session, in_period, target_s, short_abandon_s))
            .where(in_period).group_by(Call.queue))
    if queues is not None:
        stmt = stmt.where(Call.queue.in_(queues))
    return {r[0]: [float(x or 0) for x in r[1:]] for r in session.execute(stmt)}


def period_measures(session: Session, start: datetime, end: datetime, target_s: float, short_abandon_s: float,
                    queues: list[str] | None, seat_lookback: timedelta) -> tuple[dict, dict]:
    """({queue: 8 aggregates}, {group: {state: seconds}}) for [start, end): the roll-up's whole hours when it was
    built with these thresholds and lookback, the tables for the rest."""
    state = call_rollup.read_state(session)
    tz = state.params.timezone if state else "UTC"
    cover = covered(state, Params(float(target_s), float(short_abandon_s), tz, seat_lookback.total_seconds()),
                    start, end)
    rest = pieces_outside(start, end, cover)
    counts = table_counts(session, rest, target_s, short_abandon_s, queues)
    seats: dict = {}
    for a, b in rest:
        _add_seats(seats, seat_seconds(session, a, b, seat_lookback))
    if cover is not None:
        _add(counts, call_rollup.call_sums(session, *cover, queues))
        _add_seats(seats, call_rollup.seat_sums(session, *cover))
    return counts, seats


def call_center_figures(session: Session, start: datetime, end: datetime, *, target_s: float,
                        short_abandon_s: float, queues: Iterable[str] | None = None,
                        seat_lookback: timedelta = SEAT_LOOKBACK) -> dict:
    """Offered, answered, abandoned, answer rate, service level, abandon rate, ASA, AHT and occupancy per queue
    (a queue's seats are the seats of the group of that name) and overall, for the calls offered in [start, end).
    With `queues`, the overall figures are those queues' (their calls and their groups' seats)."""
    wanted = sorted(set(queues)) if queues is not None else None
    counts, seats = period_measures(session, start, end, target_s, short_abandon_s, wanted, seat_lookback)
    return figures_from(start, end, target_s, short_abandon_s, wanted, counts, seats)


def figures_from(start: datetime, end: datetime, target_s: float, short_abandon_s: float,
                 queues: list[str] | None, counts: dict, seats: dict) -> dict:
    """The figures' shape from the measures (shared by the roll-up path and the straight one)."""
    names = queues if queues is not None else sorted(set(counts) | set(seats))
    per_queue = [{"id": q} | queue_figures_from(counts.get(q, ZERO), seats.get(q, {})) for q in names]
    total = [sum(c[i] for c in counts.values()) for i in range(8)] if counts else ZERO
    all_seats: dict[str, float] = defaultdict(float)
    for group, by_state in seats.items():
        if queues is None or group in queues:
            for state, s in by_state.items():
                all_seats[state] += s
    return {"from": iso(start), "to": iso(end), "target_s": target_s, "short_abandon_s": short_abandon_s,
            "queues": per_queue, "overall": queue_figures_from(total, all_seats)}


def straight_figures(session: Session, start: datetime, end: datetime, *, target_s: float, short_abandon_s: float,
                     queues: Iterable[str] | None = None, seat_lookback: timedelta = SEAT_LOOKBACK) -> dict:
    """call_center_figures computed from the tables alone (the reference the roll-up is held to)."""
    wanted = sorted(set(queues)) if queues is not None else None
    counts = table_counts(session, [(start, end)], target_s, short_abandon_s, wanted)
    return figures_from(start, end, target_s, short_abandon_s, wanted, counts,
                        seat_seconds(session, start, end, seat_lookback))


def _bucket_starts(start: datetime, end: datetime, step: str, tz: str) -> list[datetime]:
    zone = ZoneInfo(tz)
    out, at = [], start
    while at < end:
        out.append(at)
        local = at.astimezone(zone)
        if step == "hour":
            nxt = hour_floor(at, tz) + HOUR
        else:
            day = local.replace(hour=0, minute=0, second=0, microsecond=0).date()
            nxt = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).astimezone(start.tzinfo)
        at = nxt
    return out


def call_series(session: Session, start: datetime, end: datetime, step: str, *, target_s: float,
                short_abandon_s: float, timezone: str, queues: Iterable[str] | None = None) -> list[dict]:
    """The calls offered per local hour or day of [start, end) (the first and last buckets clipped to it):
    [{at, offered, answered, abandoned, service_level, answer_rate}], a point for every bucket, empty ones too."""
    if step not in ("hour", "day"):
        raise ValueError(f"step must be hour or day, not {step!r}")
    wanted = sorted(set(queues)) if queues is not None else None
    state = call_rollup.read_state(session)
    cover = covered(state, Params(float(target_s), float(short_abandon_s), timezone), start, end)
    buckets = _bucket_starts(start, end, step, timezone)
    sums = {b: list(ZERO) for b in buckets}

    def add(at: datetime, values: list[float]) -> None:
        b = buckets[bisect_right(buckets, at) - 1]
        sums[b] = [x + y for x, y in zip(sums[b], values)]

    if cover is not None:
        if step == "day":  # the roll-up sums by local day itself: a year is 365 rows, not 8,760
            zone = ZoneInfo(timezone)
            firsts = {b.astimezone(zone).date(): b for b in buckets}
            for day, values in call_rollup.call_sums(session, *cover, wanted, by="day").items():
                add(firsts[day], values)
        else:
            for hour, values in call_rollup.call_sums(session, *cover, wanted, by="hour").items():
                add(hour, values)
    for a, b in pieces_outside(start, end, cover):
        for h in _bucket_starts(a, b, "hour", timezone):
            piece_end = min(hour_floor(h, timezone) + HOUR, b)
            values = table_counts(session, [(h, piece_end)], target_s, short_abandon_s, wanted).values()
            if values:
                add(h, [sum(v[i] for v in values) for i in range(8)])
    return [_point(b, sums[b]) for b in buckets]


def _point(at: datetime, c: list[float]) -> dict:
    offered, answered, in_target, abandoned, short = c[:5]
    counted = answered + abandoned - short
    return {"at": iso(at), "offered": int(offered), "answered": int(answered), "abandoned": int(abandoned),
            "service_level": round(in_target / counted, 4) if counted > 0 else None,
            "answer_rate": round(answered / offered, 4) if offered > 0 else None}
