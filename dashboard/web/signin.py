"""The signed-in person of a browser request: the cookie carries a random key, the server holds the sign-in."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import g, request, session

from dashboard.domain import Role
from dashboard.principal import Principal
from dashboard.services import web_sessions

if TYPE_CHECKING:
    from dashboard.container import Services

_CACHE = "_gridcmd_person"


def current_person(services: Services) -> Principal | None:
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
                row.expires_at = now + web_sessions.lifetime(row.role, row.kind).length
            # A wall's live connection renews its sign-in on the server (sessions_in_use): its cookie follows at
            # the next request, so it never expires before the sign-in does.
            if session.get("exp", 0) < int(row.expires_at.timestamp()) - 60:
                _keep_cookie_until(int(row.expires_at.timestamp()))
        elif row is None:
            session.pop("sid", None)  # ended on the server: the cookie goes back to anonymous
    setattr(g, _CACHE, person)
    return person


def _keep_cookie_until(epoch: int) -> None:
    session["exp"] = epoch
    session.permanent = True


def _fresh_cookie(**values) -> None:
    """Drop everything the cookie held but the language (a new sign-in never inherits an old one's state)."""
    lang = session.get("lang", "zh")
    session.clear()
    session.update(lang=lang, **values)
    setattr(g, _CACHE, None)


def sign_in(services: Services, name: str, role: str, kind: str, *, password_hash: str | None = None,
            via_token: str | None = None) -> None:
    """Open a server-side sign-in and bind this browser to it; the browser's previous sign-in, if any, ends."""
    now = services.clock()
    previous = current_person(services)
    with services.db.write() as db_session:
        if previous is not None and previous.session_id is not None:
            web_sessions.end_session(db_session, previous.session_id, by="signed in again", now=now)
        key = web_sessions.open_session(db_session, user=name, role=role, kind=kind, now=now,
                                        address=request.remote_addr, user_agent=request.user_agent.string,
                                        password_hash=password_hash, via_token=via_token)
    _fresh_cookie(sid=key)
    _keep_cookie_until(int((now + web_sessions.lifetime(role, kind).length).timestamp()))


def sign_out(services: Services) -> None:
    person = current_person(services)
    if person is not None and person.session_id is not None:
        with services.db.write() as db_session:
            web_sessions.end_session(db_session, person.session_id, by=person.name, now=services.clock())
    _fresh_cookie()


def sessions_in_use(services: Services, session_ids: list[int]) -> set[int]:
    """Which live connections' sign-ins still hold; those of walls are renewed while they stay connected."""
    now = services.clock()
    with services.db.read() as db_session:
        alive, due = web_sessions.still_active(db_session, session_ids, now)
    if due:
        with services.db.write() as db_session:
            web_sessions.renew(db_session, due, now)
    return alive
