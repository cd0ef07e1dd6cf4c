"""Portable SQL for "seconds between two timestamps": SQLite stores text, PostgreSQL has intervals."""
from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import Session


def seconds_between(session: Session, later, earlier):
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)
