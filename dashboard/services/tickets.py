"""Service tickets (投诉, 举报, 咨询, 业务): intake idempotent on external_id, routing, the lifecycle, the detail."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard.domain import CALLBACK_WINDOW, MAX_REPORT_AGE
from dashboard.errors import Conflict, Invalid, NotFound, ServiceError
from dashboard.events import EventBus
from dashboard.fingerprint import content_hash
from dashboard.models import Ticket, TicketEvent, WorkOrder
from dashboard.schemas import TicketIn
from dashboard.services.audit import SYSTEM, Actor, record
from dashboard.services.batch import validation_error
from dashboard.services.changes import commit_and_publish
from dashboard.services.grid_catalog import GridCatalog
from dashboard.services.ticket_escalation import escalated_audit, escalated_entry, refresh_ticket
from dashboard.services.ticket_hooks import on_ticket_closed
from dashboard.ticket_views import ticket_change, ticket_event_view, ticket_view
from dashboard.tickets.kinds import TicketStatus, can_move
from dashboard.tickets.limits import TicketRules
from dashboard.tickets.routing import RoutingRules, route
from dashboard.timeutil import iso
from geo.crs import to_wgs84

FUTURE_TOLERANCE = timedelta(minutes=10)
DEFAULT_RULES = TicketRules()


@dataclass(frozen=True)
class TicketResult:
    ticket: dict
    created: bool

    def as_dict(self) -> dict:
        t = self.ticket
        return {"id": t["id"], "external_id": t["external_id"], "grid_id": t["grid_id"],
                "department": t["department"], "status": t["status"], "contact_due": t["contact_due"],
                "close_due": t["close_due"], "created": self.created}


def create_ticket(session: Session, bus: EventBus, catalog: GridCatalog, body: TicketIn, now: datetime, *,
                  rules: TicketRules = DEFAULT_RULES, routing: RoutingRules = RoutingRules(),
                  max_age: timedelta = MAX_REPORT_AGE, by: Actor = SYSTEM) -> TicketResult:
    """Store one ticket and commit; the same external_id with the same content answers the stored ticket, with
    other content 409. A concurrent writer of the same key (PostgreSQL) loses the insert and replays."""
    _check_time(body.received_at, now, max_age)
    digest = content_hash(body)
    known = session.scalar(select(Ticket).where(Ticket.external_id == body.external_id))
    if known is not None:
        return _replay(known, digest)
    grid_id, lon, lat = _place(catalog, body)
    order = session.get(WorkOrder, body.related_workorder_id) if body.related_workorder_id is not None else None
    if body.related_workorder_id is not None and order is None:
        raise Invalid(f"no work order {body.related_workorder_id}", details=[
            {"field": "related_workorder_id", "message": "unknown work order"}])
    if order is not None and grid_id is None and body.grid_id is None and body.lon is None:
        grid_id = order.grid_id  # placed by nothing but the repair it is about: that order's grid
    contact_due, close_due = rules.dues(body.kind, body.received_at)
    ticket = Ticket(external_id=body.external_id, content_hash=digest, kind=body.kind, status=TicketStatus.received,
                    version=1, received_at=body.received_at, customer_id=body.customer_id, phone=body.phone,
                    lon=lon, lat=lat, grid_id=grid_id, district=catalog.district_of(grid_id),
                    outside_grid=grid_id is None, subject=body.subject, description=body.description,
                    related_workorder_id=body.related_workorder_id,
                    department=route(body.kind, body.subject, body.description, body.related_workorder_id, grid_id,
                                     routing),
                    contact_due=contact_due, close_due=close_due, created_by=by.name[:64], created_at=now,
                    updated_at=now)
    refresh_ticket(ticket, rules, now)
    session.add(ticket)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        known = session.scalar(select(Ticket).where(Ticket.external_id == body.external_id))
        if known is None:
            raise
        return _replay(known, digest)
    session.add(TicketEvent(ticket_id=ticket.id, at=now, action="created", to_status=ticket.status, actor=by.name,
                            note=f"→ {ticket.department}" + (" (outside every grid)" if ticket.outside_grid else "")))
    if ticket.level:  # received late: already past some marks of its contact limit
        session.add(TicketEvent(**escalated_entry(ticket, 0, now, by)))
    view = ticket_view(ticket)
    commit_and_publish(session, bus, [ticket_change(ticket)], now)
    return TicketResult(view, True)


def create_tickets(session: Session, bus: EventBus, catalog: GridCatalog, items: list, now: datetime, *,
                   rules: TicketRules = DEFAULT_RULES, routing: RoutingRules = RoutingRules(),
                   max_age: timedelta = MAX_REPORT_AGE, by: Actor = SYSTEM) -> list[dict]:
    """A batch: each good item is stored (and committed) on its own, each bad one answered with its index; a
    key repeated in the batch replays (or conflicts with) the first."""
    results = []
    for index, raw in enumerate(items):
        try:
            result = create_ticket(session, bus, catalog, TicketIn.model_validate(raw), now, rules=rules,
                                   routing=routing, max_age=max_age, by=by)
        except ValidationError as exc:
            results.append({"index": index, "status": 422, "error": validation_error(exc)})
            continue
        except ServiceError as exc:
            results.append({"index": index, "status": exc.status,
                            "error": {"code": exc.code, "message": exc.message, "details": exc.details}})
            continue
        item = result.as_dict()
        item["ticket_status"] = item.pop("status")  # "status" of a batch item is its HTTP-like code
        results.append({"index": index, "status": 201 if result.created else 200} | item)
    return results


def _check_time(received_at: datetime, now: datetime, max_age: timedelta) -> None:
    if received_at > now + FUTURE_TOLERANCE:
        raise Invalid("received_at is in the future",
                      details=[{"field": "received_at", "message": "later than the server clock"}])
    if received_at < now - max_age:
        raise Invalid(f"received_at is older than {max_age}",
                      details=[{"field": "received_at", "message": f"older than the accepted {max_age}"}])


def _place(catalog: GridCatalog, body: TicketIn) -> tuple[str | None, float | None, float | None]:
    """The ticket's grid: the one named (which must exist), else the one holding its point, else none."""
    lon = lat = None
    if body.lon is not None and body.lat is not None:
        x, y = to_wgs84(body.lon, body.lat, body.crs)
        lon, lat = float(x), float(y)
    if body.grid_id is not None:
        if body.grid_id not in catalog.info:
            raise Invalid(f"no grid {body.grid_id!r}", details=[{"field": "grid_id", "message": "unknown grid"}])
        return body.grid_id, lon, lat
    if lon is None:
        return None, None, None
    return catalog.index.locate_points([lon], [lat])[0], lon, lat


