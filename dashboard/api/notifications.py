"""The notices' history over HTTP: every notice, its channel, recipients, attempts and outcome."""
from __future__ import annotations

from flask import g, jsonify

from dashboard.api.answers import ErrorOut, NotificationOut, NotificationsOut
from dashboard.api.routes import RouteTable, query_param, query_time
from dashboard.domain import Role
from dashboard.http import ApiError
from dashboard.notify.history import STATUSES, list_notifications
from dashboard.notify.requeue import requeue
from dashboard.services.audit import Actor

READERS = frozenset({Role.dispatcher, Role.admin})
ADMIN = frozenset({Role.admin})


def register(table: RouteTable, services) -> None:
    db = services.db

    @table.add("GET", "/notifications", summary="Every notice queued in [from, to), newest first: to whom, through "
               "which channel, about what, and whether it was delivered", roles=READERS,
               responses={200: NotificationsOut, 422: ErrorOut}, query=(
                   {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                   {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                   {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
                   {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
                   {"name": "cursor", "in": "query", "schema": {"type": "string", "maxLength": 20}}))
    def get_notifications():
        cursor = query_param("cursor", maximum=20)
        if cursor is not None and not (cursor.isdigit() and len(cursor) <= 10):
            raise ApiError(422, "validation_failed", "cursor is not one this server gave", [{"field": "cursor"}])
        with db.read() as session:
            items, nxt = list_notifications(session, start=query_time("from"), end=query_time("to"),
                                            status=query_param("status", choices=STATUSES),
                                            limit=query_param("limit", int, minimum=1, maximum=1000) or 200,
                                            before_id=int(cursor) if cursor else None)
        return jsonify({"items": items, "next": None if nxt is None else str(nxt)})

    @table.add("POST", "/notifications/{id}/requeue", summary="Send a dead notice again: back to pending with its "
               "tries reset and the same notice id (a receiver that already took it drops it); 409 unless dead",
               roles=ADMIN, path_types={"id": int}, responses={200: NotificationOut, 404: ErrorOut, 409: ErrorOut})
    def post_requeue(id: int):
        with db.write() as session:
            view = requeue(session, id, services.clock(), Actor.of(g.principal))
        services.wake_notifier()  # after the commit: the worker finds it due at once
        return jsonify(view)
