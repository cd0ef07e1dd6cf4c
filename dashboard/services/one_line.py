"""A feeder's one-line diagram for the console: its devices as a tree, their state, the outages on it, the calls."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dashboard.domain import OPEN_STATUSES, OUTAGE_UNDER_WAY
from dashboard.models import Device, FaultReport, Outage, WorkOrder
from dashboard.network.tree import DeviceKind, Network

MAX_NODES = 400  # a feeder has tens of transformers; a station's whole network is not drawn
CALLS_SINCE = timedelta(hours=24)  # calls of older outages under way count too (from the oldest one's start)
_UNDER_WAY = [s.value for s in OUTAGE_UNDER_WAY]
_OPEN = [s.value for s in OPEN_STATUSES]


def _walk(network: Network, root: str) -> tuple[list[str], bool]:
    """The devices from `root` down, parents before children, at most MAX_NODES."""
    order, truncated = [root], False
    for node in order:  # grows while walked: breadth first
        kids = network.children[node]
        if len(order) + len(kids) > MAX_NODES:
            truncated = True
            break
        order.extend(kids)
    return order, truncated


def _calls_per_transformer(session: Session, feeder: str, since: datetime) -> dict[str, int]:
    """The feeder's calls that still count: under an outage under way, or with an order still open."""
    rows = session.execute(
        select(FaultReport.transformer_id, func.count())
        .outerjoin(Outage, Outage.id == FaultReport.outage_id)
        .outerjoin(WorkOrder, WorkOrder.id == FaultReport.workorder_id)
        .where(FaultReport.feeder_id == feeder, FaultReport.reported_at >= since,
               FaultReport.transformer_id.is_not(None), FaultReport.screening.is_(None),
               or_(Outage.status.in_(_UNDER_WAY), (FaultReport.outage_id.is_(None) & WorkOrder.status.in_(_OPEN))))
        .group_by(FaultReport.transformer_id)).all()
    return {t: int(n) for t, n in rows}


def feeder_diagram(session: Session, network: Network, device_id: str | None, now: datetime) -> dict | None:
    """The feeder that `device_id` hangs on, as nested nodes: {"root": node, "device_id", "truncated"}; each
    node {"id", "name", "kind", "state" (closed/open, as automation last reported), "customers" (below it),
    "care" (care customers below), "calls" (below it), "outage" ({"id", "status"} of an outage under way at it),
    "dark" (at or below `device_id`), "children"}; "shown" counts the nodes. None when the device is not in the network."""
    if not device_id or device_id not in network.devices:
        return None
    root = network.feeder_of.get(device_id) or device_id
    ids, truncated = _walk(network, root)
    states = dict(session.execute(select(Device.id, Device.reported_state)
                                  .where(Device.id.in_(ids), Device.reported_state.is_not(None))).all())
    outages = session.execute(select(Outage.id, Outage.device_id, Outage.status, Outage.start)
                              .where(Outage.status.in_(_UNDER_WAY), Outage.device_id.in_(ids))
                              .order_by(Outage.id)).all()
    since = min([now - CALLS_SINCE] + [o.start for o in outages])
    calls = _calls_per_transformer(session, root, since) if network.kind(root) == DeviceKind.feeder else {}
    at_device = {o.device_id: {"id": o.id, "status": o.status} for o in outages}
    shown = set(ids)
    dark = set(_walk(network, device_id)[0]) if device_id in shown else set()
    nodes: dict[str, dict] = {}
    for i in reversed(ids):  # children first: a node's calls are the sum below it
        d = network.devices[i]
        kids = [nodes[k] for k in network.children[i] if k in shown]
        kids.sort(key=lambda n: (n["kind"] == DeviceKind.transformer, n["id"]))  # switches first, then transformers
        nodes[i] = {"id": i, "name": d.name, "kind": d.kind.value, "state": states.get(i) or "closed",
                    "customers": network.customers_below.get(i, 0), "care": network.care_below.get(i, 0),
                    "calls": calls.get(i, 0) + sum(k["calls"] for k in kids), "outage": at_device.get(i),
                    "dark": i in dark, "children": kids}
    return {"root": nodes[root], "device_id": device_id, "truncated": truncated, "shown": len(ids)}
