"""Read endpoints: snapshot, grids, KPIs, metrics."""
from __future__ import annotations

from flask import Response, jsonify

from dashboard.api.errors import ApiError
from dashboard.api.routes import ANYONE, RouteTable, query_param
from dashboard.services.kpis import compute_kpis
from dashboard.services.snapshot import build_snapshot


def register(table: RouteTable, services) -> None:
    db = services.db

    @table.add("GET", "/snapshot", summary="Everything live now; `seq` says where the push stream continues",
               roles=ANYONE)
    def get_snapshot():
        with db.read() as session:
            return jsonify(build_snapshot(session, services.bus, services.catalog, services.clock(),
                                          services.rule))

    @table.add("GET", "/updates", summary="The pushed `update`s after `after` (a seq), while this server still "
               "holds them; 410 when it does not (take a snapshot then)", roles=ANYONE, responses=(200, 410, 422),
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

    @table.add("GET", "/grids", summary="Service grids as a GeoJSON FeatureCollection (WGS-84)", roles=ANYONE)
    def get_grids():
        return jsonify(services.catalog.feature_collection | {"version": services.catalog.version})

    @table.add("GET", "/kpis", summary="Today's KPIs against the commitments", roles=ANYONE)
    def get_kpis():
        with db.read() as session:
            return jsonify(compute_kpis(session, services.clock(), services.rule))

    @table.add("GET", "/metrics", summary="Prometheus text metrics", roles=ANYONE)
    def get_metrics():
        return Response(services.metrics.render(), mimetype="text/plain; version=0.0.4")
