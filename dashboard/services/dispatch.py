"""Dispatch support: the available crews for an order, ranked by skill, estimated arrival and today's workload."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.domain import OPEN_STATUSES, AreaClass, CrewStatus
from dashboard.models import Crew, WorkOrder
from dashboard.services.workorders import get_order
from geo.distance import haversine_km

ROAD_FACTOR = 1.35  # straight line to road distance, typical for a city grid
SPEED_KMH = {AreaClass.urban: 25.0, AreaClass.rural: 45.0, AreaClass.remote: 35.0}
TURNOUT_MIN = 5.0  # minutes from accepting to rolling
# Each order a crew has already had today counts as this many minutes of extra distance: near-equal crews share
# the storm instead of the nearest one working all night.
WORKLOAD_MIN = 3.0
SKILL_FOR = {"hv": "hv", "lv": "lv", "power_quality": "lv", "meter": "meter", "hazard": "hv"}


def eta_minutes(distance_km, area_class: str) -> np.ndarray:
    return TURNOUT_MIN + np.asarray(distance_km) * ROAD_FACTOR / SPEED_KMH[AreaClass(area_class)] * 60.0


def _workload(session: Session, crew_ids: list[str], since: datetime) -> tuple[dict[str, int], dict[str, int]]:
    """Per crew: orders it holds open now, and orders dispatched to it since `since` (today)."""
    open_now = dict(session.execute(select(WorkOrder.crew_id, func.count()).where(
        WorkOrder.crew_id.in_(crew_ids), WorkOrder.status.in_([s.value for s in OPEN_STATUSES]))
        .group_by(WorkOrder.crew_id)).all())
    today = dict(session.execute(select(WorkOrder.crew_id, func.count()).where(
        WorkOrder.crew_id.in_(crew_ids), WorkOrder.dispatched_at >= since).group_by(WorkOrder.crew_id)).all())
    return open_now, today


def rank_candidates(session: Session, order_id: int, limit: int = 10, *, since: datetime | None = None) -> list[dict]:
    """The available on-duty crews with a position, best first: the right skill for the category, then the
    estimated arrival (straight line × a road factor at the area class's speed, plus turnout), lengthened by
    today's workload. Each says why it ranks there (its distance, ETA, skill and workload)."""
    order = get_order(session, order_id)
    crews = session.execute(select(Crew.id, Crew.name, Crew.team, Crew.skills, Crew.members, Crew.phone, Crew.lon,
                                   Crew.lat).where(Crew.on_duty.is_(True), Crew.status == CrewStatus.available,
                                                   Crew.lon.is_not(None))).all()
    if not crews:
        return []
    km = haversine_km(np.fromiter((c.lon for c in crews), float, len(crews)),
                      np.fromiter((c.lat for c in crews), float, len(crews)), order.lon, order.lat)
    eta = eta_minutes(km, order.area_class)
    needed = SKILL_FOR.get(order.category)
    match = np.fromiter((needed is None or needed in (c.skills or []) for c in crews), bool, len(crews))
    since = since or order.reported_at - timedelta(hours=24)
    ids = [c.id for c in crews]
    best, open_now, today = pick_best(eta, match, ids, limit, lambda chosen: _workload(session, chosen, since))
    return [{"crew_id": crews[i].id, "name": crews[i].name, "team": crews[i].team,
             "skills": list(crews[i].skills or []), "members": crews[i].members, "phone": crews[i].phone,
             "lon": crews[i].lon, "lat": crews[i].lat, "distance_km": round(float(km[i]), 2),
             "eta_min": round(float(eta[i]), 1), "skill_match": bool(match[i]),
             "open_orders": int(open_now.get(crews[i].id, 0)), "orders_today": int(today.get(crews[i].id, 0))}
            for i in best]


def pick_best(eta: np.ndarray, match: np.ndarray, ids: list[str], limit: int,
              workload: Callable[[list[str]], tuple[dict[str, int], dict[str, int]]]) -> tuple[list[int], dict, dict]:
    """The indices of the best `limit` crews by (skill match, ETA + workload today, id), and the workloads read.
    Workload only lengthens an ETA, so the best come from the nearest crews: score a window of them and widen it
    until no crew outside could still beat the last one chosen (2,000 crews on duty: usually one window of 32)."""
    by_eta = np.lexsort((eta, ~match))
    window = max(4 * limit, 32)
    while True:
        near = [int(i) for i in by_eta[:window]]
        open_now, today = workload([ids[i] for i in near])

        def key(i: int) -> tuple:
            return not match[i], float(eta[i]) + WORKLOAD_MIN * today.get(ids[i], 0), ids[i]
        best = sorted(near, key=key)[:limit]
        if window >= len(by_eta):
            return best, open_now, today
        first_out = int(by_eta[window])
        if len(best) == limit and key(best[-1])[:2] < (not match[first_out], float(eta[first_out])):
            return best, open_now, today
        window *= 4
