"""The public outage notices as JSON, `GET /public/outages`: no credentials, cached, rate-limited per address."""
from __future__ import annotations

from flask import jsonify, request

from dashboard.api.answers import ErrorOut
from dashboard.api.answers.public import PublicOutagesOut
from dashboard.api.routes import PUBLIC, RouteTable
from dashboard.http import error_response


def register(table: RouteTable, services) -> None:
    @table.add("GET", "/public/outages", summary="No sign-in: outages under way and planned ones coming, by area, "
               "for media, the WeChat account and outage maps; no personal data. Cached (ETag, max-age) and "
               "rate-limited per address", roles=PUBLIC,
               responses={200: PublicOutagesOut, 304: None, 429: ErrorOut})
    def get_public_outages():
        # Credentials are never looked at here: a cookie or token changes nothing in the answer.
        wait = services.public_limit.hit("feed") if services.public_limit else None
        if wait is not None:
            response = error_response(429, "rate_limited", f"too many requests from this address; try again in "
                                      f"{wait} s")
            response.headers.update({"Retry-After": str(wait), "Cache-Control": "no-store"})
            return response
        feed = services.public_feed.get()
        response = jsonify(feed.body)
        # Weak: a rebuild with the same outages keeps the ETag though `generated_at` moved on.
        response.set_etag(feed.etag, weak=True)
        response.headers["Cache-Control"] = f"public, max-age={int(services.config.public_cache_s)}"
        # Any site's outage map may read it from the browser: it carries nothing a credential would unlock.
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response.make_conditional(request)
