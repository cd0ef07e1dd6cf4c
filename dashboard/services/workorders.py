"""Work-order lifecycle: transitions, crew assignment, merging duplicates, reading with the timeline."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dashboard.domain import (CREW_BUSY_STATUSES, OPEN_STATUSES, CrewStatus, OrderStatus,
                              can_transition, crew_status_for_order)
from dashboard.errors import Conflict, Forbidden, Invalid, NotFound
from dashboard.events import Change, EventBus
from dashboard.models import Crew, FaultReport, WorkOrder, WorkOrderEvent
from dashboard.services.audit import SYSTEM, Actor, record
from dashboard.services.callbacks import check_gate, open_callback, order_callback
from dashboard.services.changes import commit_and_publish
from dashboard.services.escalation import escalated_entry, refresh
from dashboard.services.grid_catalog import GridCatalog
from dashboard.services.outage_follow import follow_order
from dashboard.services.tickets import tickets_of_order
from dashboard.time_limits import TimeLimits
from dashboard.timeutil import iso
from dashboard.views import crew_change, workorder_change, workorder_view

ASSIGNABLE = frozenset({OrderStatus.received, OrderStatus.dispatched})
_STAMP = {OrderStatus.dispatched: "dispatched_at", OrderStatus.on_site: "arrived_at",
          OrderStatus.restored: "restored_at", OrderStatus.closed: "closed_at"}
DEFAULT_LIMITS = TimeLimits()


def get_order(session: Session, order_id: int, *, lock: bool = False) -> WorkOrder:
    stmt = select(WorkOrder).where(WorkOrder.id == order_id)
    order = session.scalar(stmt.with_for_update() if lock else stmt)
    if order is None:
        raise NotFound(f"work order {order_id} not found")
    return order


def _check_version(session: Session, order: WorkOrder, version: int | None) -> None:
    """409 when the client saw an older version, naming who changed the order last and how."""
    if version is None or version == order.version:
        return
    last = session.scalar(select(WorkOrderEvent).where(WorkOrderEvent.workorder_id == order.id)
                          .order_by(WorkOrderEvent.id.desc()).limit(1))
    by = f": {last.action} by {last.actor} at {iso(last.at)}" if last is not None else ""
    raise Conflict(f"work order {order.id} changed since you saw it (version {order.version}, not {version}){by}",
                   code="stale_version", details=[{"field": "version", "message": f"now {order.version}"}])


def _escalate(session: Session, order: WorkOrder, limits: TimeLimits, now: datetime, by: Actor) -> None:
    """Recompute the order's limits after a change; a rise in level is recorded like any 催办."""
    previous = order.level or 0
    if refresh(order, limits, now):
        session.add(WorkOrderEvent(**escalated_entry(order, previous, now, by)))


def _crew_district(catalog: GridCatalog | None, crew: Crew) -> str | None:
    return catalog.district_of(crew.grid_id, crew.base_grid_id) if catalog else None


def _release_crew(session: Session, order: WorkOrder, now: datetime, catalog) -> list[Change]:
    if not order.crew_id:
        return []
    crew = session.get(Crew, order.crew_id)
    if crew is None or crew.workorder_id != order.id:
        return []
    crew.workorder_id = None
    crew.status = CrewStatus.available if crew.on_duty else CrewStatus.off_duty
    crew.updated_at = now
    return [crew_change(crew, _crew_district(catalog, crew))]


def transition(session: Session, bus: EventBus, order_id: int, to: OrderStatus, *, now: datetime,
               at: datetime | None = None, note: str | None = None, version: int | None = None,
               by: Actor = SYSTEM, catalog: GridCatalog | None = None,
               limits: TimeLimits = DEFAULT_LIMITS, crew_only: str | None = None) -> WorkOrder:
    """Move an order along its lifecycle. `crew_only`: the caller is that crew's terminal, which may move only
    the orders assigned to its crew (403 otherwise)."""
    order = get_order(session, order_id, lock=True)
    if crew_only is not None and order.crew_id != crew_only:
        raise Forbidden(f"work order {order.id} is not assigned to crew {crew_only}")
    _check_version(session, order, version)
    current = OrderStatus(order.status)
    if not can_transition(current, to):
        raise Conflict(f"cannot go from {current} to {to}", code="invalid_transition")
    if to == OrderStatus.dispatched and not order.crew_id:
        raise Conflict("dispatch by assigning a crew", code="invalid_transition")
    check_gate(session, order, to)
    when = at or now
    if when > now:
        raise Invalid("at is in the future", details=[{"field": "at", "message": "later than the server clock"}])
    if when < order.reported_at:
        raise Invalid("at is before the order was reported", details=[{"field": "at", "message": "too early"}])
    changes = move_order(session, order, to, when=when, now=now, note=note, by=by, catalog=catalog, limits=limits)
    commit_and_publish(session, bus, changes, now)
    return order


