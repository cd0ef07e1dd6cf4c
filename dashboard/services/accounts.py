"""People (users with passwords) and machines (API tokens), each with one role."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.domain import Role
from dashboard.errors import Conflict, Invalid
from dashboard.models import ApiToken, User


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(session: Session, name: str, password: str, role: Role, now: datetime) -> User:
    if not name or len(name) > 64:
        raise Invalid("user name must be 1-64 characters")
    if len(password) < 8:
        raise Invalid("password must be at least 8 characters")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise Conflict(f"user {name!r} exists")
    user = User(name=name, password_hash=generate_password_hash(password), role=role, created_at=now)
    session.add(user)
    session.flush()
    return user


def check_login(session: Session, name: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        check_password_hash(generate_password_hash("x"), password)  # same work either way: no user probing
        return None
    return user if check_password_hash(user.password_hash, password) else None


def add_token(session: Session, role: Role, now: datetime, label: str | None = None,
              token: str | None = None) -> str:
    """Create a token and return it; only its digest is stored, so it is shown this once."""
    token = token or secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=token_digest(token), role=role, label=label, created_at=now))
    session.flush()
    return token


class TokenCache:
    """Bearer lookups on the ingest hot path: configured tokens in memory, stored ones cached briefly."""

    def __init__(self, configured: tuple[tuple[str, str], ...], ttl_s: float = 30.0):
        self._configured = {token_digest(t): Role(r) for t, r in configured if r in Role.__members__}
        self._ttl = ttl_s
        self._cache: dict[str, tuple[float, Role | None]] = {}
        self._lock = threading.Lock()

    def role_for(self, session_factory, token: str) -> Role | None:
        if not token or len(token) > 256:
            return None
        digest = token_digest(token)
        for known, role in self._configured.items():
            if hmac.compare_digest(known, digest):
                return role
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(digest)
        if hit and now - hit[0] < self._ttl:
            return hit[1]
        with session_factory() as session:
            row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
        role = Role(row.role) if row else None
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (now, role)
        return role
