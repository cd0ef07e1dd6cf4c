"""Live staffing: per queue, the agents Erlang C needs now (trailing arrival rate and AHT) against those logged in."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.domain import SeatState
from dashboard.figures.erlang_c import agents_needed, figures, traffic
from dashboard.models import Seat
from dashboard.services.call_figures import call_center_figures
from dashboard.services.callcenter import ServiceLevelRule

LIVE_SEAT_LOOKBACK = timedelta(minutes=10)


def live_staffing(session: Session, now: datetime, rule: ServiceLevelRule) -> list[dict]:
    """Per queue (a seat group of the same name): the arrival rate and AHT of the trailing window, the agents
    needed for the queue's service-level goal, the agents logged in, and the service level those would give."""
    window_s = rule.staffing_window_min * 60.0
    # The live path runs with every KPI push: a seat's state at the window's start is looked for only a few minutes
    # back (enough for a wrap-up under way), not the day the period figures search.
    trailing = call_center_figures(session, now - timedelta(seconds=window_s), now, target_s=rule.target_s,
                                   short_abandon_s=rule.short_abandon_s, seat_lookback=LIVE_SEAT_LOOKBACK)
    by_queue = {q["id"]: q for q in trailing["queues"]}
    logged_in = dict(session.execute(select(Seat.group, func.count()).where(
        Seat.state != SeatState.logged_out).group_by(Seat.group)).all())
    out = []
    for name in sorted(set(by_queue) | set(logged_in)):
        q = by_queue.get(name) or {"offered": 0, "aht_s": None}
        calls_per_hour = q["offered"] * 3600.0 / window_s
        aht_s = q["aht_s"] if q["aht_s"] else rule.default_aht_s  # no call handled in the window: the default
        a = traffic(calls_per_hour, aht_s)
        needed = agents_needed(a, aht_s, rule.goal, rule.target_s)
        have = int(logged_in.get(name, 0))
        _, expected, _, _ = figures(have, a, aht_s, rule.target_s)
        out.append({"id": name, "calls_per_hour": round(calls_per_hour, 1), "aht_s": round(aht_s, 1),
                    "aht_measured": bool(q["aht_s"]), "traffic_erlangs": round(a, 3), "agents_needed": needed,
                    "agents_logged_in": have, "short": needed is None or needed > have,
                    "service_level_expected": round(expected, 4), "goal": rule.goal, "target_s": rule.target_s})
    return out
