"""A dispatcher's decisions on outages: confirm, move to another device, merge, split. Each locks the outage:
研判 never changes what a person decided."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dashboard.domain import OUTAGE_UNDER_WAY, OutageStatus
from dashboard.errors import Conflict, NotFound
from dashboard.events import EventBus
from dashboard.models import FaultReport, Outage, WorkOrder, WorkOrderEvent
from dashboard.services.audit import Actor, record
from dashboard.services.changes import commit_and_publish
from dashboard.services.judgement import Judging, cover, describe, districts, new_device_outage, take_in
from dashboard.services.new_orders import open_order
from dashboard.views import outage_change, outage_view, workorder_change


def _outage(session: Session, outage_id: int) -> Outage:
    outage = session.scalar(select(Outage).where(Outage.id == outage_id).with_for_update())
    if outage is None:
        raise NotFound(f"outage {outage_id} not found")
    if outage.status not in OUTAGE_UNDER_WAY:
        raise Conflict(f"outage {outage_id} is {outage.status}", code="outage_not_under_way")
    return outage


def _on_network(judging: Judging | None, device_id: str | None, field: str = "device_id") -> Judging:
    if judging is None or device_id not in judging.network.devices:
        raise NotFound(f"device {device_id!r} is not in the network")
    return judging


def _timeline(session: Session, outage: Outage, now: datetime, by: Actor, note: str) -> None:
    if outage.workorder_id:
        session.add(WorkOrderEvent(workorder_id=outage.workorder_id, at=now, action="outage", actor=by.name,
                                   note=note))


def confirm_outage(session: Session, bus: EventBus, outage_id: int, *, now: datetime, by: Actor,
                   note: str | None = None) -> dict:
    outage = _outage(session, outage_id)
    if outage.status == OutageStatus.predicted:
        outage.status = OutageStatus.confirmed
    outage.locked, outage.updated_at = True, now
    _timeline(session, outage, now, by, f"outage {outage.id} at {outage.device_id} confirmed"
              + (f": {note}" if note else ""))
    record(session, by, "confirmed", "outage", outage.id, now, {"device": outage.device_id, "note": note})
    commit_and_publish(session, bus, [outage_change(outage)], now)
    return outage_view(outage)


def move_outage(session: Session, bus: EventBus, judging: Judging | None, outage_id: int, device_id: str, *,
                now: datetime, by: Actor, note: str | None = None) -> dict:
    """The dispatcher knows better: the outage is at another device. Its customers follow the device."""
    judging = _on_network(judging, device_id)
    outage = _outage(session, outage_id)
    before = outage.device_id
    outage.device_id, outage.locked, outage.updated_at = device_id, True, now
    outage.reason = f"moved by {by.name} from {before}" + (f": {note}" if note else "")
    describe(outage, judging.network)
    outage.districts = districts(judging.catalog, outage.grid_ids)
    cover(session, judging.network, outage)
    _timeline(session, outage, now, by, f"outage {outage.id} moved {before} → {device_id}")
    record(session, by, "moved", "outage", outage.id, now, {"from": before, "to": device_id, "note": note})
    changes = [outage_change(outage)]
    order = session.get(WorkOrder, outage.workorder_id) if outage.workorder_id else None
    if order is not None:
        order.customers_affected = max(1, outage.customers_affected)
        order.version += 1
        order.updated_at = now
        changes.append(workorder_change(order))
    commit_and_publish(session, bus, changes, now)
    return outage_view(outage)


def merge_outages(session: Session, bus: EventBus, judging: Judging | None, outage_id: int, into: int, *,
                  now: datetime, by: Actor, note: str | None = None) -> dict:
    """Two outages are one failure: the calls and the order of `outage_id` go to `into`."""
    if outage_id == into:
        raise Conflict("an outage cannot be merged into itself", code="invalid_merge")
    source, target = _outage(session, outage_id), _outage(session, into)
    if judging is None:
        raise Conflict("merging outages needs the network loaded", code="invalid_merge")
    target.locked, target.updated_at = True, now
    reason = f"merged by {by.name}" + (f": {note}" if note else "")
    _, changes = take_in(session, judging, target, [source], now, by, reason)
    _timeline(session, target, now, by, f"outage {source.id} merged into {target.id}")
    record(session, by, "merged", "outage", source.id, now, {"into": target.id, "note": note})
    commit_and_publish(session, bus, changes + [outage_change(target)], now)
    return outage_view(target)


def split_outage(session: Session, bus: EventBus, judging: Judging | None, outage_id: int, device_ids: list[str],
                 *, now: datetime, by: Actor, note: str | None = None) -> list[dict]:
    """Not one failure but several: each named device below the outage's becomes an outage of its own, with
    the calls under it and an order of its own; what stays is the original."""
    outage = _outage(session, outage_id)
    for device_id in device_ids:
        judging = _on_network(judging, device_id)
        if device_id == outage.device_id or not judging.network.is_at_or_below(device_id, outage.device_id or ""):
            raise Conflict(f"{device_id} is not below {outage.device_id}", code="invalid_split")
    net = judging.network
    outage.locked, outage.updated_at = True, now
    made, changes = [], []
    for device_id in dict.fromkeys(device_ids):
        below = set(net.transformers_below(device_id))
        reports = [r for r in session.scalars(select(FaultReport).where(FaultReport.outage_id == outage.id))
                   if r.transformer_id in below]
        part = new_device_outage(session, judging, device_id, outage.status, "dispatcher",
                                 f"split by {by.name} from outage {outage.id}" + (f": {note}" if note else ""),
                                 min([r.reported_at for r in reports], default=outage.start), now)
        part.locked, part.calls = True, len(reports)
        outage.calls = max(0, (outage.calls or 0) - len(reports))
        if reports:
            order = open_order(session, reports[0], judging.catalog.info.get(reports[0].grid_id or ""), now,
                               judging.limits)
            session.flush()
            session.execute(update(FaultReport).where(FaultReport.id.in_([r.id for r in reports]))
                            .values(outage_id=part.id, workorder_id=order.id))
            order.report_count = len(reports)
            order.outage_id, part.workorder_id = part.id, order.id
            order.customers_affected = max(1, part.customers_affected)
            session.add(WorkOrderEvent(workorder_id=order.id, at=now, action="created", to_status=order.status,
                                       actor=by.name, note=f"split from outage {outage.id}"))
            changes.append(workorder_change(order))
            if outage.workorder_id:
                kept = session.get(WorkOrder, outage.workorder_id)
                if kept is not None:
                    kept.report_count = max(0, kept.report_count - len(reports))
                    kept.version += 1
                    kept.updated_at = now
                    changes.append(workorder_change(kept))
        part.covered_by = outage.id  # still inside the original's area: its customers count there
        made.append(part)
        record(session, by, "split", "outage", outage.id, now, {"to": device_id, "outage": part.id, "note": note})
    _timeline(session, outage, now, by, f"outage {outage.id} split: {', '.join(device_ids)}")
    commit_and_publish(session, bus, changes + [outage_change(o) for o in [outage, *made]], now)
    return [outage_view(o) for o in [outage, *made]]
