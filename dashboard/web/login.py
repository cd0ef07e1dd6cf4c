"""Sign-in pages: the login form (with its anti-forgery token, throttled), the wall's kiosk link, sign-out, language."""
from __future__ import annotations

import logging
import math
from html import escape
from urllib.parse import urlparse

from flask import Blueprint, redirect, request, session
from flask_limiter import Limiter

from dashboard.i18n import LANGS, t
from dashboard.services.accounts import check_login
from dashboard.web.signin import current_person, form_token, form_token_ok, sign_in, sign_out
from dashboard.web.throttle import Throttle

log = logging.getLogger(__name__)


def _safe_next(target: str | None) -> str:
    # Only same-site paths (never bounce a signed-in person to another host), and nothing that could break the
    # Location header (control characters).
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target) or urlparse(target).netloc:
        return "/"
    return target


def _lang() -> str:
    lang = session.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def _shell(lang: str, title: str, body: str) -> str:
    return f"""<!doctype html><html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("wall.title", lang))} · {escape(title)}</title>
<link rel="stylesheet" href="/assets/login.css"></head><body class="login">{body}</body></html>"""


def login_page(lang: str, error: str | None, next_url: str, demo: bool) -> str:
    err = f'<p class="login-error">{escape(error)}</p>' if error else ""
    hint = f'<p class="login-hint">{escape(t("login.demo", lang))}</p>' if demo else ""
    other = "en" if lang == "zh" else "zh"
    return _shell(lang, t("login.title", lang), f"""<form method="post" action="/login" class="login-box">
<h1>{escape(t("wall.title", lang))}</h1>{err}
<label>{escape(t("login.user", lang))}<input name="user" autocomplete="username" required autofocus></label>
<label>{escape(t("login.password", lang))}<input name="password" type="password" autocomplete="current-password"
 required></label><input type="hidden" name="next" value="{escape(next_url)}">
<input type="hidden" name="csrf_token" value="{escape(form_token())}">
<button type="submit">{escape(t("login.submit", lang))}</button>{hint}
<a class="login-lang" href="/lang/{other}?next=/login">{'English' if other == 'en' else '中文'}</a>
</form>""")


def _logout_page(lang: str) -> str:
    return _shell(lang, t("logout.title", lang), f"""<form method="post" action="/logout" class="login-box">
<h1>{escape(t("logout.title", lang))}</h1><p>{escape(t("logout.question", lang))}</p>
<input type="hidden" name="csrf_token" value="{escape(form_token())}">
<button type="submit">{escape(t("logout.submit", lang))}</button></form>""")


def _message_page(lang: str, text: str) -> str:
    return _shell(lang, t("login.title", lang), f'<div class="login-box"><p class="login-error">{escape(text)}</p>'
                                                f'<a class="login-lang" href="/login">{escape(t("login.title", lang))}</a></div>')


def create_login(services, limiter: Limiter) -> Blueprint:
    bp = Blueprint("web_login", __name__)
    demo = services.config.demo
    throttle = Throttle(limiter, services.config)

    def throttled_page(retry_after_s: int):
        minutes = max(1, math.ceil(retry_after_s / 60))
        return login_page(_lang(), t("login.throttled", _lang()).format(minutes=minutes), "/", demo)

    @bp.get("/login")
    def login_form():
        return login_page(_lang(), None, _safe_next(request.args.get("next")), demo)

    @bp.post("/login")
    @throttle.sign_in(throttled_page)
    def login():
        lang = _lang()
        next_url = _safe_next(request.form.get("next"))
        if not form_token_ok(request.form.get("csrf_token")):
            # A form not served by us to this browser (login CSRF), or one left open past a restart.
            return login_page(lang, t("login.expired", lang), next_url, demo), 400
        name, password = request.form.get("user", "")[:64], request.form.get("password", "")[:256]
        with services.db.read() as db_session:
            user = check_login(db_session, name, password)
        if user is None:
            log.warning("sign-in failed for user %r from %s", name, request.remote_addr)
            return login_page(lang, t("login.failed", lang), next_url, demo), 401
        log.info("signed in: %r (%s) from %s", user.name, user.role, request.remote_addr)
        sign_in(services, user.name, user.role, "password")
        return redirect(next_url)

    @bp.get("/kiosk")
    @throttle.kiosk(throttled_page)
    def kiosk():
        """The wall's start URL: `/kiosk?token=<viewer token>` signs the screen in (no one types a password on a
        projector) and opens the wall in kiosk mode; without a token it asks for a login first."""
        lang = request.args.get("lang") if request.args.get("lang") in LANGS else _lang()
        token = request.args.get("token", "")[:256]
        if token:
            # Typed, bookmarked or started from the command line: "none". A link on another site must not sign a
            # browser in as someone else (login CSRF through a GET).
            if request.headers.get("Sec-Fetch-Site", "none") not in ("none", "same-origin"):
                return _message_page(lang, t("login.kiosk_direct", lang)), 403
            role = services.tokens.role_for(services.db.read, token)
            if role != "viewer":  # a kiosk only watches: an ingest or admin token never becomes a browser session
                log.warning("kiosk sign-in refused from %s", request.remote_addr)
                return login_page(lang, t("login.failed", lang), "/kiosk", demo), 401
            session["lang"] = lang
            sign_in(services, "kiosk", role, "kiosk")
        elif current_person(services) is None:
            return redirect("/login?next=/kiosk")
        return redirect("/?kiosk=1")

    @bp.get("/logout")
    def logout_form():
        if current_person(services) is None:
            return redirect("/login")
        return _logout_page(_lang())

    @bp.post("/logout")
    def logout():
        if not form_token_ok(request.form.get("csrf_token")):
            return _logout_page(_lang()), 400
        sign_out(services)
        return redirect("/login")

    @bp.get("/lang/<code>")
    def set_lang(code: str):
        session["lang"] = code if code in LANGS else "zh"
        return redirect(_safe_next(request.args.get("next")))

    return bp
