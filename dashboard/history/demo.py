"""The demo's history on its first start: generated in a background thread once the server answers its first
request (or after a short wait), so the demo starts as fast as before; written in chunks so the live simulator's
writes keep flowing. Once per database (the `meta` key the generator writes)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from dashboard.db import Database
from dashboard.history.generate import META_KEY, generate_history
from dashboard.models import Meta
from dashboard.tickets.limits import TicketRules
from dashboard.time_limits import TimeLimits

log = logging.getLogger(__name__)
START_AFTER_S = 20.0  # with no request by then, start anyway (a server nobody opened yet is serving too)


def already_generated(db: Database) -> bool:
    with db.read() as session:
        return session.get(Meta, META_KEY) is not None


class DemoHistory:
    """One background run of the generator; `serving()` (the first request) lets it begin at once."""

    def __init__(self, db: Database, *, days: int, tz: str, limits: TimeLimits, tickets: TicketRules,
                 clock: Callable[[], datetime], seed: int | None = None, start_after_s: float = START_AFTER_S):
        self.db, self.days, self.tz, self.limits, self.tickets = db, days, tz, limits, tickets
        self.clock, self.seed, self.start_after_s = clock, seed, start_after_s
        self._go = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.result = None
        self.error: BaseException | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="demo-history", daemon=True)
        self._thread.start()

    def serving(self) -> None:
        self._go.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._go.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        self._go.wait(self.start_after_s)
        if self._stop.is_set():
            return
        try:
            if already_generated(self.db):
                return
            log.warning("demo history: generating %d days in the background", self.days)
            extra = {} if self.seed is None else {"seed": self.seed}
            blocks = iter(range(10 ** 9))
            progress = lambda text: log.warning("demo %s", text) if next(blocks) % 8 == 7 else None  # noqa: E731
            self.result = generate_history(self.db, now=self.clock(), tz=self.tz, limits=self.limits,
                                           tickets=self.tickets, days=self.days, progress=progress,
                                           stop=self._stop.is_set, **extra)
            r = self.result
            log.warning("demo history: %d days, %s rows, roll-ups %s, in %.1f s", len(r.days),
                        sum(r.rows.values()), r.rollups, r.seconds)
        except Exception as exc:  # a demo without its history still works; say why
            self.error = exc
            log.exception("demo history failed")
