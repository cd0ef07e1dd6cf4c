"""Work-order endpoints for dispatchers (and crews' terminals for their own transitions)."""
from __future__ import annotations

from flask import g, jsonify

from dashboard.api.answers import CandidatesOut, ErrorOut, WorkOrderDetailOut, WorkOrderListOut, WorkOrderOut
from dashboard.api.routes import RouteTable, parse, query_param
from dashboard.domain import Category, OrderStatus, Role
from dashboard.schemas import AssignIn, MergeIn, TransitionIn
from dashboard.services.audit import Actor
from dashboard.services.dispatch import rank_candidates
from dashboard.services.order_list import MAX_PAGE, OrderFilter, list_orders
from dashboard.services.workorders import assign_crew, merge_orders, order_detail, transition, unmerge_order
from dashboard.views import workorder_view

DISPATCH = frozenset({Role.dispatcher, Role.admin})
TRANSITION = frozenset({Role.dispatcher, Role.admin, Role.ingest})
ID = {"id": int}
CHANGED = {200: WorkOrderOut, 404: ErrorOut, 409: ErrorOut}  # what a change to one order answers


def register(table: RouteTable, services) -> None:
    db, bus, catalog = services.db, services.bus, services.catalog

    @table.add("GET", "/workorders", summary="Work orders, most urgent first (least time left), a page at a time; "
               "every order not yet closed, cancelled or merged unless a status is given", roles=DISPATCH,
               responses={200: WorkOrderListOut, 422: ErrorOut}, query=(
                   {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(OrderStatus)}},
                   {"name": "grid_id", "in": "query", "schema": {"type": "string", "maxLength": 64}},
                   {"name": "district", "in": "query", "schema": {"type": "string", "maxLength": 64}},
                   {"name": "category", "in": "query", "schema": {"type": "string", "enum": list(Category)}},
                   {"name": "level", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 9}},
                   {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                   {"name": "q", "in": "query", "description": "an order id, or part of an address, a customer's "
                    "name or phone", "schema": {"type": "string", "maxLength": 64}},
                   {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                   {"name": "cursor", "in": "query", "description": "`next` of the page before",
                    "schema": {"type": "string", "maxLength": 200}}))
    def get_orders():
        filters = OrderFilter(status=query_param("status", choices=list(OrderStatus)),
                              grid_id=query_param("grid_id", maximum=64), district=query_param("district", maximum=64),
                              category=query_param("category", choices=list(Category)),
                              level=query_param("level", int, minimum=0, maximum=9),
                              overdue=query_param("overdue", bool), search=query_param("q", maximum=64))
        limit = query_param("limit", int, minimum=1, maximum=MAX_PAGE) or 200
        with db.read() as session:
            return jsonify(list_orders(session, filters, limit=limit, cursor=query_param("cursor", maximum=200)))

    @table.add("GET", "/workorders/{id}", summary="One order with its timeline and linked reports",
               roles=DISPATCH, path_types=ID, responses={200: WorkOrderDetailOut, 404: ErrorOut})
    def get_order(id: int):
        with db.read() as session:
            return jsonify(order_detail(session, id))

    @table.add("GET", "/workorders/{id}/candidates", summary="Available crews ranked by ETA",
               roles=DISPATCH, path_types=ID, responses={200: CandidatesOut, 404: ErrorOut})
    def get_candidates(id: int):
        with db.read() as session:
            return jsonify({"workorder_id": id, "items": rank_candidates(session, id)})

    @table.add("POST", "/workorders/{id}/assign", summary="Dispatch the order to a crew", roles=DISPATCH,
               body=(AssignIn,), path_types=ID, responses=CHANGED)
    def post_assign(id: int):
        body = parse(AssignIn)
        with db.write() as session:
            order = assign_crew(session, bus, id, body.crew_id, version=body.version, now=services.clock(),
                                by=Actor.of(g.principal), catalog=catalog, limits=services.limits)
            return jsonify(workorder_view(order))

    @table.add("POST", "/workorders/{id}/transition", summary="Move the order along its lifecycle",
               roles=TRANSITION, body=(TransitionIn,), path_types=ID, responses=CHANGED)
    def post_transition(id: int):
        body = parse(TransitionIn)
        with db.write() as session:
            order = transition(session, bus, id, body.to, now=services.clock(), at=body.at, note=body.note,
                               version=body.version, by=Actor.of(g.principal), catalog=catalog,
                               limits=services.limits, crew_only=g.principal.crew_id)
            return jsonify(workorder_view(order))

    @table.add("POST", "/workorders/{id}/merge", summary="Link a duplicate order into another one",
               roles=DISPATCH, body=(MergeIn,), path_types=ID, responses=CHANGED)
    def post_merge(id: int):
        body = parse(MergeIn)
        with db.write() as session:
            order = merge_orders(session, bus, id, body.into, now=services.clock(), by=Actor.of(g.principal),
                                 catalog=catalog, limits=services.limits)
            return jsonify(workorder_view(order))

    @table.add("POST", "/workorders/{id}/unmerge", summary="Undo a merge (within a shift): the order gets its calls "
               "back and is open again", roles=DISPATCH, path_types=ID, responses=CHANGED)
    def post_unmerge(id: int):
        with db.write() as session:
            order = unmerge_order(session, bus, id, now=services.clock(), by=Actor.of(g.principal), catalog=catalog,
                                  limits=services.limits)
            return jsonify(workorder_view(order))
