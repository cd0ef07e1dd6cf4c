"""What the history draws on from the database: the real grids (and where they are), the network's devices per grid,
the crews."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import Crew, Device, GridRow

OUTAGE_DEVICE_KINDS = ("transformer", "switch", "feeder")


@dataclass(frozen=True)
class Grids:
    """The grids as parallel arrays: pick one by index."""
    ids: np.ndarray
    districts: np.ndarray
    area_classes: np.ndarray
    customers: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    weights: np.ndarray  # the chance a fault falls in each grid: its share of the customers served


@dataclass(frozen=True)
class Network:
    grids: Grids
    devices: dict[tuple[str, str], np.ndarray]  # (grid id, kind) → device ids there
    device_places: dict[str, tuple[float, float]]
    crews: np.ndarray  # crew ids (empty: orders go without a crew id)


def read_network(session: Session) -> Network:
    rows = session.execute(select(GridRow.id, GridRow.district, GridRow.area_class, GridRow.customers,
                                  GridRow.geometry).order_by(GridRow.id)).all()
    if not rows:
        raise ValueError("no grids: load the grids before generating history")
    points = [shape(r.geometry).representative_point() for r in rows]
    customers = np.array([max(1, r.customers or 0) for r in rows], dtype=float)
    grids = Grids(ids=np.array([r.id for r in rows], dtype=object),
                  districts=np.array([r.district for r in rows], dtype=object),
                  area_classes=np.array([r.area_class for r in rows], dtype=object),
                  customers=customers, lon=np.array([p.x for p in points]), lat=np.array([p.y for p in points]),
                  weights=customers / customers.sum())
    found: dict[tuple[str, str], list[str]] = {}
    places: dict[str, tuple[float, float]] = {}
    for device_id, kind, grid_id, lon, lat in session.execute(
            select(Device.id, Device.kind, Device.grid_id, Device.lon, Device.lat)
            .where(Device.kind.in_(OUTAGE_DEVICE_KINDS), Device.grid_id.is_not(None)).order_by(Device.id)):
        found.setdefault((grid_id, kind), []).append(device_id)
        if lon is not None and lat is not None:
            places[device_id] = (lon, lat)
    crews = np.array(session.scalars(select(Crew.id).order_by(Crew.id)).all(), dtype=object)
    return Network(grids, {k: np.array(v, dtype=object) for k, v in found.items()}, places, crews)
