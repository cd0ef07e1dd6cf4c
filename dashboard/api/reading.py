"""Read endpoints: snapshot, grids, KPIs, metrics."""
from __future__ import annotations

from flask import Response, current_app, g, jsonify, request

from dashboard.api.answers import ErrorOut, GridsOut, KpisOut, SnapshotOut, UpdatesOut
from dashboard.api.answers.period_kpis import PeriodKpisOut
from dashboard.api.kpi_period import period
from dashboard.http import ApiError
from dashboard.api.routes import ANYONE, RouteTable, Text, query_list, query_param
from dashboard.domain import Role
from dashboard.services.kpis import compute_kpis
from dashboard.services.period_kpis import period_kpis
from dashboard.services.snapshot import build_snapshot
from dashboard.views import WORKORDER_FIELDS

# Contract §2 "Executive figures": a period's figures are for executives and admins; dispatchers may read them.
PERIOD_READERS = frozenset({Role.executive, Role.admin, Role.dispatcher})


def register(table: RouteTable, services) -> None:
    db = services.db

    @table.add("GET", "/snapshot", summary="Everything live now; `seq` says where the push stream continues",
               roles=ANYONE, responses={200: SnapshotOut, 422: ErrorOut},
               query=({"name": "order_fields", "in": "query", "required": False,
                       "description": "comma-separated work-order fields to return (default: all); `id` always "
                       "comes", "schema": {"type": "string"}},))
    def get_snapshot():
        fields = query_list("order_fields", WORKORDER_FIELDS)
        fields = WORKORDER_FIELDS if fields is None else ("id", *(f for f in fields if f != "id"))

        def build() -> bytes:
            with db.read() as session:
                snapshot = build_snapshot(session, services.bus, services.catalog, services.clock(),
                                          services.rule, fields)
            return current_app.json.dumps(snapshot).encode()
        # Screens reconnecting together after a restart share builds (about a second each in a storm).
        return Response(services.snapshots.get(fields, build), mimetype="application/json")

    @table.add("GET", "/updates", summary="The pushed `update`s after `after` (a seq), while this server still "
               "holds them; 410 when it does not (take a snapshot then)", roles=ANYONE,
               responses={200: UpdatesOut, 410: ErrorOut, 422: ErrorOut},
               query=({"name": "after", "in": "query", "required": True,
                       "description": "the last seq the client applied", "schema": {"type": "integer"}},))
    def get_updates():
        after = query_param("after", int)
        if after is None:
            raise ApiError(422, "validation_failed", "query parameter after is required",
                           [{"field": "after", "message": "required"}])
        updates = services.recent.after(after, services.bus.current_seq())
        if updates is None:
            raise ApiError(410, "gone", "those updates are no longer held here; take a snapshot")
        return jsonify({"updates": updates})

    @table.add("GET", "/grids", summary="Service grids as a GeoJSON FeatureCollection (WGS-84); ETag = `version`",
               roles=ANYONE, responses={200: GridsOut, 304: None})
    def get_grids():
        # Walls fetch the outlines on every load: with the ETag an unchanged grid set costs a 304.
        response = jsonify(services.catalog.feature_collection | {"version": services.catalog.version})
        response.set_etag(services.catalog.version)
        response.headers["Cache-Control"] = "private, no-cache"
        return response.make_conditional(request)

    @table.add("GET", "/kpis", summary="Today's KPIs against the commitments; with from/to/district, the figures of "
               "that period (orders, outages, call center, service, by district and grid, a series): executive, "
               "admin and dispatcher", roles=ANYONE,
               responses={200: (KpisOut, PeriodKpisOut), 403: ErrorOut, 422: ErrorOut}, query=(
                   {"name": "from", "in": "query", "description": "a local date YYYY-MM-DD (its midnight) or a time "
                    "with an offset; default today's midnight", "schema": {"type": "string", "maxLength": 64}},
                   {"name": "to", "in": "query", "description": "a local date (inclusive: the whole day) or a time "
                    "with an offset (exclusive); default now; at most 400 days after from",
                    "schema": {"type": "string", "maxLength": 64}},
                   {"name": "district", "in": "query", "schema": {"type": "string", "maxLength": 64}}))
    def get_kpis():
        if not any(request.args.get(n) for n in ("from", "to", "district")):
            with db.read() as session:
                return jsonify(compute_kpis(session, services.clock(), services.rule))
        if g.principal.role not in PERIOD_READERS:
            raise ApiError(403, "forbidden", f"role {g.principal.role} may not read a period's figures")
        now = services.clock()
        start, end = period(services.rule.timezone, now)
        district = query_param("district", maximum=64)
        if district is not None and district not in services.catalog.districts():
            raise ApiError(422, "validation_failed", "query parameter district is not a district of the service "
                           "grids", [{"field": "district", "message": "unknown district"}])
        with db.read() as session:
            return jsonify(period_kpis(session, start, end, district=district, rule=services.rule, now=now,
                                       sustained_min=services.config.sustained_min))

    @table.add("GET", "/metrics", summary="Prometheus text metrics", roles=ANYONE, responses={200: Text()})
    def get_metrics():
        return Response(services.metrics.render(), mimetype="text/plain; version=0.0.4")