def move_order(session: Session, order: WorkOrder, to: OrderStatus, *, when: datetime, now: datetime,
               note: str | None, by: Actor, catalog: GridCatalog | None, limits: TimeLimits) -> list[Change]:
    """The move itself, checked by the caller, in the caller's transaction (a reached callback moves its order to
    visited this way): timeline, audit, the crew, the callback task a restoration opens. The changes to publish."""
    current = OrderStatus(order.status)
    stamp = _STAMP.get(to)
    if stamp:
        setattr(order, stamp, when)
    if to == OrderStatus.on_site and order.dispatched_at is None:
        order.dispatched_at = when
    order.status = to
    order.version += 1
    order.updated_at = now
    session.add(WorkOrderEvent(workorder_id=order.id, at=when, action="transition", from_status=current,
                               to_status=to, actor=by.name, note=note))
    _escalate(session, order, limits, now, by)
    record(session, by, "cancelled" if to == OrderStatus.cancelled else "transition", "workorder", order.id, now,
           {"from": current, "to": to} | ({"note": note} if note else {}))
    if to == OrderStatus.restored:
        open_callback(session, "workorder", order.id, when, window=limits.callback_window)
    changes: list[Change] = [workorder_change(order)]
    if to in CREW_BUSY_STATUSES and order.crew_id:
        crew = session.get(Crew, order.crew_id)
        if crew is not None:
            crew.status = crew_status_for_order(to)
            crew.updated_at = now
            changes.append(crew_change(crew, _crew_district(catalog, crew)))
    elif to not in CREW_BUSY_STATUSES:
        changes += _release_crew(session, order, now, catalog)
    if to not in OPEN_STATUSES:
        changes[0] = Change("workorder", "remove", str(order.id), workorder_view(order), changes[0].districts)
    changes += follow_order(session, order, to, when, now, by)
    return changes


def restore_order(session: Session, order: WorkOrder, at: datetime, now: datetime, by: Actor,
                  catalog: GridCatalog | None, note: str, limits: TimeLimits = DEFAULT_LIMITS) -> list[Change]:
    """Power is back for the order's customers (its device closed, its outage ended), whatever stage the crew
    was at: the order is restored, its crew free; in the caller's transaction. The changes to publish."""
    previous = order.status
    order.status = OrderStatus.restored
    order.restored_at = max(at, order.reported_at)
    order.version += 1
    order.updated_at = now
    session.add(WorkOrderEvent(workorder_id=order.id, at=order.restored_at, action="transition",
                               from_status=previous, to_status=OrderStatus.restored, actor=by.name, note=note))
    _escalate(session, order, limits, now, by)
    record(session, by, "transition", "workorder", order.id, now, {"from": previous, "to": "restored", "note": note})
    open_callback(session, "workorder", order.id, order.restored_at, window=limits.callback_window)
    return _release_crew(session, order, now, catalog) + [
        Change("workorder", "remove", str(order.id), workorder_view(order), (order.district,) if order.district else ())]


def assign_crew(session: Session, bus: EventBus, order_id: int, crew_id: str, *, version: int, now: datetime,
                by: Actor = SYSTEM, catalog: GridCatalog | None = None, note: str | None = None,
                limits: TimeLimits = DEFAULT_LIMITS, reason_to_reassign: bool = False) -> WorkOrder:
    """Dispatch (派单) an order to an available crew, or re-dispatch it before the crew has accepted (with
    `reason_to_reassign`, only with a note saying why: the console asks people for one)."""
    order = get_order(session, order_id, lock=True)
    _check_version(session, order, version)
    if OrderStatus(order.status) not in ASSIGNABLE:
        raise Conflict(f"work order {order.id} is {order.status}: past dispatch", code="invalid_transition")
    if reason_to_reassign and order.crew_id and not (note or "").strip():
        raise Invalid(f"work order {order.id} already has crew {order.crew_id}: say why it is re-assigned",
                      details=[{"field": "note", "message": "required to re-assign"}])
    crew = session.scalar(select(Crew).where(Crew.id == crew_id).with_for_update())
    if crew is None:
        raise NotFound(f"crew {crew_id!r} not found")
    if crew.workorder_id == order.id:
        raise Conflict(f"crew {crew_id!r} already holds this order", code="crew_unavailable")
    if not crew.on_duty or crew.status != CrewStatus.available or crew.workorder_id is not None:
        raise Conflict(f"crew {crew_id!r} is {crew.status}", code="crew_unavailable")
    changes = _release_crew(session, order, now, catalog)
    if order.needs_screening:
        # Sending a crew from the screening lane is the lane's outcome "send a crew", decided by this person.
        order.needs_screening = False
        session.add(WorkOrderEvent(workorder_id=order.id, at=now, action="screened", actor=by.name,
                                   note=f"a grid fault: send a crew (by assigning {crew.id})"))
        record(session, by, "screened", "workorder", order.id, now, {"outcome": "send_crew", "crew": crew.id})
    previous = OrderStatus(order.status)
    released = order.crew_id
    order.crew_id = crew.id
    order.status = OrderStatus.dispatched
    order.dispatched_at = now
    order.version += 1
    order.updated_at = now
    crew.workorder_id = order.id
    crew.status = CrewStatus.dispatched
    crew.updated_at = now
    session.add(WorkOrderEvent(workorder_id=order.id, at=now, action="assign", from_status=previous,
                               to_status=OrderStatus.dispatched, actor=by.name,
                               note=f"crew {crew.id}" + (f" (was {released}): {note}" if released else "")))
    _escalate(session, order, limits, now, by)
    record(session, by, "reassigned" if released else "assigned", "workorder", order.id, now,
           {"crew": crew.id} | ({"previous_crew": released} if released else {}) | ({"note": note} if note else {}))
    changes += [workorder_change(order), crew_change(crew, _crew_district(catalog, crew))]
    commit_and_publish(session, bus, changes, now)
    return order


