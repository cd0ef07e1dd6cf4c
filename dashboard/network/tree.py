"""The network as a radial tree in memory: validated whole, indexed once, walked per call in microseconds."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from geo.distance import haversine_km


class DeviceKind(StrEnum):
    station = "station"
    feeder = "feeder"
    switch = "switch"
    transformer = "transformer"


# What may feed what: a station feeds feeders, feeders and switches feed switches or transformers.
_PARENT_KINDS: dict[DeviceKind, frozenset[DeviceKind | None]] = {
    DeviceKind.station: frozenset({None}),
    DeviceKind.feeder: frozenset({DeviceKind.station}),
    DeviceKind.switch: frozenset({DeviceKind.feeder, DeviceKind.switch}),
    DeviceKind.transformer: frozenset({DeviceKind.feeder, DeviceKind.switch}),
}


@dataclass(frozen=True)
class DeviceSpec:
    id: str
    kind: DeviceKind
    parent_id: str | None
    name: str | None = None
    lon: float | None = None
    lat: float | None = None
    grid_id: str | None = None
    customers: int = 0


def network_problems(devices: Sequence[DeviceSpec], max_listed: int = 50) -> list[dict]:
    """Everything wrong with a whole network, each naming its device: repeated ids, unknown parents, parents of
    the wrong kind, cycles, negative customers. Empty when the network can be stored."""
    problems: list[dict] = []
    by_id: dict[str, DeviceSpec] = {}
    for d in devices:
        if d.id in by_id:
            problems.append({"field": d.id, "message": "appears twice: a device has one parent"})
        by_id[d.id] = d
    for d in devices:
        if d.customers < 0:
            problems.append({"field": d.id, "message": "customers is negative"})
        if d.kind != DeviceKind.transformer and d.customers:
            problems.append({"field": d.id, "message": "only a transformer serves customers directly"})
        if d.parent_id is None:
            if d.kind != DeviceKind.station:
                problems.append({"field": d.id, "message": f"a {d.kind} needs a parent"})
            continue
        parent = by_id.get(d.parent_id)
        if parent is None:
            problems.append({"field": d.id, "message": f"parent {d.parent_id} is not in the network"})
        elif parent.kind not in _PARENT_KINDS[d.kind]:
            problems.append({"field": d.id, "message": f"a {d.kind} cannot hang under a {parent.kind}"})
    problems += [{"field": i, "message": "is on a cycle"} for i in _on_cycles(by_id)]
    return problems[:max_listed]


def _on_cycles(by_id: Mapping[str, DeviceSpec]) -> list[str]:
    state: dict[str, int] = {}  # 1 being walked, 2 done
    cyclic: list[str] = []
    for start in by_id:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in by_id and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = by_id[node].parent_id
        if node is not None and state.get(node) == 1:
            cyclic += path[path.index(node):]
        for p in path:
            state[p] = 2
    return sorted(cyclic)


class Network:
    """A validated network, indexed for the questions 研判 asks: a device's path to the station, what lies
    below it (customers, care customers, grids), the nearest transformer of a grid. Immutable once built:
    a change of network builds a new one."""

    def __init__(self, devices: Iterable[DeviceSpec], version: str = "0",
                 care: Mapping[str, int] | None = None) -> None:
        self.version = version
        self.devices: dict[str, DeviceSpec] = {d.id: d for d in devices}
        self.children: dict[str, list[str]] = {i: [] for i in self.devices}
        for d in self.devices.values():
            if d.parent_id is not None:
                self.children[d.parent_id].append(d.id)
        self.customers_below: dict[str, int] = {}
        self.care_below: dict[str, int] = {}
        self.grids_below: dict[str, tuple[str, ...]] = {}
        self.feeder_of: dict[str, str | None] = {}
        care = care or {}
        for node in self._bottom_up():
            d = self.devices[node]
            kids = self.children[node]
            self.customers_below[node] = d.customers + sum(self.customers_below[k] for k in kids)
            self.care_below[node] = care.get(node, 0) + sum(self.care_below[k] for k in kids)
            grids = {d.grid_id} if d.kind == DeviceKind.transformer and d.grid_id else set()
            for k in kids:
                grids.update(self.grids_below[k])
            self.grids_below[node] = tuple(sorted(grids))
        for node in self._top_down():
            d = self.devices[node]
            self.feeder_of[node] = node if d.kind == DeviceKind.feeder else (
                self.feeder_of.get(d.parent_id) if d.parent_id else None)
        self._by_grid = self._transformers_by_grid()

    def __len__(self) -> int:
        return len(self.devices)

    def _top_down(self) -> list[str]:
        order = [i for i, d in self.devices.items() if d.parent_id is None]
        for node in order:  # grows while walked: breadth first
            order.extend(self.children[node])
        return order

    def _bottom_up(self) -> list[str]:
        return self._top_down()[::-1]

    def _transformers_by_grid(self) -> dict[str, tuple[list[str], np.ndarray, np.ndarray]]:
        groups: dict[str, list[DeviceSpec]] = {}
        for d in self.devices.values():
            if d.kind == DeviceKind.transformer and d.grid_id and d.lon is not None and d.lat is not None:
                groups.setdefault(d.grid_id, []).append(d)
        return {g: ([d.id for d in ds], np.array([d.lon for d in ds]), np.array([d.lat for d in ds]))
                for g, ds in groups.items()}

    def kind(self, device_id: str) -> DeviceKind:
        return self.devices[device_id].kind

    def path(self, device_id: str) -> list[str]:
        """The device and every device above it, up to its station."""
        out: list[str] = []
        node: str | None = device_id
        while node is not None:
            out.append(node)
            node = self.devices[node].parent_id
        return out

    def is_at_or_below(self, device_id: str, ancestor_id: str) -> bool:
        return ancestor_id in self.path(device_id)

    def child_toward(self, ancestor_id: str, device_id: str) -> str | None:
        """The child of `ancestor_id` on the way down to `device_id` (None unless strictly below it)."""
        path = self.path(device_id)
        if ancestor_id not in path or path[0] == ancestor_id:
            return None
        return path[path.index(ancestor_id) - 1]

    def transformers_below(self, device_id: str) -> list[str]:
        out, stack = [], [device_id]
        while stack:
            node = stack.pop()
            if self.devices[node].kind == DeviceKind.transformer:
                out.append(node)
            stack.extend(self.children[node])
        return out

    def nearest_transformer(self, grid_id: str | None, lon: float, lat: float,
                            within_km: float) -> tuple[str, float] | None:
        """The transformer of the grid nearest to the point, with its distance, if one is within `within_km`."""
        group = self._by_grid.get(grid_id or "")
        if group is None:
            return None
        ids, lons, lats = group
        km = haversine_km(lons, lats, lon, lat)
        best = int(np.argmin(km))
        return (ids[best], float(km[best])) if km[best] <= within_km else None
