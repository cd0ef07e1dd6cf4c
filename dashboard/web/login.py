"""Signing in and out with a password: the login form (anti-forgery token, throttled), sign-out, the language."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Blueprint, redirect, request, session

from dashboard.errors import Conflict
from dashboard.i18n import LANGS, t
from dashboard.services.accounts import check_login
from dashboard.services.audit import Actor, record
from dashboard.web.form_token import form_token_ok
from dashboard.web.sign_pages import lang, login_page, logout_page, safe_next
from dashboard.web.signin import current_person, sign_in, sign_out
from dashboard.web.throttle import Throttle

if TYPE_CHECKING:
    from dashboard.container import Services

log = logging.getLogger(__name__)


def throttled(code: str, retry_after: int, next_url: str, demo: bool):
    minutes = max(1, -(-retry_after // 60))
    page = login_page(code, t("login.throttled", code).format(minutes=minutes), next_url, demo)
    return page, 429, {"Retry-After": str(retry_after)}


def create_login(services: Services, throttle: Throttle) -> Blueprint:
    bp = Blueprint("web_login", __name__)
    demo = services.config.demo

    @bp.get("/login")
    def login_form():
        return login_page(lang(), None, safe_next(request.args.get("next")), demo)

    @bp.post("/login")
    def login():
        code, next_url = lang(), safe_next(request.form.get("next"))
        if not form_token_ok(request.form.get("csrf_token")):
            # A form not served by us to this browser (login CSRF), or one left open past a restart.
            return login_page(code, t("login.expired", code), next_url, demo), 400
        name, password = request.form.get("user", "")[:64], request.form.get("password", "")[:256]
        address = request.remote_addr or "?"
        wait = throttle.attempt(name, address)
        if wait is not None:
            return throttled(code, wait, next_url, demo)
        with services.db.read() as db_session:
            user = check_login(db_session, name, password)
        now = services.clock()
        if user is None:
            log.warning("sign-in failed for user %r from %s", name, address)
            with services.db.write() as db_session:
                record(db_session, Actor("anonymous", "none"), "sign_in_failed", "user", name, now,
                       {"address": address})
            return login_page(code, t("login.failed", code), next_url, demo), 401
        try:
            sign_in(services, user.name, user.role, "password", password_hash=user.password_hash)
        except Conflict:  # disabled or re-passworded between the check and now
            return login_page(code, t("login.failed", code), next_url, demo), 401
        throttle.succeeded(name, address)
        with services.db.write() as db_session:
            record(db_session, Actor(user.name, user.role), "sign_in", "user", user.name, now, {"address": address})
        log.info("signed in: %r (%s) from %s", user.name, user.role, address)
        return redirect(next_url)

    @bp.get("/logout")
    def logout_form():
        if current_person(services) is None:
            return redirect("/login")
        return logout_page(lang())

    @bp.post("/logout")
    def logout():
        if not form_token_ok(request.form.get("csrf_token")):
            return logout_page(lang(), t("login.expired", lang())), 400
        person = current_person(services)
        sign_out(services)
        if person is not None:
            with services.db.write() as db_session:
                record(db_session, Actor.of(person), "sign_out", "user", person.name, services.clock())
        return redirect("/login")

    @bp.get("/lang/<code>")
    def set_lang(code: str):
        session["lang"] = code if code in LANGS else "zh"
        return redirect(safe_next(request.args.get("next")))

    return bp
