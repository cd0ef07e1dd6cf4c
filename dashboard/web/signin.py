"""The signed-in person of a browser request: the cookie carries a random key, the server holds the sign-in
(services/web_sessions.py) and checks it on every request, so that ending it on the server ends it everywhere."""
from __future__ import annotations

import secrets

from flask import g, request, session

from dashboard.domain import Role
from dashboard.principal import Principal
from dashboard.services import web_sessions

_CACHE = "_gridcmd_person"


def current_person(services) -> Principal | None:
    """The person behind this request's cookie, looked up once per request; None if signed out or ended."""
    if _CACHE in g:
        return g.get(_CACHE)
    person = None
    key = session.get("sid")
    if isinstance(key, str) and key:
        now = services.clock()
        with services.db.read() as db_session:
            row = web_sessions.find_active(db_session, key, now)
        if row is not None and row.role in Role.__members__:
            person = Principal("user", row.user_name, Role(row.role), row.id)
            if web_sessions.needs_renewal(row, now):
                with services.db.write() as db_session:
                    web_sessions.renew(db_session, [row.id], now)
                _set_cookie_expiry(row.role, row.kind, now)
        elif row is None:
            session.pop("sid", None)  # ended on the server: the cookie goes back to anonymous
    setattr(g, _CACHE, person)
    return person


def _set_cookie_expiry(role: str, kind: str, now) -> None:
    # The cookie lives as long as the sign-in may: a shift for people, renewed by use for walls and viewers.
    session["exp"] = int((now + web_sessions.lifetime(role, kind).length).timestamp())
    session.permanent = True


def sign_in(services, name: str, role: str, kind: str) -> None:
    """Open a server-side sign-in and bind this browser to it; whatever the cookie held before is dropped."""
    now = services.clock()
    with services.db.write() as db_session:
        key = web_sessions.open_session(db_session, user=name, role=role, kind=kind, now=now,
                                        address=request.remote_addr, user_agent=request.user_agent.string)
    lang = session.get("lang", "zh")
    session.clear()
    session.update(sid=key, lang=lang)
    _set_cookie_expiry(role, kind, now)
    setattr(g, _CACHE, None)


def sign_out(services) -> None:
    person = current_person(services)
    if person is not None and person.session_id is not None:
        with services.db.write() as db_session:
            web_sessions.end_session(db_session, person.session_id, by=person.name, now=services.clock())
    lang = session.get("lang", "zh")
    session.clear()
    session["lang"] = lang
    setattr(g, _CACHE, None)


def form_token() -> str:
    """The anti-forgery token of this browser's forms (login, logout), kept in its signed cookie."""
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
