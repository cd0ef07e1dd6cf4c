"""Expensive answers built once for everyone waiting: when twenty wall screens reconnect after a restart, the
storm snapshot is built twice, not twenty times."""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any


class _Flight:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class CoalescedBuilds:
    """Builds run one at a time. Requests that arrive while one runs queue for the next build of their key and
    all get its result. Nobody is handed a build that started before they asked, so a client still reads its
    own writes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = threading.Lock()
        self._queued: dict[Hashable, _Flight] = {}
        self.builds = 0  # for tests and /metrics: how many were really built

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            flight = self._queued.get(key)
            leader = flight is None
            if leader:
                flight = self._queued[key] = _Flight()
        if leader:
            with self._running:
                with self._lock:
                    del self._queued[key]  # whoever asks from now on waits for the next build
                try:
                    flight.value = build()
                    self.builds += 1
                except BaseException as exc:
                    flight.error = exc
                finally:
                    flight.done.set()
        else:
            flight.done.wait()
        if flight.error is not None:
            raise flight.error
        return flight.value
