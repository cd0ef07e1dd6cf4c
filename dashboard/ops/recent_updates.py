"""The last few pushed `update`s, so a client that missed some (a dropped frame, a short disconnect) can fetch
just those instead of a whole snapshot. This is the in-process store; with Redis every process reads the one
the emitting process writes (realtime/redis_recent.py)."""
from __future__ import annotations

import threading
from collections import deque
from typing import Any, Protocol


class RecentStore(Protocol):
    def add(self, update: dict[str, Any]) -> None:
        """Keep `update` (the emitter calls this before it pushes)."""

    def after(self, seq: int, current: int | None = None) -> list[dict[str, Any]] | None:
        """Every held update with a seq above `seq`, or None when they no longer reach back that far."""


def reach(first: int | None, last: int | None, seq: int, current: int | None) -> str:
    """What a store holding seqs first..last (None: empty) can tell a client that has `seq`: "all" the newer
    ones, "none-newer" (an empty answer is complete), or "gone". `current` is the stream's seq now: a seq just
    taken but not yet stored is on its way, not lost."""
    if first is None or last is None:
        return "none-newer" if current is not None and seq == current else "gone"
    if seq >= last:
        return "none-newer" if seq == last or (current is not None and seq <= current) else "gone"
    if seq + 1 < first:
        return "gone"
    return "all"


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
        with self._lock:
            first = self._ring[0]["seq"] if self._ring else None
            last = self._ring[-1]["seq"] if self._ring else None
            verdict = reach(first, last, seq, current)
            if verdict != "all":
                return [] if verdict == "none-newer" else None
            return list(self._ring)[seq + 1 - first:]
