"""The guard in front of every page and Dash endpoint: a signed-in person whose role may open the page."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from flask import Flask, redirect, request

from dashboard.http import error_response
from dashboard.i18n import t
from dashboard.web.pages import PageTable
from dashboard.web.sign_pages import lang, status_page
from dashboard.web.signin import current_person

if TYPE_CHECKING:
    from dashboard.container import Services

# The public outage notices (/outages) are for anyone: web/public_outages.py serves them from the public feed only.
OPEN_PATHS = frozenset({"/login", "/logout", "/kiosk", "/outages", "/outages/", "/favicon.ico", "/_favicon.ico"})
OPEN_TREES = ("/lang/", "/api/", "/socket.io/", "/assets/")  # whole folders: their own checks, or none needed
DASH_PREFIX = "/_"  # Dash's own endpoints (layout, dependencies, callbacks, scripts): any signed-in person


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_TREES) or path == "/socket.io"


def _api_miss(server: Flask, path: str):
    """An /api/ path that no API route took (Dash's catch-all page would answer it): 405 or 404, as JSON."""
    from werkzeug.exceptions import HTTPException
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


def install_page_guard(server: Flask, services: Services, pages: PageTable) -> None:
    """Pages and Dash's endpoints need a signed-in person; a page also needs a role that may open it (403 page
    otherwise, and its layout is never served); `/` sends each person to their home page; other paths are 404."""
    def links(role) -> list[tuple[str, str]]:
        return [(p.path, t(p.title_key, lang())) for p in pages.for_role(role)] + [("/logout", t("logout.title",
                                                                                                  lang()))]

    @server.before_request
    def _guard():
        path = request.path
        if path.startswith("/api/") and request.blueprint != "api":
            return _api_miss(server, path)
        if is_open(path):
            return None
        person = current_person(services)
        if person is None:
            if path.startswith(DASH_PREFIX) or request.method != "GET":
                return error_response(401, "unauthorized", "log in")
            return redirect("/login?next=" + quote(request.full_path.rstrip("?"), safe="/?=&"))
        if path.startswith(DASH_PREFIX):
            return None
        if path == "/":
            home = pages.home(person.role) or next((p.path for p in pages.for_role(person.role)), None)
            query = request.query_string.decode("latin-1")
            return redirect(home + (f"?{query}" if query and home else "")) if home else \
                (status_page(lang(), t("page.nothing", lang()), links(person.role)), 403)
        page = pages.find(path)
        if page is None:
            return status_page(lang(), t("page.not_found", lang()), links(person.role)), 404
        if person.role not in page.roles:
            return status_page(lang(), t("page.forbidden", lang()), links(person.role)), 403
        return None
