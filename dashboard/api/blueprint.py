"""Builds the /api/v1 blueprint: every declared route behind its role check, plus /healthz and /openapi.json."""
from __future__ import annotations

import functools
import time

from flask import Blueprint, jsonify
from sqlalchemy import text

from dashboard.api import (audit, callbacks, contacts, ingest, network, notifications, orders, public, reading,
                           reliability, replays, reports, sessions, staffing, tickets)
from dashboard.api.answers import HealthOut, OpenApiOut
from dashboard.api.auth import require
from dashboard.http import ApiError
from dashboard.api.openapi import build_openapi
from dashboard.api.routes import ANYONE, PUBLIC, Route, RouteTable
from dashboard.schemas import bad_text
from dashboard.schemas import MAX_ID

PREFIX = "/api/v1"


def create_api(services) -> tuple[Blueprint, RouteTable]:
    table = RouteTable()
    for module in (ingest, orders, network, reading, sessions, audit, contacts, notifications, public,
                   callbacks, tickets, reliability, reports, replays, staffing):
        module.register(table, services)
    document: dict = {}
    _register_own(table, services, document)
    document.update(build_openapi(table, PREFIX))  # it lists itself: built once the table is whole
    bp = Blueprint("api", __name__, url_prefix=PREFIX)
    for route in table.routes:
        bp.add_url_rule(route.flask_rule(), endpoint=f"{route.handler.__name__}",
                        view_func=_guarded(route, services), methods=[route.method])
    return bp, table


def _register_own(table: RouteTable, services, document: dict) -> None:
    """The API's own routes: the document describing it and the health check."""
    @table.add("GET", "/openapi.json", summary="This document", roles=ANYONE, responses={200: OpenApiOut})
    def get_openapi():
        return jsonify(document)

    @table.add("GET", "/healthz", summary="Liveness and dependencies; no auth", roles=PUBLIC,
               responses={200: HealthOut, 503: HealthOut})
    def healthz():
        db_ok = True
        try:
            with services.db.read() as session:
                session.execute(text("SELECT 1"))
        except Exception:  # any database failure is what this endpoint exists to report
            db_ok = False
        bus = services.bus.health()
        status = "ok" if db_ok and bus.get("ok") else ("degraded" if db_ok else "down")
        body = {"status": status, "database": {"ok": db_ok}, "bus": bus, "grids": len(services.catalog.info)}
        return jsonify(body), 200 if db_ok else 503


def _check_path(route: Route, kwargs: dict) -> None:
    for name, value in kwargs.items():
        if isinstance(value, int):
            if value > MAX_ID:  # past the id columns' range: no such row can exist
                raise ApiError(404, "not_found", f"no {name} {value}")
        elif (problem := bad_text(value)) is not None:
            raise ApiError(422, "validation_failed", f"{name} {problem}", [{"field": name, "message": problem}])


def _guarded(route: Route, services):
    @functools.wraps(route.handler)
    def view(**kwargs):
        started = time.perf_counter()
        if route.roles is not PUBLIC:
            require(services, route.roles)
        _check_path(route, kwargs)
        response = route.handler(**kwargs)
        services.metrics.inc("api_requests_total", route=f"{route.method} {route.path}")
        services.metrics.inc("api_seconds_total", time.perf_counter() - started, route=f"{route.method} {route.path}")
        return response
    return view
