"""Dispatch support: the available crews for an order, ranked by skill, estimated arrival and today's workload."""
from __future__ import annotations

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
    crews = session.scalars(select(Crew).where(Crew.on_duty.is_(True), Crew.status == CrewStatus.available,
                                               Crew.lon.is_not(None))).all()
    if not crews:
        return []
    km = haversine_km([c.lon for c in crews], [c.lat for c in crews], order.lon, order.lat)
    eta = eta_minutes(km, order.area_class)
    needed = SKILL_FOR.get(order.category)
    open_now, today = _workload(session, [c.id for c in crews], since or order.reported_at - timedelta(hours=24))
    rows = [{"crew_id": c.id, "name": c.name, "team": c.team, "skills": list(c.skills or []),
             "members": c.members, "phone": c.phone, "lon": c.lon, "lat": c.lat,
             "distance_km": round(float(d), 2), "eta_min": round(float(e), 1),
             "skill_match": needed is None or needed in (c.skills or []),
             "open_orders": int(open_now.get(c.id, 0)), "orders_today": int(today.get(c.id, 0))}
            for c, d, e in zip(crews, km, eta)]
    rows.sort(key=lambda r: (not r["skill_match"], r["eta_min"] + WORKLOAD_MIN * r["orders_today"], r["crew_id"]))
    return rows[:limit]
