"""A named background loop: `step` every `interval_s` on its own thread, started and stopped by its owner, and
woken early by `wake()` when there is work now (a notice queued)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class BackgroundLoop:
    def __init__(self, name: str, interval_s: float, step: Callable[[], object]):
        self.name, self.interval_s, self.step = name, interval_s, step
        self._stop = threading.Event()
        self._nudge = threading.Event()  # set by wake() and by stop(): the wait ends at once
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._nudge.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def wake(self) -> None:
        """Run the next step now rather than at the end of the interval (wakes in a burst make one step)."""
        self._nudge.set()

    def _run(self) -> None:
        while True:
            self._nudge.wait(self.interval_s)
            self._nudge.clear()
            if self._stop.is_set():
                return
            try:
                self.step()
            except Exception:  # a database blip or Redis away: the loop carries on
                log.exception("%s: step failed", self.name)
