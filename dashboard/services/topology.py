"""The network in the database and in memory: replaced whole after validation, read back, re-indexed on change."""
from __future__ import annotations

import hashlib
import json
import threading

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from dashboard.errors import Invalid
from dashboard.models import Customer, Device, Meta
from dashboard.network.tree import DeviceKind, DeviceSpec, Network, network_problems

_VERSION_KEYS = ("network_version", "customers_version")


def _versions(session: Session) -> str:
    rows = dict(session.execute(select(Meta.key, Meta.value).where(Meta.key.in_(_VERSION_KEYS))).all())
    return "/".join(rows.get(k, "0") for k in _VERSION_KEYS)


class NetworkHolder:
    """This process's index of the network. Any process may change the network, so each use asks the
    database for its version (one indexed read) and rebuilds when another process moved it on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._network = Network([], "0/0")

    def current(self, session: Session) -> Network:
        version = _versions(session)
        network = self._network
        if network.version == version:
            return network
        with self._lock:
            if self._network.version != version:
                self._network = _build(session, version)
            return self._network

    @property
    def cached(self) -> Network:
        """The last index built (no database read): for figures that may lag a network change by a moment."""
        return self._network


def _build(session: Session, version: str) -> Network:
    rows = session.execute(select(Device.id, Device.kind, Device.parent_id, Device.name, Device.lon, Device.lat,
                                  Device.grid_id, Device.customers)).all()
    care = dict(session.execute(select(Customer.transformer_id, func.count()).where(Customer.care.is_not(None))
                                .group_by(Customer.transformer_id)).all())
    return Network((DeviceSpec(r.id, DeviceKind(r.kind), r.parent_id, r.name, r.lon, r.lat, r.grid_id, r.customers)
                    for r in rows), version, care)


def replace_topology(session: Session, specs: list[DeviceSpec]) -> str:
    """Store a whole network in place of the old one, in the caller's transaction; 422 naming the devices
    when it is not a radial network (and nothing is stored). Reported states of devices kept by id survive."""
    problems = network_problems(specs)
    if problems:
        raise Invalid(f"the network is not valid: {len(problems)} problem(s), first: "
                      f"{problems[0]['field']} {problems[0]['message']}", details=problems)
    states = {r.id: (r.reported_state, r.reported_at) for r in
              session.execute(select(Device.id, Device.reported_state, Device.reported_at)
                              .where(Device.reported_state.is_not(None)))}
    session.execute(delete(Device))
    rows = [{"id": d.id, "kind": d.kind.value, "parent_id": d.parent_id, "name": d.name, "lon": d.lon,
             "lat": d.lat, "grid_id": d.grid_id, "customers": d.customers,
             "reported_state": states.get(d.id, (None, None))[0], "reported_at": states.get(d.id, (None, None))[1]}
            for d in specs]
    for i in range(0, len(rows), 5000):
        session.execute(insert(Device), rows[i:i + 5000])
    digest = hashlib.sha256(json.dumps(sorted(rows, key=lambda r: r["id"]), sort_keys=True, default=str)
                            .encode()).hexdigest()[:12]
    session.merge(Meta(key="network_version", value=digest))
    return digest


def touch_customers(session: Session, digest: str) -> None:
    """The register changed: every process rebuilds its care counts on next use."""
    session.merge(Meta(key="customers_version", value=digest))


def topology_view(session: Session, network: Network, grid_id: str | None = None,
                  root: str | None = None) -> list[dict]:
    """The devices (all, a grid's transformers and what feeds them, or one device and all below it), each with
    its state; 404-free: an unknown root or grid gives an empty list."""
    if root is not None:
        ids = _subtree(network, root) if root in network.devices else []
    elif grid_id is not None:
        feeding: set[str] = set()
        for d in network.devices.values():
            if d.kind == DeviceKind.transformer and d.grid_id == grid_id:
                feeding.update(network.path(d.id))
        ids = sorted(feeding)
    else:
        ids = list(network.devices)
    states = {r.id: (r.reported_state, r.reported_at) for r in session.execute(
        select(Device.id, Device.reported_state, Device.reported_at).where(Device.reported_state.is_not(None)))}
    out = []
    for i in ids:
        d = network.devices[i]
        state, at = states.get(i, (None, None))
        out.append({"id": d.id, "kind": d.kind.value, "parent_id": d.parent_id, "name": d.name, "lon": d.lon,
                    "lat": d.lat, "grid_id": d.grid_id, "customers": d.customers,
                    "customers_below": network.customers_below[i], "state": state or "closed",
                    "state_at": at.isoformat() if at else None})
    return out


def _subtree(network: Network, root: str) -> list[str]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(network.children[node])
    return out
