"""In-process EventBus: one server process, handlers called synchronously on publish."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from dashboard.events import Change, ChangeHandler

log = logging.getLogger(__name__)


class InProcessBus:
    def __init__(self) -> None:
        self._handlers: list[ChangeHandler] = []
        # Seeded from the clock, like the Redis bus: after a restart the stream goes on above every seq a
        # browser holds, so the browser sees a gap (and resyncs) instead of dropping updates as old.
        self._seq = int(time.time() * 1000)
        self._lock = threading.Lock()
        self._routes: set[str] = set()

    def publish(self, changes: Sequence[Change]) -> None:
        if not changes:
            return
        for handler in list(self._handlers):
            try:
                handler(changes)
            except Exception:  # a broken subscriber must not fail the request that already committed
                log.exception("bus handler failed")

    def subscribe(self, handler: ChangeHandler) -> None:
        self._handlers.append(handler)

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def current_seq(self) -> int:
        return self._seq

    def skip_seq(self) -> None:
        self.next_seq()

    def is_leader(self) -> bool:
        return True

    def register_route(self, key: str) -> None:
        self._routes.add(key)

    def unregister_route(self, key: str) -> None:
        self._routes.discard(key)

    def routes(self) -> set[str]:
        return set(self._routes)

    def health(self) -> dict:
        return {"kind": "inprocess", "ok": True}

    def close(self) -> None:
        self._handlers.clear()
