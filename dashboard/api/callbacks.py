"""Callbacks (回访) over HTTP: the dispatchers' worklist, and attempts recorded by them or posted by the 95598
platform (idempotent on its external_id), by task or by work order."""
from __future__ import annotations

from flask import g, jsonify

from dashboard.api.answers import CallbackAttemptSavedOut, CallbackListOut, ErrorOut
from dashboard.api.routes import RouteTable, parse, query_param
from dashboard.domain import CALLBACK_SUBJECTS, CallbackStatus, Role
from dashboard.http import ApiError
from dashboard.schemas import CallbackAttemptIn
from dashboard.services.audit import Actor
from dashboard.services.callback_attempts import record_attempt, record_for_order
from dashboard.services.callbacks import MAX_PAGE, list_callbacks

READERS = frozenset({Role.dispatcher, Role.admin})
RECORDERS = frozenset({Role.dispatcher, Role.admin, Role.ingest})  # ingest: the 95598 platform posts results
ID = {"id": int}
RECORDED = {200: CallbackAttemptSavedOut, 201: CallbackAttemptSavedOut, 404: ErrorOut, 409: ErrorOut}


def register(table: RouteTable, services) -> None:
    db, bus, catalog = services.db, services.bus, services.catalog

    @table.add("GET", "/callbacks", summary="Callback tasks (回访), oldest due first, a page at a time",
               roles=READERS, responses={200: CallbackListOut, 422: ErrorOut}, query=(
                   {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(CallbackStatus)}},
                   {"name": "subject_kind", "in": "query", "schema": {"type": "string",
                                                                      "enum": list(CALLBACK_SUBJECTS)}},
                   {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                   {"name": "cursor", "in": "query", "description": "`next` of the page before",
                    "schema": {"type": "string", "maxLength": 200}}))
    def get_callbacks():
        status = query_param("status", choices=list(CallbackStatus))
        kind = query_param("subject_kind", choices=list(CALLBACK_SUBJECTS))
        limit = query_param("limit", int, minimum=1, maximum=MAX_PAGE) or 200
        with db.read() as session:
            return jsonify(list_callbacks(session, status=status, subject_kind=kind, limit=limit,
                                          cursor=query_param("cursor", maximum=200)))

    def platform_or_person() -> Actor:
        # A crew terminal's token (ingest bound to a crew) moves its own orders; ringing customers back is not its job.
        if getattr(g.principal, "crew_id", None):
            raise ApiError(403, "forbidden", "a crew's token does not record callbacks")
        return Actor.of(g.principal)

    def answer(view: dict):
        return jsonify(view), 201 if view["created"] else 200

    @table.add("POST", "/callbacks/{id}/attempts", summary="Record one callback attempt: satisfied, not_satisfied "
               "or not_reached (idempotent on external_id)", roles=RECORDERS, body=(CallbackAttemptIn,),
               path_types=ID, responses=RECORDED)
    def post_attempt(id: int):
        body = parse(CallbackAttemptIn)
        with db.write() as session:
            return answer(record_attempt(session, bus, id, body.result, now=services.clock(), at=body.at,
                                         note=body.note, external_id=body.external_id, by=platform_or_person(),
                                         catalog=catalog, limits=services.limits))

    @table.add("POST", "/workorders/{id}/callback", summary="Record a callback attempt for the order's callback "
               "task (what the 95598 platform knows is the order)", roles=RECORDERS, body=(CallbackAttemptIn,),
               path_types=ID, responses=RECORDED)
    def post_order_callback(id: int):
        body = parse(CallbackAttemptIn)
        with db.write() as session:
            return answer(record_for_order(session, bus, id, body.result, now=services.clock(), at=body.at,
                                           note=body.note, external_id=body.external_id, by=platform_or_person(),
                                           catalog=catalog, limits=services.limits))
