"""Reading and validating service-grid (网格) files: GeoJSON, Shapefile or GeoPackage, via geopandas."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

AREA_CLASSES = ("urban", "rural", "remote")
REQUIRED_FIELDS = ("id", "name", "district", "area_class", "customers")
DEFAULT_GRIDS = Path(__file__).parent / "data" / "beijing_grids.geojson"


class GridFileError(ValueError):
    """A grid file that cannot be imported; `problems` lists every reason found, not just the first."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:20]) + (f" (+{len(problems) - 20} more)" if len(problems) > 20 else ""))
        self.problems = problems


@dataclass(frozen=True)
class Grid:
    id: str
    name: str
    district: str
    area_class: str
    customers: int
    geometry: BaseGeometry  # WGS-84 lon/lat

    def feature(self) -> dict:
        props = {"id": self.id, "name": self.name, "district": self.district,
                 "area_class": self.area_class, "customers": self.customers}
        return {"type": "Feature", "id": self.id, "properties": props, "geometry": mapping(self.geometry)}


def read_grid_file(path: str | Path) -> list[Grid]:
    """Read and validate a grid file; raises GridFileError listing all problems, returns nothing half-valid."""
    import geopandas as gpd  # heavy import, only when a file is actually read

    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise GridFileError([f"cannot read {path}: {exc}"]) from exc
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(epsg=4326)
    missing = [f for f in REQUIRED_FIELDS if f not in frame.columns]
    if missing:
        raise GridFileError([f"missing field(s): {', '.join(missing)}"])
    rows = [dict(zip(REQUIRED_FIELDS, values)) | {"geometry": geom}
            for *values, geom in zip(*(frame[f] for f in REQUIRED_FIELDS), frame.geometry)]
    return validate_grids(rows)


def validate_grids(rows: list[dict]) -> list[Grid]:
    """Check every row (fields, geometry, uniqueness); all-or-nothing."""
    problems: list[str] = []
    grids: list[Grid] = []
    seen: set[str] = set()
    if not rows:
        problems.append("the file holds no grids")
    for n, row in enumerate(rows):
        where = f"feature {n}"
        gid = row.get("id")
        if gid is None or (isinstance(gid, float) and gid != gid) or str(gid).strip() == "":
            problems.append(f"{where}: id is empty")
            continue
        gid = str(gid).strip()
        where = f"grid {gid!r}"
        if len(gid) > 64:
            problems.append(f"{where}: id longer than 64 characters")
        if gid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(gid)
        name, district = row.get("name"), row.get("district")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: name is empty")
        if not isinstance(district, str) or not district.strip():
            problems.append(f"{where}: district is empty")
        if row.get("area_class") not in AREA_CLASSES:
            problems.append(f"{where}: area_class must be one of {', '.join(AREA_CLASSES)}")
        try:
            customers = int(row.get("customers"))
            if customers < 0 or customers != row.get("customers"):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            problems.append(f"{where}: customers must be a whole number ≥ 0")
            customers = 0
        geom = row.get("geometry")
        if isinstance(geom, dict):
            try:
                geom = shape(geom)
            except Exception:
                geom = None
        if geom is None or geom.is_empty:
            problems.append(f"{where}: no geometry")
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(f"{where}: geometry is a {geom.geom_type}, expected Polygon or MultiPolygon")
        elif not geom.is_valid:
            problems.append(f"{where}: invalid geometry ({shapely.is_valid_reason(geom)})")
        else:
            minx, miny, maxx, maxy = geom.bounds
            if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
                problems.append(f"{where}: coordinates are not longitude/latitude")
        if not problems:
            grids.append(Grid(gid, name.strip(), district.strip(), row["area_class"], customers, geom))
    if problems:
        raise GridFileError(problems)
    return grids


def grids_from_geojson(text: str) -> list[Grid]:
    """Parse a FeatureCollection already in memory (the committed default set, a DB round trip)."""
    data = json.loads(text)
    rows = [dict(f.get("properties") or {}) | {"geometry": f.get("geometry")} for f in data.get("features", [])]
    return validate_grids(rows)


def load_default_grids() -> list[Grid]:
    return grids_from_geojson(DEFAULT_GRIDS.read_text(encoding="utf-8"))
