"""The browser's cookie: Flask's signed cookie, expiring with the sign-in it carries (a shift for people, renewed
by use for walls) instead of one lifetime for all; HttpOnly, SameSite=Lax, Secure behind TLS."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class SignInCookie(SecureCookieSessionInterface):
    def get_expiration_time(self, app: Flask, session) -> datetime | None:
        exp = session.get("exp")
        if session.permanent and isinstance(exp, int):
            return datetime.fromtimestamp(exp, timezone.utc)
        return None  # anonymous (language, form token): gone when the browser closes


def configure_cookie(server: Flask, *, secure: bool) -> None:
    server.session_interface = SignInCookie()
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
                         SESSION_REFRESH_EACH_REQUEST=False)
