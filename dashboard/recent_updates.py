"""The last few pushed `update`s, so a client that missed some (a dropped frame, a short disconnect) can fetch
just those instead of a whole snapshot."""
from __future__ import annotations

import threading
from collections import deque
from typing import Any


class RecentUpdates:
    """A bounded, thread-safe ring of the updates this process pushed, in seq order."""

    def __init__(self, capacity: int = 600):
        self._ring: deque[dict[str, Any]] = deque(maxlen=capacity)
        self._lock = threading.Lock()

    def add(self, update: dict[str, Any]) -> None:
        with self._lock:
            if self._ring and update["seq"] != self._ring[-1]["seq"] + 1:
                self._ring.clear()  # a skipped seq (leader change, Redis back): older entries cannot bridge it
            self._ring.append(update)

    def items(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._ring)

    def after(self, seq: int, current: int | None = None) -> list[dict[str, Any]] | None:
        """Every update with a seq above `seq`, or None when the ring no longer reaches back that far.
        `current` is the stream's seq now: a seq just taken but not yet added here is on its way, not lost."""
        with self._lock:
            if not self._ring:
                return [] if current is not None and seq == current else None
            first, last = self._ring[0]["seq"], self._ring[-1]["seq"]
            if seq >= last:
                return [] if seq == last or (current is not None and seq <= current) else None
            if seq + 1 < first:
                return None
            return list(self._ring)[seq + 1 - first:]