def merge_orders(session: Session, bus: EventBus, order_id: int, into: int, *, now: datetime,
                 by: Actor = SYSTEM, catalog: GridCatalog | None = None,
                 limits: TimeLimits = DEFAULT_LIMITS) -> WorkOrder:
    """Link a duplicate order's calls into another open order; the duplicate becomes `merged`."""
    if order_id == into:
        raise Conflict("an order cannot be merged into itself", code="invalid_merge")
    source = get_order(session, order_id, lock=True)
    target = get_order(session, into, lock=True)
    for o in (source, target):
        if OrderStatus(o.status) not in OPEN_STATUSES:
            raise Conflict(f"work order {o.id} is {o.status}", code="invalid_merge")
    changes = merge_into(session, source, target, now=now, by=by, catalog=catalog, limits=limits)
    commit_and_publish(session, bus, changes, now)
    return target


def merge_into(session: Session, source: WorkOrder, target: WorkOrder, *, now: datetime, by: Actor,
               catalog: GridCatalog | None, limits: TimeLimits, note: str | None = None) -> list[Change]:
    """The merge itself, in the caller's transaction (研判 merges orders as it moves a prediction): the changes
    to publish once the caller commits."""
    # The source's own calls remember it (merged_from), so that the merge can be undone; calls it had gathered by
    # earlier merges keep the mark of the order they came with.
    session.execute(update(FaultReport).where(FaultReport.workorder_id == source.id, FaultReport.merged_from.is_(None))
                    .values(merged_from=source.id))
    session.execute(update(FaultReport).where(FaultReport.workorder_id == source.id)
                    .values(workorder_id=target.id))
    changes = _release_crew(session, source, now, catalog)
    target.report_count += source.report_count
    target.customers_affected = max(target.customers_affected, source.customers_affected)
    target.sensitive = target.sensitive or source.sensitive
    if source.reported_at < target.reported_at:
        target.reported_at = source.reported_at
        target.arrival_due = limits.arrival_due(source.reported_at, target.area_class)
    target.version += 1
    target.updated_at = now
    previous = source.status
    source.status = OrderStatus.merged
    source.merged_into = target.id
    source.report_count = 0
    source.version += 1
    source.updated_at = now
    source.level, source.overdue, source.escalate_at, source.due_at = 0, False, None, None
    session.add_all([
        WorkOrderEvent(workorder_id=source.id, at=now, action="merge", from_status=previous,
                       to_status=OrderStatus.merged, actor=by.name, note=f"into {target.id}" + (f": {note}" if note else "")),
        WorkOrderEvent(workorder_id=target.id, at=now, action="link", actor=by.name, note=f"merged {source.id}")])
    _escalate(session, target, limits, now, by)
    record(session, by, "merged", "workorder", source.id, now, {"into": target.id} | ({"note": note} if note else {}))
    return changes + [Change("workorder", "remove", str(source.id), workorder_view(source),
                             (source.district,) if source.district else ()), workorder_change(target)]


UNMERGE_WINDOW = timedelta(hours=12)  # a merge can be undone within a shift


def _family(session: Session, order_id: int) -> set[int]:
    """The order and every order merged into it, directly or through others."""
    family, frontier = {order_id}, {order_id}
    while frontier:
        frontier = set(session.scalars(select(WorkOrder.id).where(WorkOrder.merged_into.in_(frontier)))) - family
        family |= frontier
    return family


