"""The wall's start address, `/kiosk?token=<viewer token>`: signs a screen in without a password, throttled."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Blueprint, redirect, request, session

from dashboard.domain import Role
from dashboard.i18n import LANGS, t
from dashboard.services.audit import Actor, record
from dashboard.web.login import throttled
from dashboard.web.sign_pages import lang, message_page
from dashboard.web.signin import current_person, sign_in
from dashboard.web.throttle import Throttle

if TYPE_CHECKING:
    from dashboard.container import Services

log = logging.getLogger(__name__)
# How the browser says it came here: typed, bookmarked or started from the command line ("none"), or from one of
# our own pages. A link on another site (or a browser that does not say) must not sign a browser in as a wall.
DIRECT = ("none", "same-origin")


def create_kiosk(services: Services, throttle: Throttle) -> Blueprint:
    bp = Blueprint("web_kiosk", __name__)
    demo = services.config.demo

    @bp.get("/kiosk")
    def kiosk():
        code = request.args.get("lang") if request.args.get("lang") in LANGS else lang()
        token = request.args.get("token", "")[:256]
        if not token:
            return redirect("/?kiosk=1" if current_person(services) else "/login?next=/kiosk")
        if request.headers.get("Sec-Fetch-Site") not in DIRECT:
            return message_page(code, t("login.kiosk_direct", code)), 403
        address = request.remote_addr or "?"
        wait = throttle.attempt_token(address)
        if wait is not None:
            return throttled(code, wait, "/kiosk", demo)
        info = services.tokens.lookup(services.db.read, token)
        if info is None or info.role != Role.viewer:  # a wall only watches: no other token becomes a sign-in
            log.warning("kiosk sign-in refused from %s", address)
            return message_page(code, t("login.kiosk_bad_token", code)), 401
        throttle.token_succeeded(address)
        session["lang"] = code
        sign_in(services, f"kiosk:{info.name}", info.role, "kiosk", via_token=info.digest)
        with services.db.write() as db_session:
            record(db_session, Actor(info.name, info.role), "sign_in", "kiosk", info.name, services.clock(),
                   {"address": address})
        return redirect("/?kiosk=1")

    return bp
