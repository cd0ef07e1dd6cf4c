"""The service grids in memory: metadata by id and the spatial index, rebuilt when grids are imported."""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass

from shapely.geometry import shape
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dashboard.models import GridRow, Meta
from geo.grids import Grid
from geo.locate import GridIndex


@dataclass(frozen=True)
class GridInfo:
    id: str
    name: str
    district: str
    area_class: str
    customers: int


class GridCatalog:
    """Thread-safe holder swapped whole on import, so a lookup never sees half of an old and a new set."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[dict[str, GridInfo], GridIndex, str, dict] = ({}, GridIndex([], []), "0",
                                                                        {"type": "FeatureCollection", "features": []})

    @property
    def info(self) -> dict[str, GridInfo]:
        return self._state[0]

    @property
    def index(self) -> GridIndex:
        return self._state[1]

    @property
    def version(self) -> str:
        return self._state[2]

    @property
    def feature_collection(self) -> dict:
        return self._state[3]

    def district_of(self, *grid_ids: str | None) -> str | None:
        """The district of the first known grid among `grid_ids` (a crew: where it is, else its base)."""
        for gid in grid_ids:
            info = self.info.get(gid or "")
            if info:
                return info.district
        return None

    def districts(self) -> list[str]:
        return sorted({g.district for g in self.info.values()})

    def load(self, session: Session) -> None:
        rows = session.scalars(select(GridRow).order_by(GridRow.id)).all()
        version = session.get(Meta, "grids_version")
        info = {r.id: GridInfo(r.id, r.name, r.district, r.area_class, r.customers) for r in rows}
        index = GridIndex([r.id for r in rows], [shape(r.geometry) for r in rows])
        features = [{"type": "Feature", "id": r.id, "geometry": r.geometry,
                     "properties": {"id": r.id, "name": r.name, "district": r.district,
                                    "area_class": r.area_class, "customers": r.customers}} for r in rows]
        with self._lock:
            self._state = (info, index, version.value if version else "0",
                           {"type": "FeatureCollection", "features": features})


def replace_grids(session: Session, grids: list[Grid]) -> str:
    """Store a validated grid set in place of the old one, in the caller's transaction; returns its version."""
    session.execute(delete(GridRow))
    session.add_all(GridRow(id=g.id, name=g.name, district=g.district, area_class=g.area_class,
                            customers=g.customers, geometry=g.feature()["geometry"]) for g in grids)
    digest = hashlib.sha256(json.dumps([g.feature() for g in grids], sort_keys=True).encode()).hexdigest()[:12]
    session.merge(Meta(key="grids_version", value=digest))
    return digest


def ensure_grids(session: Session, default: list[Grid]) -> bool:
    """Seed the default grid set into an empty database. True when it did."""
    if session.scalar(select(GridRow.id).limit(1)) is not None:
        return False
    replace_grids(session, default)
    return True
