"""The audit log over HTTP: who did what, filtered and paged, as JSON or CSV (admins and executives)."""
from __future__ import annotations

from flask import Response, jsonify

from dashboard.api.answers import AuditOut, ErrorOut
from dashboard.api.routes import RouteTable, Text, query_param, query_time
from dashboard.domain import Role
from dashboard.http import ApiError
from dashboard.services.audit import as_csv, list_entries

READERS = frozenset({Role.admin, Role.executive})


def register(table: RouteTable, services) -> None:
    db = services.db

    @table.add("GET", "/audit", summary="Who did what, oldest first from `from` (a page at a time); format=csv too",
               roles=READERS, responses={200: (AuditOut, Text("text/csv")), 422: ErrorOut}, query=(
                   {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                   {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                   {"name": "actor", "in": "query", "schema": {"type": "string", "maxLength": 64}},
                   {"name": "action", "in": "query", "schema": {"type": "string", "maxLength": 32}},
                   {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000}},
                   {"name": "cursor", "in": "query", "schema": {"type": "string", "maxLength": 20}},
                   {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}))
    def get_audit():
        cursor = query_param("cursor", maximum=20)
        if cursor is not None and not (cursor.isdigit() and len(cursor) <= 18):
            raise ApiError(422, "validation_failed", "cursor is not one this server gave", [{"field": "cursor"}])
        with db.read() as session:
            items, nxt = list_entries(session, start=query_time("from"), end=query_time("to"),
                                      actor=query_param("actor", maximum=64), action=query_param("action", maximum=32),
                                      limit=query_param("limit", int, minimum=1, maximum=5000) or 200,
                                      after_id=int(cursor) if cursor else None)
        if query_param("format", choices=["json", "csv"]) == "csv":
            return Response(as_csv(items), mimetype="text/csv",
                            headers={"Content-Disposition": "attachment; filename=audit.csv"})
        return jsonify({"items": items, "next": None if nxt is None else str(nxt)})
