"""People's sign-ins for admins: who is signed in where, and "sign this screen out"."""
from __future__ import annotations

from flask import g, jsonify

from dashboard.api.answers import ErrorOut, SessionOut, SessionsOut
from dashboard.api.routes import RouteTable, query_param
from dashboard.domain import Role
from dashboard.models import WebSession
from dashboard.services import web_sessions
from dashboard.services.audit import Actor, record

ADMIN = frozenset({Role.admin})


def register(table: RouteTable, services) -> None:
    db = services.db

    @table.add("GET", "/sessions", summary="People's and walls' sign-ins (active ones unless all=true)",
               roles=ADMIN, responses={200: SessionsOut, 422: ErrorOut},
               query=({"name": "all", "in": "query", "schema": {"type": "boolean"},
                       "description": "include ended sign-ins"},))
    def get_sessions():
        include_ended = bool(query_param("all", bool))
        with db.read() as session:
            return jsonify({"items": web_sessions.list_sessions(session, services.clock(),
                                                                include_ended=include_ended)})

    @table.add("DELETE", "/sessions/{id}", summary="End a sign-in now (its cookie and live connection stop working)",
               roles=ADMIN, path_types={"id": int}, responses={200: SessionOut, 404: ErrorOut})
    def delete_session(id: int):
        now = services.clock()
        with db.write() as session:
            if web_sessions.end_session(session, id, by=g.principal.name, now=now):
                record(session, Actor.of(g.principal), "session_ended", "session", id, now)
            view = web_sessions.session_view(session.get(WebSession, id), now)
        return jsonify(view)
