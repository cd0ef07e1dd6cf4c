"""The public pages' rate limit: requests per client address, counted like sign-ins (web/throttle.py)."""
from __future__ import annotations

from flask import request
from flask_limiter import Limiter
from limits import RateLimitItem, parse

from dashboard.web.throttle import Counts


class PublicLimit:
    """Each public surface ("feed", "page") counts a client address on its own; past the limit, the seconds to
    wait. Behind a reverse proxy the address is the browser's only with GRIDCMD_PROXY_HOPS set."""

    def __init__(self, limiter: Limiter, limit: str) -> None:
        self._counts = Counts(limiter, "public rate limit")
        self.item: RateLimitItem = parse(limit)

    def hit(self, surface: str, address: str | None = None) -> int | None:
        """Count one request to `surface` from `address` (the request's by default); None if it may go on."""
        address = address if address is not None else (request.remote_addr or "?")
        return self._counts.hit("public", self.item, (surface, address[:64]))
