"""Distribution automation's device events: an open blacks out every customer below, a close restores them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dashboard.domain import OPEN_STATUSES, OutageStatus
from dashboard.events import Change, EventBus
from dashboard.models import Device, FaultReport, Outage, WorkOrder, WorkOrderEvent
from dashboard.network.judge import covering_outage
from dashboard.schemas import DeviceEventIn
from dashboard.services.audit import Actor, record
from dashboard.services.batch import CLOCK_SKEW, rejected, summarize, validate_items
from dashboard.services.changes import commit_and_publish
from dashboard.services.judgement import (Judging, cover, describe, lone_calls_below, new_device_outage,
                                          open_auto_order, open_orders_of, take_in, under_way)
from dashboard.services.outages import restore_outage
from dashboard.services.workorders import restore_order
from dashboard.views import outage_change, workorder_change

AUTOMATION = Actor("automation", "ingest")


def record_device_events(session: Session, bus: EventBus, judging: Judging | None, items: list, now: datetime,
                         by: Actor = AUTOMATION) -> dict:
    """Apply each event in time order; one older than the device's last is ignored, an unknown device rejected."""
    valid, results = validate_items(items, DeviceEventIn)
    changes: list[Change] = []
    for index, event in sorted(valid, key=lambda v: v[1].at):
        device = session.get(Device, event.device_id) if judging is not None else None
        if device is None:
            results.append(rejected(index, "not_found", f"device {event.device_id!r} is not in the network"))
            continue
        if event.at > now + CLOCK_SKEW:
            results.append(rejected(index, "validation_failed", "at is in the future"))
            continue
        if device.reported_at is not None and event.at <= device.reported_at:
            results.append({"index": index, "status": "ignored"})
            continue
        was_open = device.reported_state == "open"
        device.reported_state, device.reported_at = event.state, event.at
        if event.state == "open":
            changes += _opened(session, judging, device.id, event, now, by)
        else:
            changes += _closed(session, judging, device.id, event.at, was_open, now, by)
        results.append({"index": index, "status": "stored"})
    commit_and_publish(session, bus, changes, now)
    return summarize(results)


def _opened(session: Session, judging: Judging, device_id: str, event: DeviceEventIn, now: datetime,
            by: Actor) -> list[Change]:
    net = judging.network
    outages = under_way(session)
    over = covering_outage(net, device_id, outages)
    if over is not None and over.device_id != device_id:
        return []  # already dark under a larger outage: that one's crew sees this device too
    how = "commanded" if event.commanded else "uncommanded"
    reason = f"automation: {device_id} opened ({how}) at {event.at:%H:%M}"
    if over is not None:  # 研判 had predicted it, or it was confirmed: now it is certain
        outage = session.get(Outage, over.id)
        if outage.status == OutageStatus.predicted:
            outage.status, outage.reason, outage.updated_at = OutageStatus.confirmed, reason, now
            record(session, by, "confirmed", "outage", outage.id, now, {"device": device_id, "reason": reason})
        return [outage_change(outage)]
    outage = new_device_outage(session, judging, device_id, OutageStatus.confirmed,
                               "commanded" if event.commanded else "automation", reason, event.at, now,
                               cause="switching" if event.commanded else None)
    below = [session.get(Outage, o.id) for o in outages if o.status == OutageStatus.predicted and not o.locked
             and o.device_id in net.devices and net.is_at_or_below(o.device_id, device_id)]
    # The lone calls below it (too few yet to predict anything) are this outage's: one crew, not one per call.
    lone = [] if event.commanded else lone_calls_below(session, judging, device_id, event.at - judging.rules.window,
                                                       {o.id for o in outages})
    order, changes = take_in(session, judging, outage, below, now, by, reason, open_orders_of(session, lone))
    if lone:
        session.execute(update(FaultReport).where(FaultReport.id.in_([r.id for r in lone]))
                        .values(outage_id=outage.id))
        outage.calls = (outage.calls or 0) + len(lone)
    if order is None and not event.commanded:
        order = open_auto_order(session, judging, outage, now)  # 主动抢修: before the first customer calls
    cover(session, net, outage)
    record(session, by, "confirmed", "outage", outage.id, now,
           {"device": device_id, "reason": reason, "workorder": order.id if order else None})
    if order is not None:
        session.add(WorkOrderEvent(workorder_id=order.id, at=now, action="outage", actor=by.name,
                                   note=f"{device_id} out, confirmed: {reason}"))
        changes.append(workorder_change(order))
    return changes + [outage_change(outage)]


def _closed(session: Session, judging: Judging, device_id: str, at: datetime, was_open: bool, now: datetime,
            by: Actor) -> list[Change]:
    net = judging.network
    changes: list[Change] = []
    here = [session.get(Outage, o.id) for o in under_way(session)
            if o.device_id in net.devices and net.is_at_or_below(o.device_id, device_id)]
    for outage in here:
        if was_open or (outage.device_id == device_id and outage.status != OutageStatus.predicted):
            changes += restore_outage(session, outage, at, now, by, judging.catalog, judging.limits)
            changes.append(outage_change(outage))
        elif outage.device_id == device_id and not outage.locked:
            changes += _move_up(session, judging, outage, now, by)
    if was_open:
        changes += _restore_orders_below(session, judging, device_id, at, now, by)
    return changes


def _move_up(session: Session, judging: Judging, outage: Outage, now: datetime, by: Actor) -> list[Change]:
    """研判 had predicted a device automation now reports closed: the prediction moves to the device above."""
    parent = judging.network.devices[outage.device_id].parent_id
    if parent is None:
        return []
    reason = f"automation reports {outage.device_id} closed, so {parent}"
    outage.device_id, outage.reason, outage.updated_at = parent, reason, now
    describe(outage, judging.network)
    record(session, by, "moved", "outage", outage.id, now, {"device": parent, "reason": reason})
    return [outage_change(outage)]


def _restore_orders_below(session: Session, judging: Judging, device_id: str, at: datetime, now: datetime,
                          by: Actor) -> list[Change]:
    """Orders of single calls under the device (no outage yet) are restored with it: power is back for them."""
    below = judging.network.transformers_below(device_id)
    changes: list[Change] = []
    for i in range(0, len(below), 500):
        orders = session.scalars(select(WorkOrder).join(FaultReport, FaultReport.workorder_id == WorkOrder.id).where(
            FaultReport.transformer_id.in_(below[i:i + 500]), FaultReport.screening.is_(None),
            WorkOrder.status.in_([s.value for s in OPEN_STATUSES])).distinct()).all()
        for order in orders:
            changes += restore_order(session, order, at, now, by, judging.catalog, f"{device_id} closed",
                                     judging.limits)
    return changes
