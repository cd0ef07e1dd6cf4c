"""Service-ticket endpoints: the 95598 platform posts tickets; dispatchers (and the platform) move them along."""
from __future__ import annotations

from flask import g, jsonify

from dashboard.api.answers import (ErrorOut, TicketBatchOut, TicketDetailOut, TicketListOut, TicketOut,
                                   TicketSavedOut)
from dashboard.api.routes import RouteTable, parse, query_param, read_object
from dashboard.domain import Role
from dashboard.errors import Forbidden
from dashboard.schemas import TicketBatchIn, TicketIn, TicketTransitionIn
from dashboard.services.audit import Actor
from dashboard.services.ticket_list import MAX_PAGE, TicketFilter, list_tickets
from dashboard.services.tickets import create_ticket, create_tickets, ticket_detail, transition_ticket
from dashboard.ticket_views import ticket_view
from dashboard.tickets.kinds import Department, TicketKind, TicketStatus

INGEST = frozenset({Role.ingest, Role.admin})
READERS = frozenset({Role.dispatcher, Role.admin, Role.ingest})
TRANSITION = frozenset({Role.dispatcher, Role.admin, Role.ingest})
ID = {"id": int}


def _not_a_crew_terminal() -> None:
    """A crew's terminal moves its own repair orders; service tickets (with customers' phones) are not its business."""
    if g.principal.crew_id is not None:
        raise Forbidden(f"a crew terminal ({g.principal.crew_id}) has no access to service tickets")


def register(table: RouteTable, services) -> None:
    db, bus, catalog = services.db, services.bus, services.catalog

    @table.add("POST", "/tickets", summary="A service ticket from the 95598 platform (投诉, 举报, 咨询, 业务), idempotent "
               "on external_id, routed to a department with its contact and close limits; or a batch of up to 1000 "
               "as {items: [...]}", roles=INGEST, body=(TicketIn, TicketBatchIn),
               responses={200: (TicketSavedOut, TicketBatchOut), 201: TicketSavedOut, 409: ErrorOut})
    def post_ticket():
        _not_a_crew_terminal()
        body = read_object()
        now, by = services.clock(), Actor.of(g.principal)
        if "items" in body:
            batch = TicketBatchIn.model_validate(body)
            with db.write() as session:
                results = create_tickets(session, bus, catalog, batch.items, now, rules=services.tickets,
                                         max_age=services.config.max_report_age, by=by)
            return jsonify({"results": results}), 200
        ticket = TicketIn.model_validate(body)
        with db.write() as session:
            result = create_ticket(session, bus, catalog, ticket, now, rules=services.tickets,
                                   max_age=services.config.max_report_age, by=by)
        return jsonify(result.as_dict()), 201 if result.created else 200

    @table.add("GET", "/tickets", summary="Service tickets, most urgent first (least time left to the running "
               "limit), a page at a time; every open ticket unless a status is given", roles=READERS,
               responses={200: TicketListOut, 422: ErrorOut}, query=(
                   {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(TicketStatus)}},
                   {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(TicketKind)}},
                   {"name": "department", "in": "query", "schema": {"type": "string", "enum": list(Department)}},
                   {"name": "grid_id", "in": "query", "schema": {"type": "string", "maxLength": 64}},
                   {"name": "level", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 9}},
                   {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                   {"name": "workorder_id", "in": "query", "description": "tickets that name this repair order",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
                   {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                   {"name": "cursor", "in": "query", "description": "`next` of the page before",
                    "schema": {"type": "string", "maxLength": 200}}))
    def get_tickets():
        _not_a_crew_terminal()
        filters = TicketFilter(status=query_param("status", choices=list(TicketStatus)),
                               kind=query_param("kind", choices=list(TicketKind)),
                               department=query_param("department", choices=list(Department)),
                               grid_id=query_param("grid_id", maximum=64),
                               level=query_param("level", int, minimum=0, maximum=9),
                               overdue=query_param("overdue", bool),
                               workorder_id=query_param("workorder_id", int, minimum=1, maximum=2**31 - 1))
        limit = query_param("limit", int, minimum=1, maximum=MAX_PAGE) or 200
        with db.read() as session:
            return jsonify(list_tickets(session, filters, limit=limit, cursor=query_param("cursor", maximum=200)))

    @table.add("GET", "/tickets/{id}", summary="One ticket with its limits, level and timeline", roles=READERS,
               path_types=ID, responses={200: TicketDetailOut, 404: ErrorOut})
    def get_ticket(id: int):
        _not_a_crew_terminal()
        with db.read() as session:
            return jsonify(ticket_detail(session, id))

    @table.add("POST", "/tickets/{id}/transition", summary="Move the ticket along: received → contacted → closed, "
               "cancelled before closed", roles=TRANSITION, body=(TicketTransitionIn,), path_types=ID,
               responses={200: TicketOut, 404: ErrorOut, 409: ErrorOut})
    def post_ticket_transition(id: int):
        body = parse(TicketTransitionIn)
        _not_a_crew_terminal()
        with db.write() as session:
            ticket = transition_ticket(session, bus, id, body.to, now=services.clock(), note=body.note,
                                       version=body.version, by=Actor.of(g.principal), rules=services.tickets,
                                       callback_window=services.limits.callback_window)
            return jsonify(ticket_view(ticket))
