"""The browser's cookie: signed, expiring with the sign-in it carries; HttpOnly, SameSite=Lax, Secure behind TLS."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Flask
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from dashboard.services.web_sessions import LONGEST


class SignInCookie(SecureCookieSessionInterface):
    """Flask's signed cookie, whose age is that of the sign-in it carries (a shift for people, renewed by use for
    walls) instead of one lifetime for all; anonymous ones (language, form token) end with the browser."""

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> datetime | None:
        exp = session.get("exp")
        if session.permanent and isinstance(exp, int):
            return datetime.fromtimestamp(exp, timezone.utc)
        return None


def configure_cookie(server: Flask, *, secure: bool) -> None:
    server.session_interface = SignInCookie()
    # The signature's own age limit must cover the longest sign-in, or Flask drops a wall's cookie at 31 days.
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
                         SESSION_REFRESH_EACH_REQUEST=False, PERMANENT_SESSION_LIFETIME=LONGEST + timedelta(days=1),
                         # Behind TLS, __Host-: the cookie cannot be set by another port's or subdomain's page.
                         SESSION_COOKIE_NAME="__Host-session" if secure else "session")
