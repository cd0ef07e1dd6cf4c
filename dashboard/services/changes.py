"""Commit-then-publish: every change goes to the event log inside the transaction, to the bus after it."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from dashboard.events import Change, EventBus
from dashboard.models import EventLog


def log_changes(session: Session, changes: Sequence[Change], at: datetime) -> None:
    # A bulk INSERT: the log is write-only here, so its rows need no identity map or unit of work (a third
    # of the ingest time when they were ORM objects).
    if changes:
        session.execute(insert(EventLog), [{"at": at, "kind": c.kind, "op": c.op, "entity_id": c.id, "data": c.data}
                                           for c in changes])


def commit_and_publish(session: Session, bus: EventBus, changes: Sequence[Change], at: datetime) -> None:
    log_changes(session, changes, at)
    session.commit()
    bus.publish(changes)
