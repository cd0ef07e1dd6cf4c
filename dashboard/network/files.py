"""Network files for `gridcommand topology import`: CSV (one device per row, gzipped or not) or GeoJSON points."""
from __future__ import annotations

import csv
import gzip
import math
from pathlib import Path

from dashboard.network.tree import DeviceKind, DeviceSpec

COLUMNS = ("id", "kind", "parent_id", "name", "lon", "lat", "grid_id", "customers")


class NetworkFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


def read_network_file(path: str | Path) -> list[DeviceSpec]:
    """Devices from a CSV with the columns of COLUMNS, or a GeoJSON/GeoPackage of points with those properties
    (the point gives lon and lat). Each row is checked; the network as a whole is checked when stored."""
    path = Path(path)
    if not path.exists():
        raise NetworkFileError([f"{path}: no such file"])
    name = path.name.lower()
    rows = _csv_rows(path) if name.endswith((".csv", ".csv.gz")) else _geo_rows(path)
    devices, problems = [], []
    for line, row in rows:
        try:
            devices.append(_device(row))
        except (KeyError, ValueError) as exc:
            problems.append(f"row {line}: {exc}")
    if problems:
        raise NetworkFileError(problems)
    return devices


def _csv_rows(path: Path):
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"id", "kind", "parent_id"} - set(reader.fieldnames or ())
        if missing:
            raise NetworkFileError([f"{path}: missing column(s) {', '.join(sorted(missing))}"])
        return [(n, row) for n, row in enumerate(reader, start=2)]


def _geo_rows(path: Path):
    import geopandas  # noqa: PLC0415 (heavy; only this command needs it)
    try:
        frame = geopandas.read_file(path)
    except Exception as exc:  # noqa: BLE001 (any reader failure is a bad file to the person importing it)
        raise NetworkFileError([f"{path}: not a readable GeoJSON/GeoPackage ({exc})"]) from None
    if frame.crs is not None and frame.crs.to_epsg() not in (4326, None):
        frame = frame.to_crs(4326)
    rows = []
    for n, record in enumerate(frame.to_dict("records"), start=1):
        geom = record.pop("geometry", None)
        if geom is not None and not geom.is_empty:
            point = geom.representative_point()
            record["lon"], record["lat"] = point.x, point.y
        rows.append((n, record))
    return rows


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = str(value).strip()
    return value or None


def _number(value, kind=float):
    text = _text(value)
    return None if text is None else kind(float(text))


def _device(row: dict) -> DeviceSpec:
    device_id = _text(row.get("id"))
    if not device_id or len(device_id) > 64:
        raise ValueError("id is missing or longer than 64 characters")
    kind = _text(row.get("kind"))
    if kind not in DeviceKind.__members__:
        raise ValueError(f"{device_id}: kind must be one of {', '.join(DeviceKind)}")
    lon, lat = _number(row.get("lon")), _number(row.get("lat"))
    if lon is not None and not -180 <= lon <= 180 or lat is not None and not -90 <= lat <= 90:
        raise ValueError(f"{device_id}: lon/lat out of range")
    return DeviceSpec(device_id, DeviceKind(kind), _text(row.get("parent_id")), _text(row.get("name")), lon, lat,
                      _text(row.get("grid_id")), _number(row.get("customers"), int) or 0)
