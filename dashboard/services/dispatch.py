"""Dispatch support: rank the available crews for an order by ETA, skills first."""
from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.domain import AreaClass, CrewStatus
from dashboard.models import Crew
from dashboard.services.workorders import get_order
from geo.distance import haversine_km

ROAD_FACTOR = 1.35  # straight line to road distance, typical for a city grid
SPEED_KMH = {AreaClass.urban: 25.0, AreaClass.rural: 45.0, AreaClass.remote: 35.0}
TURNOUT_MIN = 5.0  # minutes from accepting to rolling
SKILL_FOR = {"hv": "hv", "lv": "lv", "power_quality": "lv", "meter": "meter", "hazard": "hv"}


def eta_minutes(distance_km, area_class: str) -> np.ndarray:
    return TURNOUT_MIN + np.asarray(distance_km) * ROAD_FACTOR / SPEED_KMH[AreaClass(area_class)] * 60.0


def rank_candidates(session: Session, order_id: int, limit: int = 10) -> list[dict]:
    order = get_order(session, order_id)
    crews = session.scalars(select(Crew).where(Crew.on_duty.is_(True), Crew.status == CrewStatus.available,
                                               Crew.lon.is_not(None))).all()
    if not crews:
        return []
    km = haversine_km([c.lon for c in crews], [c.lat for c in crews], order.lon, order.lat)
    eta = eta_minutes(km, order.area_class)
    needed = SKILL_FOR.get(order.category)
    rows = [{"crew_id": c.id, "name": c.name, "team": c.team, "skills": list(c.skills or []),
             "members": c.members, "phone": c.phone, "lon": c.lon, "lat": c.lat,
             "distance_km": round(float(d), 2), "eta_min": round(float(e), 1),
             "skill_match": needed is None or needed in (c.skills or [])}
            for c, d, e in zip(crews, km, eta)]
    rows.sort(key=lambda r: (not r["skill_match"], r["eta_min"]))
    return rows[:limit]
