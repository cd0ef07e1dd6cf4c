"""Commit-then-publish: every change goes to the event log inside the transaction, to the bus after it; hooks
installed on the database write what follows from the changes (the notices' outbox) in that same transaction."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from dashboard.db import CHANGE_HOOKS
from dashboard.events import Change, EventBus
from dashboard.models import EventLog


# A hook writes rows derived from the changes into the session, before the commit; it may return what to run once
# the commit succeeded (waking a worker), or None. A change rolled back takes the hook's rows with it.
ChangeHook = Callable[[Session, Sequence[Change], datetime], Callable[[], None] | None]


def log_changes(session: Session, changes: Sequence[Change], at: datetime) -> None:
    # A bulk INSERT: the log is write-only here, so its rows need no identity map or unit of work (a third
    # of the ingest time when they were ORM objects).
    if changes:
        session.execute(insert(EventLog), [{"at": at, "kind": c.kind, "op": c.op, "entity_id": c.id, "data": c.data}
                                           for c in changes])


def commit_and_publish(session: Session, bus: EventBus, changes: Sequence[Change], at: datetime) -> None:
    log_changes(session, changes, at)
    after = [hook(session, changes, at) for hook in session.info.get(CHANGE_HOOKS, ())] if changes else []
    session.commit()
    bus.publish(changes)
    for done in after:
        if done is not None:
            done()
