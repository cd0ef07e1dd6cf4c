"""Point-in-grid lookup over a shapely STRtree, vectorised for batches."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


class GridIndex:
    """Finds which service grid contains each point. Built once per grid set; read-only afterwards."""

    def __init__(self, ids: Sequence[str], geometries: Sequence[BaseGeometry]):
        if len(ids) != len(geometries):
            raise ValueError("ids and geometries differ in length")
        self.ids = np.asarray(list(ids), dtype=object)
        self.geometries = np.asarray(list(geometries), dtype=object)
        self._tree = shapely.STRtree(self.geometries)

    def __len__(self) -> int:
        return len(self.ids)

    def locate_points(self, lon, lat) -> list[str | None]:
        """Grid id for each (lon, lat) in WGS-84, or None outside every grid."""
        lon, lat = np.atleast_1d(np.asarray(lon, dtype=float)), np.atleast_1d(np.asarray(lat, dtype=float))
        result: list[str | None] = [None] * len(lon)
        if len(lon) == 0 or len(self.ids) == 0:
            return result
        points = shapely.points(lon, lat)
        # 'intersects' so that a point exactly on a shared border still lands in a grid.
        point_idx, grid_idx = self._tree.query(points, predicate="intersects")
        for p, g in zip(point_idx[::-1], grid_idx[::-1]):  # reversed: the lowest grid index wins on borders
            result[p] = self.ids[g]
        return result

    def locate_point(self, lon: float, lat: float) -> str | None:
        return self.locate_points([lon], [lat])[0]

    def grids_intersecting(self, geometry: BaseGeometry) -> list[str]:
        """Ids of the grids an area (e.g. an outage polygon) touches with positive area."""
        idx = self._tree.query(geometry, predicate="intersects")
        hits = [i for i in idx if shapely.area(shapely.intersection(self.geometries[i], geometry)) > 0]
        return [self.ids[i] for i in sorted(hits)]
