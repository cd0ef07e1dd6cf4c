"""Security headers on every answer, from a WSGI middleware outside everything; no versions in Server."""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Sequence

from werkzeug.serving import WSGIRequestHandler

SERVER = "GridCommand"


def script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def content_security_policy(script_hashes: Sequence[str]) -> str:
    """Only this origin, nothing inline but the scripts whose hashes are listed.
    - style-src 'unsafe-inline': plotly.js and MapLibre add <style> elements and style attributes at run time.
    - worker-src/child-src blob: and img-src blob: data:: MapLibre runs its tile workers from blob URLs and
      draws through blob and data images.
    No 'unsafe-eval': Dash, dcc.Graph with the map traces and dash-socketio run without it."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "child-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class SecurityHeaders:
    def __init__(self, app: Callable, csp: str, *, hsts: bool = False):
        self.app = app
        self.headers = [
            ("Content-Security-Policy", csp),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ] + ([("Strict-Transport-Security", "max-age=31536000")] if hsts else [])
        self._names = {name.lower() for name, _ in self.headers}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        def with_headers(status: str, headers: list, exc_info=None):
            kept = [(k, v) for k, v in headers if k.lower() not in self._names]
            return start_response(status, kept + self.headers, exc_info) if exc_info else \
                start_response(status, kept + self.headers)
        return self.app(environ, with_headers)


class ServerNameHandler(WSGIRequestHandler):
    """The built-in server's request handler, saying "GridCommand" where it would name Werkzeug's and Python's
    versions (it writes its Server header before the application's)."""

    def version_string(self) -> str:
        return SERVER
