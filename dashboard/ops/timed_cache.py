"""A value built at most once per period in this process: public answers that many ask for and few change."""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")


class TimedCache(Generic[T]):
    """Holds the last value built and when; `get` builds again once `ttl` has passed (or the clock went back).
    One build at a time: callers arriving during a build wait for it rather than start their own."""

    def __init__(self, ttl: timedelta) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._value: T | None = None
        self._at: datetime | None = None
        self.builds = 0  # for tests and /metrics

    def get(self, now: datetime, build: Callable[[datetime], T]) -> T:
        with self._lock:
            if self._at is None or not self._at <= now < self._at + self.ttl:
                self._value, self._at = build(now), now
                self.builds += 1
            return self._value  # type: ignore[return-value]

    def clear(self) -> None:
        with self._lock:
            self._value, self._at = None, None
