"""Calls from inside a planned outage that is under way: the outage is known and wanted, the caller is told, no crew
goes. Planned outages are given as areas (grids or a polygon), not devices, so they are found by where the call is."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shapely import prepared
from shapely.geometry import Point, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.domain import OutageKind, OutageStatus
from dashboard.models import FaultReport, Outage


@dataclass(frozen=True)
class PlannedArea:
    outage_id: int
    grid_ids: frozenset[str]
    polygon: object | None  # a prepared shapely geometry

    def holds(self, grid_id: str | None, lon: float, lat: float) -> bool:
        if self.polygon is not None:
            return self.polygon.contains(Point(lon, lat))
        return grid_id is not None and grid_id in self.grid_ids


def planned_areas(session: Session) -> list[PlannedArea]:
    """The planned outages blacking customers out now (a handful at most: read once per batch)."""
    rows = session.execute(select(Outage.id, Outage.grid_ids, Outage.geometry).where(
        Outage.kind == OutageKind.planned, Outage.status == OutageStatus.active)).all()
    return [PlannedArea(r.id, frozenset(r.grid_ids or ()), prepared.prep(shape(r.geometry)) if r.geometry else None)
            for r in rows]


def link_to_planned(session: Session, areas: list[PlannedArea], report: FaultReport, now: datetime) -> Outage | None:
    """The planned outage the call comes from inside, counted and linked; None when it is from outside them all."""
    for area in areas:
        if area.holds(report.grid_id, report.lon, report.lat):
            outage = session.get(Outage, area.outage_id)
            outage.calls = (outage.calls or 0) + 1
            outage.updated_at = now
            report.outage_id = outage.id
            report.workorder = None
            return outage
    return None
