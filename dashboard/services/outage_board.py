"""The console's 研判 board: the outages with their device and crew, the screening lane, one outage's card."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from dashboard.domain import OUTAGE_UNDER_WAY, TERMINAL_STATUSES, CallbackStatus, OrderStatus, OutageStatus
from dashboard.errors import NotFound
from dashboard.models import CallbackTask, FaultReport, Outage, WorkOrder, WorkOrderEvent
from dashboard.network.tree import Network
from dashboard.services.judgement import open_order_of
from dashboard.services.one_line import feeder_diagram
from dashboard.services.ticket_list import count_open
from dashboard.timeutil import iso
from dashboard.services.outage_customers import care_customers
from dashboard.views import outage_view

BOARD_ROWS = 500  # a storm has tens to a few hundred outages; a dispatcher reads the top of the list
LANE_ROWS = 100
TIMELINE_KEPT = 8  # the last entries of the outage's order shown beside it
BOARD_STATUSES = (OutageStatus.predicted, OutageStatus.confirmed, OutageStatus.active, OutageStatus.scheduled)
_UNDER_WAY = [s.value for s in OUTAGE_UNDER_WAY]
_TERMINAL = [s.value for s in TERMINAL_STATUSES]
# Predicted first (they wait for a person), then confirmed and active, then those not started yet.
_RANK = case({OutageStatus.predicted.value: 0, OutageStatus.confirmed.value: 1, OutageStatus.active.value: 2},
             value=Outage.status, else_=3)


def _device(network: Network, device_id: str | None) -> tuple[str | None, str | None]:
    d = network.devices.get(device_id or "")
    return (d.name, d.kind.value) if d else (None, None)


def outage_rows(session: Session, network: Network) -> list[dict]:
    """The outages under way and scheduled, predicted first, then by customers out: what the list shows (no
    personal data). The crew is the one on the outage's order, following a merge of that order."""
    rows = session.execute(
        select(Outage.id, Outage.external_id, Outage.status, Outage.kind, Outage.source, Outage.device_id, Outage.device_kind,
               Outage.calls, Outage.customers_affected, Outage.care_customers, Outage.sensitive_customers,
               Outage.etr, Outage.start, Outage.grid_ids, Outage.covered_by, Outage.locked, Outage.workorder_id,
               WorkOrder.crew_id, WorkOrder.status.label("order_status"))
        .outerjoin(WorkOrder, WorkOrder.id == Outage.workorder_id)
        .where(Outage.status.in_([s.value for s in BOARD_STATUSES]))
        .order_by(_RANK, Outage.customers_affected.desc(), Outage.id.desc()).limit(BOARD_ROWS)).all()
    out = []
    for r in rows:
        order_id, crew = r.workorder_id, r.crew_id
        if r.order_status == OrderStatus.merged:  # the order went into another: that one carries the crew
            followed = open_order_of(session, session.get(Outage, r.id))
            order_id, crew = (followed.id, followed.crew_id) if followed is not None else (None, None)
        name, kind = _device(network, r.device_id)
        grids = list(r.grid_ids or [])
        out.append({"id": r.id, "external_id": r.external_id, "status": r.status, "kind": r.kind, "source": r.source, "device_id": r.device_id,
                    "device_name": name, "device_kind": r.device_kind or kind, "calls": r.calls or 0,
                    "customers": r.customers_affected, "care": r.care_customers or r.sensitive_customers or 0,
                    "etr": iso(r.etr), "start": iso(r.start), "grid": grids[0] if grids else None,
                    "grids": len(grids), "covered_by": r.covered_by, "locked": bool(r.locked),
                    "workorder_id": order_id, "crew_id": crew})
    return out


def screening_lane(session: Session, limit: int = LANE_ROWS) -> dict:
    """The orders waiting in the screening lane, oldest first: {"items", "count"}. Each item carries why it is
    there and its caller (dispatcher and admin surfaces only)."""
    waiting = (WorkOrder.needs_screening.is_(True), WorkOrder.status == OrderStatus.received)
    count = session.scalar(select(func.count()).select_from(WorkOrder).where(*waiting))
    orders = session.scalars(select(WorkOrder).where(*waiting).order_by(WorkOrder.reported_at, WorkOrder.id)
                             .limit(limit)).all()
    first: dict[int, FaultReport] = {}
    if orders:
        for r in session.scalars(select(FaultReport).where(FaultReport.workorder_id.in_([o.id for o in orders]))
                                 .order_by(FaultReport.reported_at, FaultReport.id)):
            first.setdefault(r.workorder_id, r)
    items = []
    for o in orders:
        r = first.get(o.id)
        items.append({"id": o.id, "version": o.version, "category": o.category, "reported_at": iso(o.reported_at),
                      "grid_id": o.grid_id, "district": o.district, "address": o.address,
                      "report_count": o.report_count, "why": (r.screening if r else None) or o.category,
                      "customer_name": r.customer_name if r else None, "phone": r.phone if r else None,
                      "description": r.description if r else None})
    return {"items": items, "count": int(count or 0)}


