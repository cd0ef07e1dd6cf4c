"""Cross-site request forgery: a write carried by a browser's cookie must come from the app's own pages (Origin,
or Referer when a browser sends no Origin) and, outside the HTML forms, be JSON (a cross-site form cannot send
application/json without the browser asking first, which this server never allows). Bearer-token clients carry no
ambient credential and are not affected; the forms (login, logout) also carry a token (web/signin.py)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request

from dashboard.api.errors import error_response
from dashboard.web.signin import current_person

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_PATHS = frozenset({"/login", "/logout"})


def request_origin() -> str | None:
    """scheme://host[:port] the request says it came from, or None when it does not say."""
    origin = request.headers.get("Origin")
    if origin is None:
        referer = request.headers.get("Referer")
        if not referer:
            return None
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
    return None if origin in (None, "null") else origin.rstrip("/")


def from_own_origin(trusted: frozenset[str]) -> bool:
    origin = request_origin()
    if origin is None:
        return False
    # The Host the browser addressed is the app's own origin (behind a proxy: with proxy_hops set, the forwarded
    # one). Schemes are not compared: a TLS-terminating proxy makes the app see http for an https page.
    return urlsplit(origin).netloc.lower() == request.host.lower() or origin in trusted


def install_same_origin_writes(server: Flask, services) -> None:
    trusted = frozenset(services.config.trusted_origins)

    @server.before_request
    def _same_origin_writes():
        if request.method in SAFE_METHODS or request.headers.get("Authorization"):
            return None
        form = request.path in FORM_PATHS
        if not form and current_person(services) is None:
            return None  # no cookie credential rides on this request: it gets its 401 from the guard
        if not from_own_origin(trusted):
            return error_response(403, "cross_origin", "this request did not come from this application's pages")
        if not form and request.mimetype != "application/json":
            return error_response(415, "unsupported_media_type", "send Content-Type: application/json")
        return None
