"""Reading the event log for a replay: the fold up to an instant, and the changes of a period in keyset chunks."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from dashboard.models import EventLog
from dashboard.replay.fold import State, fold

CHUNK = 2000
_COLUMNS = (EventLog.id, EventLog.at, EventLog.kind, EventLog.op, EventLog.entity_id, EventLog.data)


def _change(row) -> dict[str, Any]:
    return {"kind": row.kind, "op": row.op, "id": row.entity_id, "data": row.data, "at": row.at}


def changes_between(session: Session, start: datetime | None, end: datetime) -> Iterator[dict[str, Any]]:
    """The log's changes with start <= at < end, in the order they were written (at, then id)."""
    query = select(*_COLUMNS).where(EventLog.at < end)
    if start is not None:
        query = query.where(EventLog.at >= start)
    for row in session.execute(query.order_by(EventLog.at, EventLog.id).execution_options(yield_per=CHUNK)):
        yield _change(row)


def state_at(session: Session, at: datetime) -> State:
    """The wall's state at `at`: every change before it, folded from the start of the log. O(log size): a year of
    log is measured in docs/replay.md; a periodic checkpoint would bound it (not built)."""
    return fold(changes_between(session, None, at))


class LogCursor:
    """Hands out a period's changes up to a moving instant, one short read per chunk (no session held between)."""

    def __init__(self, read: Callable[[], AbstractContextManager[Session]], start: datetime, end: datetime):
        self.read, self.end = read, end
        self._after: tuple[datetime, int] | None = None
        self._start = start
        self._buffer: list[tuple[int, dict[str, Any]]] = []
        self._exhausted = False

    def _fill(self) -> None:
        query = select(*_COLUMNS).where(EventLog.at < self.end)
        if self._after is None:
            query = query.where(EventLog.at >= self._start)
        else:
            query = query.where(tuple_(EventLog.at, EventLog.id) > tuple_(*self._after))
        with self.read() as session:
            rows = session.execute(query.order_by(EventLog.at, EventLog.id).limit(CHUNK)).all()
        if len(rows) < CHUNK:
            self._exhausted = True
        if rows:
            self._after = (rows[-1].at, rows[-1].id)
        self._buffer.extend((row.id, _change(row)) for row in rows)

    def until(self, instant: datetime) -> list[dict[str, Any]]:
        """The changes with at < instant not handed out yet."""
        taken: list[dict[str, Any]] = []
        while True:
            if not self._buffer and not self._exhausted:
                self._fill()
            i = 0
            while i < len(self._buffer) and self._buffer[i][1]["at"] < instant:
                i += 1
            taken.extend(c for _, c in self._buffer[:i])
            del self._buffer[:i]
            if self._buffer or self._exhausted:
                return taken

    @property
    def done(self) -> bool:
        return self._exhausted and not self._buffer