def _recount(order: WorkOrder, reports: list[FaultReport], limits: TimeLimits) -> None:
    """An order's figures from the calls it holds (after calls moved out of or back into it)."""
    order.report_count = len(reports)
    if reports:
        order.customers_affected = max(r.customers_affected for r in reports)
        order.sensitive = any(r.sensitive for r in reports)
        order.reported_at = min(r.reported_at for r in reports)
        order.arrival_due = limits.arrival_due(order.reported_at, order.area_class)


def unmerge_order(session: Session, bus: EventBus, order_id: int, *, now: datetime, by: Actor = SYSTEM,
                  catalog: GridCatalog | None = None, limits: TimeLimits = DEFAULT_LIMITS) -> WorkOrder:
    """Undo a merge (within a shift, while the order it went into is open): the merged order gets its calls
    back and is open again, to be dispatched on its own."""
    source = get_order(session, order_id, lock=True)
    if source.status != OrderStatus.merged or source.merged_into is None:
        raise Conflict(f"work order {source.id} is {source.status}, not merged", code="invalid_unmerge")
    target = get_order(session, source.merged_into, lock=True)
    if OrderStatus(target.status) not in OPEN_STATUSES:
        raise Conflict(f"work order {target.id} it went into is {target.status}", code="invalid_unmerge")
    merge = session.scalar(select(WorkOrderEvent).where(WorkOrderEvent.workorder_id == source.id,
                                                        WorkOrderEvent.action == "merge")
                           .order_by(WorkOrderEvent.id.desc()).limit(1))
    if merge is None or now - merge.at > UNMERGE_WINDOW:
        raise Conflict(f"work order {source.id} was merged more than {UNMERGE_WINDOW} ago", code="invalid_unmerge")
    family = _family(session, source.id)
    moving = session.scalars(select(FaultReport).where(FaultReport.workorder_id == target.id,
                                                       FaultReport.merged_from.in_(family))).all()
    if not moving:
        raise Conflict(f"no calls of work order {source.id} are left in {target.id}", code="invalid_unmerge")
    for report in moving:
        report.workorder_id = source.id
        if report.merged_from == source.id:
            report.merged_from = None
    staying = session.scalars(select(FaultReport).where(FaultReport.workorder_id == target.id,
                                                        FaultReport.id.notin_([r.id for r in moving]))).all()
    # The crew it had was released at the merge: it is open again from the start, to be dispatched anew.
    source.status, source.merged_into, source.crew_id = OrderStatus.received, None, None
    for order, reports in ((source, list(moving)), (target, list(staying))):
        _recount(order, reports, limits)
        order.version += 1
        order.updated_at = now
    session.add_all([
        WorkOrderEvent(workorder_id=source.id, at=now, action="unmerge", from_status=OrderStatus.merged,
                       to_status=OrderStatus.received, actor=by.name, note=f"out of {target.id}"),
        WorkOrderEvent(workorder_id=target.id, at=now, action="unlink", actor=by.name, note=f"unmerged {source.id}")])
    for order in (source, target):
        _escalate(session, order, limits, now, by)
    record(session, by, "unmerged", "workorder", source.id, now, {"from": target.id, "reports": len(moving)})
    commit_and_publish(session, bus, [workorder_change(source), workorder_change(target)], now)
    return source


def order_detail(session: Session, order_id: int) -> dict:
    order = get_order(session, order_id)
    events = session.scalars(select(WorkOrderEvent).where(WorkOrderEvent.workorder_id == order.id)
                             .order_by(WorkOrderEvent.at, WorkOrderEvent.id)).all()
    reports = session.scalars(select(FaultReport).where(FaultReport.workorder_id == order.id)
                              .order_by(FaultReport.reported_at)).all()
    merged = session.execute(select(WorkOrder.id, WorkOrder.updated_at).where(WorkOrder.merged_into == order.id)
                             .order_by(WorkOrder.id)).all()
    return workorder_view(order) | {
        "callback": order_callback(session, order.id),
        "merged_from": [{"id": m.id, "at": iso(m.updated_at)} for m in merged],
        "timeline": [{"at": iso(e.at), "action": e.action, "from": e.from_status, "to": e.to_status,
                      "actor": e.actor, "note": e.note} for e in events],
        "reports": [{"id": r.id, "external_id": r.external_id, "reported_at": iso(r.reported_at),
                     "category": r.category, "channel": r.channel, "lon": r.lon, "lat": r.lat,
                     "address": r.address, "customer_name": r.customer_name, "phone": r.phone,
                     "description": r.description, "sensitive": r.sensitive} for r in reports],
        "tickets": tickets_of_order(session, order.id)}
