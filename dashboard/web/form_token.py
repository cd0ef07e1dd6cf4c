"""The anti-forgery token of a browser's HTML forms (login, logout), kept in its signed cookie."""
from __future__ import annotations

import secrets

from flask import session


def form_token() -> str:
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) != 43:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def form_token_ok(sent: str | None) -> bool:
    expected = session.get("csrf")
    if not isinstance(expected, str) or not isinstance(sent, str):
        return False
    # As bytes: compare_digest refuses non-ASCII text, and a forged form may send any.
    return secrets.compare_digest(expected.encode(), sent.encode("utf-8", "surrogatepass"))
