"""People's and walls' sign-ins, held on the server: opened at sign-in, checked on every request, ended at once."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from dashboard.domain import Role
from dashboard.errors import Conflict, NotFound
from dashboard.fingerprint import token_digest
from dashboard.models import User, WebSession
from dashboard.timeutil import iso

PERSON_SHIFT = timedelta(hours=12)  # anyone who can change things signs in again after a shift and a handover
WATCHER_IDLE = timedelta(days=7)  # a viewer's sign-in lasts while it is used, and a week after
KIOSK_IDLE = timedelta(days=30)  # a wall opened by /kiosk: renewed while it runs, gone a month after it stops
LONGEST = KIOSK_IDLE
RENEW_EVERY = timedelta(minutes=1)  # sliding sign-ins are written back at most this often
KEEP_ENDED = timedelta(days=90)  # ended sign-ins stay listed this long, then are purged


@dataclass(frozen=True)
class Lifetime:
    length: timedelta
    sliding: bool  # renewed by use, or fixed from sign-in


def lifetime(role: str, kind: str) -> Lifetime:
    """How long a sign-in lasts: one rule for the cookie's age and the server's expiry."""
    if kind == "kiosk":
        return Lifetime(KIOSK_IDLE, True)
    if role == Role.viewer:
        return Lifetime(WATCHER_IDLE, True)
    return Lifetime(PERSON_SHIFT, False)


def _printable(value: str | None, size: int) -> str | None:
    # Headers are the client's to write: no control characters (PostgreSQL refuses NUL) and a bounded length.
    cleaned = "".join(ch for ch in (value or "") if ch.isprintable())[:size]
    return cleaned or None


def open_session(session: Session, *, user: str, role: str, kind: str, now: datetime, address: str | None = None,
                 user_agent: str | None = None, password_hash: str | None = None,
                 via_token: str | None = None) -> str:
    """Record a new sign-in and return its key (for the cookie); only the key's digest is stored. For a password
    sign-in, `password_hash` is the one just checked: if the password changed or the person was disabled
    meanwhile, the sign-in is refused (Conflict) in the same transaction."""
    if kind == "password":
        person = session.scalar(select(User).where(User.name == user).with_for_update())
        if person is None or person.disabled or person.password_hash != password_hash:
            raise Conflict("the account changed while signing in; sign in again", code="account_changed")
    key = secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=token_digest(key), user_name=user, role=role, kind=kind, created_at=now,
                           last_seen_at=now, expires_at=now + lifetime(role, kind).length,
                           address=_printable(address, 64), user_agent=_printable(user_agent, 256),
                           via_token=via_token))
    session.flush()
    return key


def find_active(session: Session, key: str, now: datetime) -> WebSession | None:
    """The sign-in behind a cookie's key, if it has not ended."""
    if not key or len(key) > 128:
        return None
    row = session.scalar(select(WebSession).where(WebSession.token_hash == token_digest(key)))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


def needs_renewal(row: WebSession, now: datetime) -> bool:
    return lifetime(row.role, row.kind).sliding and now - row.last_seen_at >= RENEW_EVERY


def renew(session: Session, session_ids: list[int], now: datetime) -> None:
    """Push back the expiry of sliding sign-ins that are in use (a request, or a wall's live connection)."""
    for row in session.scalars(select(WebSession).where(WebSession.id.in_(session_ids),
                                                        WebSession.revoked_at.is_(None))):
        if needs_renewal(row, now):
            row.last_seen_at, row.expires_at = now, now + lifetime(row.role, row.kind).length


def still_active(session: Session, session_ids: list[int], now: datetime) -> tuple[set[int], list[int]]:
    """Of `session_ids`, those that have not ended, and those of them due for renewal."""
    if not session_ids:
        return set(), []
    rows = session.scalars(select(WebSession).where(
        WebSession.id.in_(session_ids), WebSession.revoked_at.is_(None), WebSession.expires_at > now)).all()
    return {r.id for r in rows}, [r.id for r in rows if needs_renewal(r, now)]


def end_session(session: Session, session_id: int, *, by: str, now: datetime) -> bool:
    """End one sign-in now; False if it had already ended."""
    row = session.get(WebSession, session_id)
    if row is None:
        raise NotFound(f"session {session_id} not found")
    if row.revoked_at is not None:
        return False
    row.revoked_at, row.revoked_by = now, by[:64]
    return True


def end_user_sessions(session: Session, user: str, *, by: str, now: datetime) -> int:
    """End every password sign-in of one person (password changed, person disabled); returns how many were open.
    Walls' sign-ins are ended through their token, whatever a person is called."""
    result = session.execute(update(WebSession).where(WebSession.user_name == user, WebSession.kind == "password",
                                                      WebSession.revoked_at.is_(None))
                             .values(revoked_at=now, revoked_by=by[:64]))
    return result.rowcount or 0


def purge(session: Session, now: datetime) -> int:
    """Forget sign-ins that ended or expired more than KEEP_ENDED ago."""
    cutoff = now - KEEP_ENDED
    result = session.execute(delete(WebSession).where(or_(WebSession.revoked_at < cutoff,
                                                          WebSession.expires_at < cutoff)))
    return result.rowcount or 0


def list_sessions(session: Session, now: datetime, *, include_ended: bool = False, limit: int = 1000) -> list[dict]:
    stmt = select(WebSession).order_by(WebSession.last_seen_at.desc()).limit(limit)
    if not include_ended:
        stmt = stmt.where(WebSession.revoked_at.is_(None), WebSession.expires_at > now)
    return [session_view(row, now) for row in session.scalars(stmt)]


def session_view(row: WebSession, now: datetime) -> dict:
    return {"id": row.id, "user": row.user_name, "role": row.role, "kind": row.kind, "created_at": iso(row.created_at),
            "last_seen_at": iso(row.last_seen_at), "expires_at": iso(row.expires_at),
            "active": row.revoked_at is None and row.expires_at > now, "ended_at": iso(row.revoked_at),
            "ended_by": row.revoked_by, "address": row.address, "user_agent": row.user_agent}
