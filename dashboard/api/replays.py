"""Replays over HTTP: start one of a past period, read it, stop it; a replay wall's snapshot and gap fills."""
from __future__ import annotations

from flask import g, jsonify

from dashboard.api.answers import ErrorOut
from dashboard.api.answers.replays import ReplayOut, ReplaySnapshotOut, ReplaysOut, ReplayUpdatesOut
from dashboard.api.routes import PEOPLE, RouteTable, parse, query_list, query_param
from dashboard.domain import Role
from dashboard.http import ApiError
from dashboard.replay.recording import recordings
from dashboard.replay.session import ReplayLimit
from dashboard.schemas import ReplayIn
from dashboard.services.audit import Actor, record
from dashboard.views import WORKORDER_FIELDS

# Starting a replay is a supervisor's decision (a drill, a review); anyone who may open the wall may watch one.
STARTERS = frozenset({Role.dispatcher, Role.executive, Role.admin})


def register(table: RouteTable, services) -> None:
    def hub():
        if services.replays is None:
            raise ApiError(404, "not_found", "replays are not available on this server")
        return services.replays

    def session_of(replay_id: str):
        session = hub().get(replay_id)
        if session is None:
            raise ApiError(404, "not_found", f"no replay {replay_id[:32]!r} here (replays live in the process that "
                           "started them, and end with it)")
        return session

    @table.add("POST", "/replays", summary="Play a past period of the event log onto replay walls at 1×–60×",
               roles=STARTERS, body=(ReplayIn,), responses={201: ReplayOut, 429: ErrorOut})
    def post_replay():
        body = parse(ReplayIn)
        now = services.clock()
        if body.end > now:
            raise ApiError(422, "validation_failed", "a replay plays a past period: to must not be in the future",
                           [{"field": "to", "message": "in the future"}])
        try:
            session = hub().start(body.start, body.end, body.speed, by=g.principal.name, now=now)
        except ReplayLimit as exc:
            raise ApiError(429, "too_many_replays", str(exc)) from None
        with services.db.write() as db_session:  # the audit trail, not the live tables: who replayed what
            record(db_session, Actor.of(g.principal), "start", "replay", session.id, now,
                   {"from": body.start.isoformat(), "to": body.end.isoformat(), "speed": body.speed})
        return jsonify(session.view()), 201

    @table.add("GET", "/replays", summary="This server's replays, and the recorded periods ready to play",
               roles=PEOPLE, responses={200: ReplaysOut})
    def get_replays():
        with services.db.read() as db_session:
            recorded = recordings(db_session)
        listed = [s.view() for s in hub().all()] if services.replays is not None else []
        return jsonify({"replays": listed, "recordings": recorded})

    @table.add("GET", "/replays/{id}", summary="A replay: its period, speed, status and how far it has played",
               roles=PEOPLE, responses={200: ReplayOut, 404: ErrorOut})
    def get_replay(id: str):
        return jsonify(session_of(id).view())

    @table.add("POST", "/replays/{id}/stop", summary="Stop a replay (its walls keep the last state shown)",
               roles=STARTERS, responses={200: ReplayOut, 404: ErrorOut})
    def stop_replay(id: str):
        session = session_of(id)
        session.stop()
        return jsonify(session.view())

    @table.add("GET", "/replays/{id}/snapshot", summary="A replay's state now, as the live snapshot's shape; `seq` "
               "says where its stream on /replay continues", roles=PEOPLE,
               responses={200: ReplaySnapshotOut, 404: ErrorOut, 422: ErrorOut},
               query=({"name": "order_fields", "in": "query", "required": False,
                       "description": "comma-separated work-order fields to return (default: all)",
                       "schema": {"type": "string"}},))
    def get_replay_snapshot(id: str):
        session = session_of(id)
        fields = query_list("order_fields", WORKORDER_FIELDS)
        snap = session.snapshot()
        if fields is not None:
            wanted = ("id", *(f for f in fields if f != "id"))
            snap["workorders"] = [{f: o.get(f) for f in wanted} for o in snap["workorders"]]
        return jsonify(snap)

    @table.add("GET", "/replays/{id}/updates", summary="A replay's updates after `after` (a seq); 410 when no "
               "longer held (take its snapshot)", roles=PEOPLE,
               responses={200: ReplayUpdatesOut, 404: ErrorOut, 410: ErrorOut, 422: ErrorOut},
               query=({"name": "after", "in": "query", "required": True,
                       "description": "the last seq the client applied", "schema": {"type": "integer"}},))
    def get_replay_updates(id: str):
        session = session_of(id)
        after = query_param("after", int)
        if after is None:
            raise ApiError(422, "validation_failed", "query parameter after is required",
                           [{"field": "after", "message": "required"}])
        updates = session.updates_after(after)
        if updates is None:
            raise ApiError(410, "gone", "those updates are no longer held; take the replay's snapshot")
        return jsonify({"updates": updates})
