"""People: users with passwords and one role each; signing in checks them at the same cost whoever is asked."""
from __future__ import annotations

import functools
import secrets
import threading
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.domain import Role
from dashboard.errors import Conflict, Invalid, NotFound
from dashboard.models import User
from dashboard.schemas import bad_text
from dashboard.services.audit import SYSTEM, Actor, record
from dashboard.services.web_sessions import end_user_sessions

MIN_PASSWORD = 8
# A password check costs ~32 MB and ~0.1 s (scrypt): a burst of sign-ins waits its turn rather than run all at once.
_HASHING = threading.BoundedSemaphore(2)


def _check_password_rule(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"password must be at least {MIN_PASSWORD} characters")


def add_user(session: Session, name: str, password: str, role: Role, now: datetime, *, by: Actor = SYSTEM) -> User:
    if not name or len(name) > 64 or bad_text(name) or not name.isprintable():
        raise Invalid("user name must be 1-64 printable characters")
    _check_password_rule(password)
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise Conflict(f"user {name!r} exists")
    user = User(name=name, password_hash=generate_password_hash(password), role=role, created_at=now)
    session.add(user)
    session.flush()
    record(session, by, "user_added", "user", name, now, {"role": str(role)})
    return user


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"user {name!r} not found")
    return user


def change_password(session: Session, name: str, password: str, *, by: Actor, now: datetime) -> int:
    """Set a new password; every sign-in of that person ends (returns how many did)."""
    _check_password_rule(password)
    user = get_user(session, name)
    user.password_hash = generate_password_hash(password)
    ended = end_user_sessions(session, name, by=by.name, now=now)
    record(session, by, "user_password_changed", "user", name, now, {"sign_ins_ended": ended})
    return ended


def set_disabled(session: Session, name: str, disabled: bool, *, by: Actor, now: datetime) -> int:
    """Disable (or enable again) a person; disabling ends every sign-in at once."""
    user = get_user(session, name)
    user.disabled = disabled
    ended = end_user_sessions(session, name, by=by.name, now=now) if disabled else 0
    record(session, by, "user_disabled" if disabled else "user_enabled", "user", name, now, {"sign_ins_ended": ended})
    return ended


@functools.cache
def _decoy_hash() -> str:
    # Made once, on the first sign-in attempt for an unknown name, with the same method as real hashes.
    return generate_password_hash(secrets.token_hex(16))


def check_login(session: Session, name: str, password: str) -> User | None:
    """The person if name and password match and the person may sign in. Unknown names, wrong passwords and
    disabled people cost the same single hash check, so the answer time tells nothing about who exists."""
    user = session.scalar(select(User).where(User.name == name))
    with _HASHING:
        matches = check_password_hash(user.password_hash if user else _decoy_hash(), password)
    return user if user is not None and matches and not user.disabled else None
