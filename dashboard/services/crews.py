"""Crews: registration from the workforce system and GPS positions from their terminals."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.domain import CrewStatus
from dashboard.errors import Invalid
from dashboard.events import Change, EventBus
from dashboard.models import Crew
from dashboard.schemas import CrewIn, PositionIn
from dashboard.services.changes import commit_and_publish
from dashboard.services.batch import CLOCK_SKEW, rejected, summarize, validate_items
from dashboard.services.grid_catalog import GridCatalog
from dashboard.views import crew_change
from geo.crs import to_wgs84


def upsert_crew(session: Session, bus: EventBus, catalog: GridCatalog, crew_id: str, body: CrewIn,
                now: datetime) -> tuple[Crew, bool]:
    if body.base_grid_id is not None and body.base_grid_id not in catalog.info:
        raise Invalid(f"unknown grid {body.base_grid_id!r}",
                      details=[{"field": "base_grid_id", "message": "no such grid"}])
    crew = session.get(Crew, crew_id)
    created = crew is None
    if created:
        crew = Crew(id=crew_id, status=CrewStatus.off_duty, updated_at=now)
        session.add(crew)
    crew.name, crew.team, crew.skills, crew.members = body.name, body.team, list(body.skills), body.members
    crew.phone, crew.base_grid_id, crew.on_duty = body.phone, body.base_grid_id, body.on_duty
    if crew.workorder_id is None:
        crew.status = CrewStatus.available if body.on_duty else CrewStatus.off_duty
    crew.updated_at = now
    session.flush()
    commit_and_publish(session, bus, [crew_change(crew, catalog.district_of(crew.grid_id, crew.base_grid_id))], now)
    return crew, created


def record_positions(session: Session, bus: EventBus, catalog: GridCatalog, items: list,
                     now: datetime) -> dict:
    """Store the newest position of each crew; an older one than stored is ignored, not an error."""
    valid, results = validate_items(items, PositionIn)
    crews = {c.id: c for c in session.scalars(select(Crew).where(Crew.id.in_({p.crew_id for _, p in valid})))}
    if valid:
        lons, lats = [], []
        for _, p in valid:
            lon, lat = to_wgs84(p.lon, p.lat, p.crs)
            lons.append(float(lon))
            lats.append(float(lat))
        grid_ids = catalog.index.locate_points(lons, lats)
    changes: dict[str, Change] = {}
    for (index, p), lon, lat, grid_id in zip(valid, lons if valid else [], lats if valid else [],
                                             grid_ids if valid else []):
        crew = crews.get(p.crew_id)
        if crew is None:
            results.append(rejected(index, "not_found", f"crew {p.crew_id!r} not found"))
            continue
        if p.at > now + CLOCK_SKEW:
            results.append(rejected(index, "validation_failed", "at is in the future"))
            continue
        if crew.position_at is not None and p.at <= crew.position_at:
            results.append({"index": index, "status": "ignored"})
            continue
        crew.lon, crew.lat, crew.grid_id, crew.position_at = lon, lat, grid_id, p.at
        crew.speed_kmh, crew.heading, crew.updated_at = p.speed_kmh, p.heading, now
        changes[crew.id] = crew_change(crew, catalog.district_of(crew.grid_id, crew.base_grid_id))
        results.append({"index": index, "status": "stored"})
    commit_and_publish(session, bus, list(changes.values()), now)
    return summarize(results)
