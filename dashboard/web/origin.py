"""Cross-site request forgery: a write carried by a person's cookie must come from the app's own pages, as JSON."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Flask, request

from dashboard.http import SAFE_METHODS, error_response
from dashboard.i18n import t
from dashboard.web.sign_pages import lang, message_page
from dashboard.web.signin import current_person

if TYPE_CHECKING:
    from dashboard.container import Services

FORM_PATHS = frozenset({"/login", "/logout"})  # HTML forms: they also carry a token (web/form_token.py)


def request_origin() -> str | None:
    """What the request says it came from: Origin, else the scheme://host of Referer, else None."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin
    try:
        parts = urlsplit(request.headers.get("Referer") or "")
    except ValueError:  # a malformed Referer (http://[) names no origin
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def origin_allowed(origin: str | None, host: str, trusted: frozenset[str]) -> bool:
    """Whether `origin` is this app: the Host the browser addressed (behind a proxy, with proxy_hops set, the
    forwarded one), or one of the trusted origins. Schemes are not compared: a TLS-terminating proxy makes the
    app see http for an https page. No origin, "null" or a malformed one is not this app."""
    if not origin or origin == "null":
        return False
    origin = origin.rstrip("/").lower()
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return (bool(netloc) and netloc == host.lower()) or origin in trusted


def socket_origin_check(services: Services):
    """For python-engineio's cors_allowed_origins: the same rule for the live connection as for writes."""
    trusted = trusted_origins(services)
    return lambda origin, environ: origin_allowed(origin, environ.get("HTTP_HOST", ""), trusted)


def trusted_origins(services: Services) -> frozenset[str]:
    return frozenset(o.lower() for o in services.config.trusted_origins)


def install_same_origin_writes(server: Flask, services: Services) -> None:
    """Writes with a cookie: Origin/Referer must name this app (403) and, outside the forms, be JSON (415). An
    API request with an Authorization header carries no ambient credential and is not checked here."""
    trusted = trusted_origins(services)

    @server.before_request
    def _same_origin_writes():
        if request.method in SAFE_METHODS:
            return None
        if request.path.startswith("/api/") and request.headers.get("Authorization"):
            return None  # the API then ignores the cookie (api/auth.identify)
        form = request.path in FORM_PATHS
        if not form and current_person(services) is None:
            return None  # no cookie credential rides on this request: it gets its 401 from the guard
        if not origin_allowed(request_origin(), request.host, trusted):
            if form:
                return message_page(lang(), t("login.cross_origin", lang())), 403
            return error_response(403, "cross_origin", "this request did not come from this application's pages")
        if not form and request.mimetype != "application/json":
            return error_response(415, "unsupported_media_type", "send Content-Type: application/json")
        return None
