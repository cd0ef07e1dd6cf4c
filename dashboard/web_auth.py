"""People's sign-in: a plain login page, the session cookie, and a guard in front of every page."""
from __future__ import annotations

import time
from html import escape
from urllib.parse import urlparse

from flask import Blueprint, Flask, jsonify, redirect, request, session
from werkzeug.exceptions import HTTPException

from dashboard.api.auth import session_principal
from dashboard.i18n import LANGS, t
from dashboard.services.accounts import check_login

OPEN_PREFIXES = ("/login", "/logout", "/lang/", "/kiosk", "/api/", "/socket.io", "/assets/", "/favicon.ico")
PERSON_SESSION_S = 12 * 3600  # a shift and a handover; a wall's viewer session does not end


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never bounce a signed-in person to another host.
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


def _page(lang: str, error: str | None, next_url: str, demo: bool) -> str:
    err = f'<p class="login-error">{escape(error)}</p>' if error else ""
    hint = f'<p class="login-hint">{escape(t("login.demo", lang))}</p>' if demo else ""
    other = "en" if lang == "zh" else "zh"
    return f"""<!doctype html><html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<title>{escape(t("wall.title", lang))} · {escape(t("login.title", lang))}</title>
<link rel="stylesheet" href="/assets/login.css"></head><body class="login">
<form method="post" action="/login" class="login-box">
<h1>{escape(t("wall.title", lang))}</h1>{err}
<label>{escape(t("login.user", lang))}<input name="user" autocomplete="username" required autofocus></label>
<label>{escape(t("login.password", lang))}<input name="password" type="password" autocomplete="current-password"
 required></label><input type="hidden" name="next" value="{escape(next_url)}">
<button type="submit">{escape(t("login.submit", lang))}</button>{hint}
<a class="login-lang" href="/lang/{other}?next=/login">{'English' if other == 'en' else '中文'}</a>
</form></body></html>"""


def _sign_in(name: str, role: str, lang: str) -> None:
    session.clear()
    session.update(user=name, role=role, lang=lang)
    # The cookie lives 400 days and is renewed on every request, so a wall screen never signs out; anyone who
    # can do more than watch is signed out after a shift.
    session.permanent = True
    if role != "viewer":
        session["until"] = time.time() + PERSON_SESSION_S


def create_web_auth(services) -> Blueprint:
    bp = Blueprint("web_auth", __name__)

    @bp.route("/login", methods=["GET", "POST"])
    def login():
        lang = session.get("lang", "zh")
        next_url = _safe_next(request.values.get("next"))
        if request.method == "GET":
            return _page(lang, None, next_url, services.config.demo)
        name, password = request.form.get("user", ""), request.form.get("password", "")
        with services.db.read() as db_session:
            user = check_login(db_session, name[:64], password[:256])
        if user is None:
            return _page(lang, t("login.failed", lang), next_url, services.config.demo), 401
        _sign_in(user.name, user.role, lang)
        return redirect(next_url)

    @bp.get("/kiosk")
    def kiosk():
        """The wall's start URL: `/kiosk?token=<viewer token>` signs the screen in for good (no one types a
        password on a projector) and opens the wall in kiosk mode; without a token it asks for a login first."""
        lang = request.args.get("lang") if request.args.get("lang") in LANGS else session.get("lang", "zh")
        token = request.args.get("token", "")[:256]
        if token:
            role = services.tokens.role_for(services.db.read, token)
            if role != "viewer":  # a kiosk only watches: an ingest or admin token never becomes a browser session
                return _page(lang, t("login.failed", lang), "/kiosk", services.config.demo), 401
            _sign_in("kiosk", role, lang)
        elif session_principal() is None:
            return redirect("/login?next=/kiosk")
        return redirect("/?kiosk=1")

    @bp.get("/logout")
    def logout():
        lang = session.get("lang", "zh")
        session.clear()
        session["lang"] = lang
        return redirect("/login")

    @bp.get("/lang/<code>")
    def set_lang(code: str):
        session["lang"] = code if code in LANGS else "zh"
        return redirect(_safe_next(request.args.get("next")))

    return bp


def _api_miss(server: Flask, path: str):
    """An /api/ path that no API route took (Dash's catch-all page would answer it): 405 or 404, as JSON."""
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
        response = jsonify({"error": {"code": "method_not_allowed", "details": [],
                                      "message": f"use {', '.join(allowed)}"}})
        response.headers["Allow"] = ", ".join(allowed)
        return response, 405
    return jsonify({"error": {"code": "not_found", "message": f"no API endpoint {path}", "details": []}}), 404


def install_page_guard(server: Flask) -> None:
    """Dash pages and Dash's own endpoints need a signed-in person; machines use the API."""
    @server.before_request
    def _guard():
        path = request.path
        if path.startswith("/api/") and request.blueprint != "api":
            return _api_miss(server, path)
        if path == "/" or not path.startswith(OPEN_PREFIXES):
            if session_principal() is None:
                if path.startswith("/_dash-") or request.method != "GET":
                    return jsonify({"error": {"code": "unauthorized", "message": "log in", "details": []}}), 401
                return redirect(f"/login?next={path}")
        return None