def board(session: Session, network: Network, lane_limit: int = LANE_ROWS) -> dict:
    """Everything the console's left side lists besides the order pages: the outages, the screening lane, and
    how many open orders, outages, waiting calls and pending callbacks there are (the tabs' counts)."""
    outages = outage_rows(session, network)
    lane = screening_lane(session, lane_limit)
    orders = session.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.status.notin_(_TERMINAL)))
    under_way = sum(1 for o in outages if o["status"] in _UNDER_WAY)
    callbacks = session.scalar(select(func.count()).select_from(CallbackTask).where(
        CallbackTask.status == CallbackStatus.pending, CallbackTask.subject_kind == "workorder"))
    return {"outages": outages, "lane": lane,
            "counts": {"orders": int(orders or 0), "outages": under_way, "screening": lane["count"],
                       "tickets": count_open(session), "callbacks": int(callbacks or 0)}}


CARE_SHOWN = 50


def outage_card(session: Session, network: Network, outage_id: int, now: datetime) -> dict:
    """One outage for the desk: its facts (with its device's name), its order (following merges) with the last
    entries of its timeline, and the one-line diagram of its feeder (None when it is not at a device)."""
    outage = session.get(Outage, outage_id)
    if outage is None:
        raise NotFound(f"outage {outage_id} not found")
    name, kind = _device(network, outage.device_id)
    order = open_order_of(session, outage) if outage.workorder_id else None
    if order is None and outage.workorder_id:
        order = session.get(WorkOrder, outage.workorder_id)
    timeline = []
    if order is not None:
        events = session.scalars(select(WorkOrderEvent).where(WorkOrderEvent.workorder_id == order.id)
                                 .order_by(WorkOrderEvent.at.desc(), WorkOrderEvent.id.desc())
                                 .limit(TIMELINE_KEPT)).all()
        timeline = [{"at": iso(e.at), "action": e.action, "to": e.to_status, "actor": e.actor, "note": e.note}
                    for e in events]
    return {"outage": outage_view(outage) | {"device_name": name, "device_kind": outage.device_kind or kind},
            "order": None if order is None else {"id": order.id, "status": order.status, "crew_id": order.crew_id,
                                                 "report_count": order.report_count, "timeline": timeline},
            "diagram": feeder_diagram(session, network, outage.device_id, now),
            # Care customers below its devices, to be phoned (a planned outage's before it starts).
            "care": care_customers(session, network, outage_id)["items"][:CARE_SHOWN]}


def outage_choices(session: Session, network: Network, outage_id: int) -> dict:
    """What a dispatcher may do with the outage: {"outage" (id, status, device), "under_way", "move" (the devices
    of its feeder), "split" (the devices below its own), "merge" (the other outages under way, its feeder's
    first)}; each choice has its "value" and what the label needs."""
    outage = session.get(Outage, outage_id)
    if outage is None:
        raise NotFound(f"outage {outage_id} not found")
    device = outage.device_id if outage.device_id in network.devices else None
    feeder = network.feeder_of.get(device) if device else None
    move, split = [], []
    if device:
        root = feeder or device
        stack = [root]
        while stack and len(move) < 1000:
            node = stack.pop()
            d = network.devices[node]
            choice = {"value": node, "name": d.name, "kind": d.kind.value}
            move.append(choice)
            if node != device and network.is_at_or_below(node, device):
                split.append(choice)
            stack.extend(reversed(network.children[node]))
    others = session.execute(select(Outage.id, Outage.device_id, Outage.status, Outage.customers_affected)
                             .where(Outage.status.in_(_UNDER_WAY), Outage.id != outage.id)
                             .order_by(Outage.id.desc()).limit(500)).all()
    same = {o.id for o in others if feeder and o.device_id in network.devices
            and network.feeder_of.get(o.device_id) == feeder}
    merge = [{"value": o.id, "device_id": o.device_id, "status": o.status, "customers": o.customers_affected,
              "same_feeder": o.id in same} for o in sorted(others, key=lambda o: (o.id not in same, -o.id))]
    return {"outage": {"id": outage.id, "status": outage.status, "device_id": outage.device_id,
                       "kind": outage.kind},
            "under_way": outage.status in _UNDER_WAY, "move": move, "split": split, "merge": merge}
