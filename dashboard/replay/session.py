"""One replay: a period of the event log played at a speed, to its own audience, as live-shaped `update` batches.
It reads the log and nothing else: no live table, no event log row, no bus is ever written."""
from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from dashboard.replay.fold import State, figures, fold, snapshot
from dashboard.replay.log import LogCursor, state_at
from dashboard.timeutil import iso

log = logging.getLogger(__name__)
WINDOW_S = 0.25  # one batch per ≤ 250 ms of playback (wall) time: at most 4 updates/s, as the live stream's pace
MIN_SPEED, MAX_SPEED = 1.0, 60.0
KEPT_UPDATES = 2000  # for a wall's gap fill (GET /replays/{id}/updates); older gaps take the snapshot



class ReplayLimit(Exception):
    """Too many replays playing in this process at once."""


Emit = Callable[[str, dict[str, Any]], None]  # (replay id, update) → to that replay's audience only


class ReplaySession:
    """Plays [start, end) at `speed`× from the folded state at `start`. `wait(seconds)` is the clock: the real one
    sleeps, a test's returns at once (it returns True when the replay should end)."""

    def __init__(self, read: Callable[[], AbstractContextManager[Session]], start: datetime, end: datetime,
                 speed: float, emit: Emit, *, by: str = "", created: datetime | None = None,
                 wait: Callable[[float], bool] | None = None, order_fields: tuple[str, ...] | None = None):
        self.id = uuid.uuid4().hex[:12]
        self.read, self.start_at, self.end_at, self.speed, self.emit = read, start, end, speed, emit
        self.by, self.created = by, created
        self.order_fields = order_fields
        self.position = start
        self.status = "starting"
        self.seq = 0
        self.sent_changes = 0
        self._state: State = {}
        self._updates: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._paused = False
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None

    # --- control --------------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Fold the log up to the period's start, before anyone can ask for the replay's snapshot."""
        with self.read() as session:
            state = state_at(session, self.start_at)
        with self._lock:
            self._state = state
        self.status = "paused" if self._paused else "playing"

    def start(self) -> None:
        if self.status == "starting":
            self.prepare()
        self._thread = threading.Thread(target=self.run, name=f"replay-{self.id}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self.status not in ("done", "failed"):
            self.status = "stopped"
        self._stop.set()

    def join(self, timeout: float = 5) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def pause(self, paused: bool) -> None:
        self._paused = paused
        if self.status in ("playing", "paused"):
            self.status = "paused" if paused else "playing"

    def set_speed(self, speed: float) -> None:
        self.speed = speed

    @property
    def running(self) -> bool:
        return self.status in ("starting", "playing", "paused")

    # --- playback -------------------------------------------------------------------------------------
    def run(self) -> None:
        try:
            if self.status == "starting":
                self.prepare()
            cursor = LogCursor(self.read, self.start_at, self.end_at)
            while self.status in ("playing", "paused"):
                if self._wait(WINDOW_S) or self._stop.is_set():
                    break
                if self._paused:
                    continue
                self.step(cursor, timedelta(seconds=WINDOW_S * self.speed))
            if self.status in ("playing", "paused") and self.position >= self.end_at:
                self.status = "done"
        except Exception:
            log.exception("replay %s failed", self.id)
            self.status = "failed"

    def step(self, cursor: LogCursor, span: timedelta) -> dict[str, Any] | None:
        """Advance the replay's clock by `span` of recorded time; emit the changes it passed, as one batch."""
        position = min(self.position + span, self.end_at)
        changes = [{"kind": c["kind"], "op": c["op"], "id": c["id"], "data": c["data"]} for c in cursor.until(position)]
        update = None
        with self._lock:
            self.position = position
            if changes:
                fold(changes, self._state)
                self.seq += 1
                # The figures a replay can tell from its state ride along, as the live stream's `kpi` change does.
                changes.append({"kind": "kpi", "op": "upsert", "id": "today", "data": figures(self._state)})
                update = {"seq": self.seq, "at": iso(position), "changes": changes, "replay": self.id}
                self._updates.append(update)
                del self._updates[:-KEPT_UPDATES]
                self.sent_changes += len(changes) - 1
        if update is not None:
            self.emit(self.id, update)
        if position >= self.end_at:
            self.status = "done"
        return update

    # --- what a wall asks ---------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """The replay's state now, with the seq its stream continues after (as the live snapshot)."""
        with self._lock:
            return snapshot(self._state, self.position, self.seq, self.order_fields) | {"replay": self.view()}

    def updates_after(self, after: int) -> list[dict[str, Any]] | None:
        with self._lock:
            if after >= self.seq:
                return []
            if not self._updates or self._updates[0]["seq"] > after + 1:
                return None
            return [u for u in self._updates if u["seq"] > after]

    def view(self) -> dict[str, Any]:
        return {"id": self.id, "from": iso(self.start_at), "to": iso(self.end_at), "speed": self.speed,
                "status": self.status, "position": iso(self.position), "seq": self.seq,
                "changes_sent": self.sent_changes, "created_by": self.by, "created_at": iso(self.created)}
