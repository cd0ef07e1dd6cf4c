"""Coalesces changes between flushes: the last state of each (kind, id) wins, in order of last change."""
from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from dashboard.events import Change


class Coalescer:
    """A leading-edge throttle: after a quiet spell the first change is released at once, later ones wait until
    `interval` has passed since the previous release, so the browser never gets two batches in one tick."""

    def __init__(self, interval: float):
        self.interval = interval
        self._pending: dict[tuple[str, str], Change] = {}
        self._cond = threading.Condition()
        self._last_release = 0.0

    def offer(self, changes: Sequence[Change]) -> None:
        with self._cond:
            for change in changes:
                key = (change.kind, change.id)
                self._pending.pop(key, None)
                self._pending[key] = change
            self._cond.notify()

    def take(self, stop: threading.Event, poll: float = 0.5) -> list[Change]:
        """Block until a batch is due (or `stop` is set / `poll` passes with nothing), then return it."""
        with self._cond:
            while not self._pending:
                if stop.is_set() or not self._cond.wait(poll):
                    return []
            while True:
                due = self._last_release + self.interval - time.monotonic()
                if due <= 0 or stop.is_set():
                    break
                self._cond.wait(due)
            batch = list(self._pending.values())
            self._pending.clear()
            self._last_release = time.monotonic()
            return batch

    def __len__(self) -> int:
        return len(self._pending)