def _replay(known: Ticket, digest: str) -> TicketResult:
    if known.content_hash != digest:
        raise Conflict(f"external_id {known.external_id!r} was already used for a different ticket",
                       code="idempotency_conflict")
    return TicketResult(ticket_view(known), False)


def get_ticket(session: Session, ticket_id: int, *, lock: bool = False) -> Ticket:
    stmt = select(Ticket).where(Ticket.id == ticket_id)
    ticket = session.scalar(stmt.with_for_update() if lock else stmt)
    if ticket is None:
        raise NotFound(f"ticket {ticket_id} not found")
    return ticket


def transition_ticket(session: Session, bus: EventBus, ticket_id: int, to: TicketStatus, *, now: datetime,
                      note: str | None = None, version: int | None = None, by: Actor = SYSTEM,
                      rules: TicketRules = DEFAULT_RULES, callback_window: timedelta = CALLBACK_WINDOW) -> Ticket:
    """received → contacted → closed, cancelled before closed; 409 on any other move or a stale version. A closed
    ticket's callback task (回访) is due `callback_window` later."""
    ticket = get_ticket(session, ticket_id, lock=True)
    if version is not None and version != ticket.version:
        raise Conflict(f"ticket {ticket.id} changed since you saw it (version {ticket.version}, not {version})",
                       code="stale_version", details=[{"field": "version", "message": f"now {ticket.version}"}])
    current, target = TicketStatus(ticket.status), TicketStatus(to)
    if not can_move(current, target):
        raise Conflict(f"cannot go from {current} to {target}", code="invalid_transition")
    if target == TicketStatus.contacted:
        ticket.contacted_at = now
    elif target == TicketStatus.closed:
        ticket.closed_at = now
    ticket.status = target
    ticket.version += 1
    ticket.updated_at = now
    session.add(TicketEvent(ticket_id=ticket.id, at=now, action="transition", from_status=current, to_status=target,
                            actor=by.name, note=note))
    previous = ticket.level or 0
    if refresh_ticket(ticket, rules, now):  # contacted late: the close limit may already be well along
        session.add(TicketEvent(**escalated_entry(ticket, previous, now, by)))
        record(session, by, "escalated", "ticket", ticket.id, now, escalated_audit(ticket, previous, now, by)["details"])
    record(session, by, "cancelled" if target == TicketStatus.cancelled else "transition", "ticket", ticket.id, now,
           {"from": current, "to": target} | ({"note": note} if note else {}))
    if target == TicketStatus.closed:
        on_ticket_closed(session, ticket, now, callback_window)
    commit_and_publish(session, bus, [ticket_change(ticket)], now)
    return ticket


def ticket_detail(session: Session, ticket_id: int) -> dict:
    ticket = get_ticket(session, ticket_id)
    events = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                             .order_by(TicketEvent.at, TicketEvent.id)).all()
    return ticket_view(ticket) | {"timeline": [ticket_event_view(e) for e in events]}


def tickets_of_order(session: Session, order_id: int) -> list[dict]:
    """The tickets that name a repair order (a complaint about it shows on it), oldest first."""
    rows = session.execute(select(Ticket.id, Ticket.kind, Ticket.status, Ticket.subject, Ticket.level, Ticket.overdue,
                                  Ticket.received_at)
                           .where(Ticket.related_workorder_id == order_id).order_by(Ticket.received_at, Ticket.id))
    return [{"id": r.id, "kind": r.kind, "status": r.status, "subject": r.subject, "level": r.level or 0,
             "overdue": bool(r.overdue), "received_at": iso(r.received_at)} for r in rows]
