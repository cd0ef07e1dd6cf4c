"""The guard in front of every page and Dash endpoint: a signed-in person, or a redirect to the login page (401
for Dash's own requests). /api/ paths no API route took are answered as JSON here, not by Dash's catch-all."""
from __future__ import annotations

from urllib.parse import quote

from flask import Flask, jsonify, redirect, request
from werkzeug.exceptions import HTTPException

from dashboard.web.signin import current_person

OPEN_PREFIXES = ("/login", "/logout", "/lang/", "/kiosk", "/api/", "/socket.io", "/assets/", "/favicon.ico")


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
        response = jsonify({"error": {"code": "method_not_allowed", "details": [],
                                      "message": f"use {', '.join(allowed)}"}})
        response.headers["Allow"] = ", ".join(allowed)
        return response, 405
    return jsonify({"error": {"code": "not_found", "message": f"no API endpoint {path[:200]}", "details": []}}), 404


def install_page_guard(server: Flask, services) -> None:
    """Dash pages and Dash's own endpoints need a signed-in person; machines use the API."""
    @server.before_request
    def _guard():
        path = request.path
        if path.startswith("/api/") and request.blueprint != "api":
            return _api_miss(server, path)
        if path == "/" or not path.startswith(OPEN_PREFIXES):
            if current_person(services) is None:
                if path.startswith("/_dash-") or request.method != "GET":
                    return jsonify({"error": {"code": "unauthorized", "message": "log in", "details": []}}), 401
                return redirect("/login?next=" + quote(path, safe="/"))
        return None
