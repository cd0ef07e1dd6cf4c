"""The public outage notices as a page, `/outages`: no sign-in, the public feed only, cached and rate-limited."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, make_response, redirect, request

from dashboard.i18n import LANGS
from dashboard.web.outage_notice_page import notice_page, throttled_page
from dashboard.web.sign_pages import lang

if TYPE_CHECKING:
    from dashboard.container import Services

PATH = "/outages"  # open to anyone (web/guard.py lists it); not a role page, so in no one's navigation


def page_lang() -> str:
    """`?lang=en|zh` first (a link anyone can share), else the browser's chosen language (/lang/<code>), else zh."""
    asked = request.args.get("lang")
    return asked if asked in LANGS else lang()


def create_public_outages(services: Services) -> Blueprint:
    bp = Blueprint("web_public_outages", __name__)

    @bp.get(PATH)
    def public_outages():
        code = page_lang()
        wait = services.public_limit.hit("page") if services.public_limit else None
        if wait is not None:
            return throttled_page(code, wait), 429, {"Retry-After": str(wait), "Cache-Control": "no-store"}
        feed = services.public_feed.get()
        config = services.config
        response = make_response(notice_page(feed.body, code, config.timezone, config.center_name))
        # Shared caches may keep it as long as this process keeps the feed; the language may come from the
        # cookie, so Flask's `Vary: Cookie` (the session was read) keeps one reader's language from another.
        response.headers["Cache-Control"] = f"public, max-age={int(config.public_cache_s)}"
        return response

    @bp.get(PATH + "/")
    def public_outages_slash():
        asked = request.args.get("lang")
        return redirect(PATH + (f"?lang={asked}" if asked in LANGS else ""), code=301)

    return bp
