"""Machines' credentials: named API tokens (stored as digests), bound to a crew or not, revocable, cached."""
from __future__ import annotations

import hmac
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dashboard.domain import Role
from dashboard.errors import Conflict, Invalid, NotFound
from dashboard.fingerprint import token_digest
from dashboard.models import ApiToken, WebSession
from dashboard.schemas import bad_text
from dashboard.services.audit import SYSTEM, Actor, record
from dashboard.timeutil import iso

NAME = re.compile(r"^[\w.\-@]{1,64}$")  # shows in the audit log as who made a change


@dataclass(frozen=True)
class TokenInfo:
    name: str
    role: Role
    digest: str
    crew_id: str | None = None


def add_token(session: Session, role: Role, now: datetime, name: str | None = None, crew_id: str | None = None,
              token: str | None = None, *, by: Actor = SYSTEM) -> str:
    """Create a token and return it; only its digest is stored, so it is shown this once."""
    if name is not None:
        if not NAME.match(name):
            raise Invalid("a token name is 1-64 letters, digits or . _ - @")
        if session.scalar(select(ApiToken).where(ApiToken.label == name, ApiToken.revoked_at.is_(None))):
            raise Conflict(f"a token named {name!r} exists")
    if crew_id is not None and role != Role.ingest:
        raise Invalid("only an ingest token (a crew's terminal) can be bound to a crew")
    token = token or secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=token_digest(token), role=role, label=name, crew_id=crew_id, created_at=now))
    session.flush()
    record(session, by, "token_added", "token", name, now, {"role": str(role)} | ({"crew": crew_id} if crew_id else {}))
    return token


def revoke_token(session: Session, name: str, now: datetime, *, by: Actor = SYSTEM) -> int:
    """Revoke a token by name; the walls it opened are signed out with it. Returns how many sign-ins ended."""
    row = session.scalar(select(ApiToken).where(ApiToken.label == name, ApiToken.revoked_at.is_(None)))
    if row is None:
        raise NotFound(f"no token named {name!r}")
    row.revoked_at = now
    ended = session.execute(update(WebSession).where(WebSession.via_token == row.token_hash,
                                                     WebSession.revoked_at.is_(None))
                            .values(revoked_at=now, revoked_by="token revoked"))
    record(session, by, "token_revoked", "token", name, now, {"sign_ins_ended": ended.rowcount or 0})
    return ended.rowcount or 0


def list_tokens(session: Session) -> list[dict]:
    return [{"id": t.id, "name": t.label, "role": t.role, "crew_id": t.crew_id, "created_at": iso(t.created_at),
             "revoked_at": iso(t.revoked_at)} for t in session.scalars(select(ApiToken).order_by(ApiToken.id))]


class TokenCache:
    """Bearer lookups on the ingest hot path: configured tokens in memory, stored ones cached for `ttl_s` (so a
    revoked token stops working within that time in every process)."""

    def __init__(self, configured: tuple[tuple[str, str], ...], ttl_s: float = 5.0):
        self._configured = {token_digest(t): TokenInfo(f"config:{r}", Role(r), token_digest(t))
                            for t, r in configured if r in Role.__members__}
        self._ttl = ttl_s
        self._cache: dict[str, tuple[float, TokenInfo | None]] = {}
        self._lock = threading.Lock()

    def lookup(self, session_factory: Callable, token: object) -> TokenInfo | None:
        if not isinstance(token, str) or not token or len(token) > 256 or bad_text(token):
            return None
        digest = token_digest(token)
        for known, info in self._configured.items():
            if hmac.compare_digest(known, digest):
                return info
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(digest)
        if hit and now - hit[0] < self._ttl:
            return hit[1]
        with session_factory() as session:
            row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None)))
        info = TokenInfo(row.label or f"token-{row.id}", Role(row.role), digest, row.crew_id) if row else None
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (now, info)
        return info
