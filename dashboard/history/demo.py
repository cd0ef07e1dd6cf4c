"""The demo's history on its first start: generated in a background thread once the server answers its first
request (or after a short wait), so the demo starts as fast as before; written in chunks so the live simulator's
writes keep flowing. Once per database (the `meta` key the generator writes)."""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from dashboard.db import Database
from dashboard.history.generate import META_KEY, generate_history
from dashboard.models import Meta
from dashboard.tickets.limits import TicketRules
from dashboard.time_limits import TimeLimits

log = logging.getLogger(__name__)
START_AFTER_S = 20.0  # with no request by then, start anyway (a server nobody opened yet is serving too)
CLAIM_KEY = "history:claim"
CLAIM_FOR = timedelta(hours=1)  # a claim older than this (its process died) may be taken over


def already_generated(db: Database) -> bool:
    with db.read() as session:
        return session.get(Meta, META_KEY) is not None


def claim(db: Database, now: datetime, who: str) -> bool:
    """Only one of the servers sharing a database generates (several processes behind a proxy all start as demos):
    the first to write the claim in `meta`; a claim older than CLAIM_FOR is stale and taken over."""
    try:
        with db.write() as session:
            held = session.get(Meta, CLAIM_KEY)
            if held is None:
                session.add(Meta(key=CLAIM_KEY, value=f"{now.isoformat()} {who}"))
                return True
            since = datetime.fromisoformat(held.value.split(" ", 1)[0])
            if now - since < CLAIM_FOR:
                return False
            held.value = f"{now.isoformat()} {who}"
            return True
    except IntegrityError:  # PostgreSQL: another server inserted it at the same moment
        return False


def release(db: Database) -> None:
    """Give the claim up (a run stopped or failed half-way): the next start goes on at once."""
    with db.write() as session:
        held = session.get(Meta, CLAIM_KEY)
        if held is not None:
            session.delete(held)


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
            if already_generated(self.db) or not claim(self.db, self.clock(), f"{os.getpid()}"):
                return
            log.warning("demo history: generating %d days in the background", self.days)
            extra = {} if self.seed is None else {"seed": self.seed}
            blocks = iter(range(10 ** 9))
            progress = lambda text: log.warning("demo %s", text) if next(blocks) % 8 == 7 else None  # noqa: E731
            self.result = generate_history(self.db, now=self.clock(), tz=self.tz, limits=self.limits,
                                           tickets=self.tickets, days=self.days, progress=progress,
                                           stop=self._stop.is_set, **extra)
            r = self.result
            if self._stop.is_set():
                release(self.db)
                log.warning("demo history: stopped after %d days; the next start goes on", len(r.days))
                return
            log.warning("demo history: %d days, %s rows, roll-ups %s, in %.1f s", len(r.days),
                        sum(r.rows.values()), r.rollups, r.seconds)
        except Exception as exc:  # a demo without its history still works; say why
            self.error = exc
            log.exception("demo history failed")
            try:
                release(self.db)
            except Exception:  # the database itself is the trouble: the claim expires on its own
                pass
