"""The guard in front of every page and Dash endpoint: a signed-in person, or the login page (401 for Dash's own)."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from flask import Flask, redirect, request
from werkzeug.exceptions import HTTPException

from dashboard.http import error_response
from dashboard.web.signin import current_person

if TYPE_CHECKING:
    from dashboard.container import Services

OPEN_PATHS = frozenset({"/login", "/logout", "/kiosk", "/favicon.ico", "/_favicon.ico"})
OPEN_TREES = ("/lang/", "/api/", "/socket.io/", "/assets/")  # whole folders: their own checks, or none needed


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_TREES) or path == "/socket.io"


def _api_miss(server: Flask, path: str):
    """An /api/ path that no API route took (Dash's catch-all page would answer it): 405 or 404, as JSON."""
    adapter = server.url_map.bind("localhost")
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _ = adapter.match(path, method=method)
        except HTTPException:
            continue
        if endpoint.startswith("api."):
            allowed.append(method)
    if allowed:
        response = error_response(405, "method_not_allowed", f"use {', '.join(allowed)}")
        response.headers["Allow"] = ", ".join(allowed)
        return response
    return error_response(404, "not_found", f"no API endpoint {path[:200]}")


def install_page_guard(server: Flask, services: Services) -> None:
    """Dash pages and Dash's own endpoints need a signed-in person; machines use the API."""
    @server.before_request
    def _guard():
        path = request.path
        if path.startswith("/api/") and request.blueprint != "api":
            return _api_miss(server, path)
        if is_open(path) or current_person(services) is not None:
            return None
        if path.startswith("/_dash-") or request.method != "GET":
            return error_response(401, "unauthorized", "log in")
        return redirect("/login?next=" + quote(path, safe="/"))
