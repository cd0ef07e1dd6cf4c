"""People (users with passwords) and machines (API tokens), each with one role."""
from __future__ import annotations

import functools
import hmac
import secrets
import threading
import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.domain import Role
from dashboard.errors import Conflict, Invalid, NotFound
from dashboard.fingerprint import token_digest
from dashboard.models import ApiToken, User
from dashboard.services.web_sessions import end_user_sessions


MIN_PASSWORD = 8


def _check_password_rule(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"password must be at least {MIN_PASSWORD} characters")


def add_user(session: Session, name: str, password: str, role: Role, now: datetime) -> User:
    if not name or len(name) > 64:
        raise Invalid("user name must be 1-64 characters")
    _check_password_rule(password)
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise Conflict(f"user {name!r} exists")
    user = User(name=name, password_hash=generate_password_hash(password), role=role, created_at=now)
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"user {name!r} not found")
    return user


def change_password(session: Session, name: str, password: str, *, by: str, now: datetime) -> int:
    """Set a new password; every sign-in of that person ends (returns how many did)."""
    _check_password_rule(password)
    user = get_user(session, name)
    user.password_hash = generate_password_hash(password)
    return end_user_sessions(session, name, by=by, now=now)


def set_disabled(session: Session, name: str, disabled: bool, *, by: str, now: datetime) -> int:
    """Disable (or enable again) a person; disabling ends every sign-in at once."""
    user = get_user(session, name)
    user.disabled = disabled
    return end_user_sessions(session, name, by=by, now=now) if disabled else 0


@functools.cache
def _decoy_hash() -> str:
    # Made once, on the first sign-in attempt for an unknown name, with the same method as real hashes.
    return generate_password_hash(secrets.token_hex(16))


def check_login(session: Session, name: str, password: str) -> User | None:
    """The person if name and password match and the person may sign in. Unknown names, wrong passwords and
    disabled people cost the same single hash check, so the answer time tells nothing about who exists."""
    user = session.scalar(select(User).where(User.name == name))
    matches = check_password_hash(user.password_hash if user else _decoy_hash(), password)
    return user if user is not None and matches and not user.disabled else None


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
