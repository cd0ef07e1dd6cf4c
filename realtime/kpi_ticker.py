"""Publishes today's KPIs as a `kpi` change: soon after anything changed, and every so often regardless, since
time alone turns orders overdue. The figures are held in memory and kept current from the bus's changes
(dashboard/figures/live_kpis.py), seeded from the database once and again at the center's midnight, after the
bus lost messages, on taking the lead and every `resync_s` as a safety net. Only the leader publishes."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from dashboard.events import Change
from dashboard.figures.live_kpis import LiveKpis
from dashboard.services.live_kpis import kpi_payload, queried_figures, seed_live_kpis
from dashboard.timeutil import local_day_start

log = logging.getLogger(__name__)


class KpiTicker:
    def __init__(self, services, *, min_interval_s: float = 2.0, max_interval_s: float = 15.0,
                 resync_s: float = 600.0):
        self.services = services
        self.min_interval_s = min_interval_s
        self.max_interval_s = max_interval_s
        self.resync_s = resync_s
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # guards _pending and _state between the bus's thread and the ticker's
        self._pending: list[Change] = []  # heard, not yet applied (the ticker applies them before it publishes)
        self._state: LiveKpis | None = None  # None: seed before the next publish
        self._seeded_at = 0.0
        self._listening = False  # buffering changes: from a seed's start on, until the lead or the bus is lost
        self._gaps = 0  # the bus's count of lost messages when the state was seeded
        self._was_leader = False
        self.seeds = 0
        services.bus.subscribe(self._on_changes)

    def _on_changes(self, changes: Sequence[Change]) -> None:
        heard = [c for c in changes if c.kind != "kpi"]
        if heard:
            with self._lock:
                if self._listening:
                    self._pending.extend(heard)
            self._dirty.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kpi-ticker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._dirty.set()
        if self._thread:
            self._thread.join(timeout=3)

    def resync(self, *, listen: bool = True) -> None:
        """Forget the held state: the next publish seeds it from the database. `listen=False` (not the leader)
        also stops buffering what the bus says until then."""
        with self._lock:
            self._state = None
            if not listen:
                self._listening, self._pending = False, []

    def current(self) -> dict:
        """Today's KPIs from the held state (seeded first if need be), not published."""
        s = self.services
        now = s.clock()
        with s.db.read() as session:
            state = self._held(session, now)
            return kpi_payload(state, queried_figures(session, now, s.rule, state.day), now)

    def publish_now(self) -> dict:
        kpis = self.current()
        self.services.bus.publish([Change("kpi", "upsert", "today", kpis)])
        return kpis

    def _held(self, session, now) -> LiveKpis:
        s = self.services
        with self._lock:
            state = self._state
            gaps = _gaps(s.bus)
            stale = (state is None or state.day != local_day_start(now, s.rule.timezone) or gaps != self._gaps
                     or time.monotonic() - self._seeded_at > self.resync_s)
            if not stale:
                state.apply(self._pending)
                self._pending = []
                return state
            # Seeding: what is heard from here on may be in the seed or after it; applied after the seed, in the
            # order heard, each entity ends at its last state (an upsert carries the whole entity).
            self._pending, self._listening, self._gaps = [], True, gaps
        state = seed_live_kpis(session, now, s.rule)
        with self._lock:
            state.apply(self._pending)
            self._pending = []
            self._state, self._seeded_at = state, time.monotonic()
            self.seeds += 1
        return state

    def tick(self) -> None:
        """One turn of the loop: the leader publishes (seeding first if need be); a follower holds nothing."""
        try:
            leader = self.services.bus.is_leader()
            if not leader:
                # Not publishing: hold nothing; a process that takes the lead seeds from the database.
                self.resync(listen=False)
            else:
                if not self._was_leader:
                    self.resync()  # a new leader has not been holding: it starts from the database
                self.publish_now()
            self._was_leader = leader
        except Exception:  # the wall keeps its last KPIs; the next tick tries again
            log.exception("KPI publish failed")
            self.resync()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._dirty.wait(self.max_interval_s)
            if self._stop.is_set():
                return
            self._dirty.clear()
            self.tick()
            self._stop.wait(self.min_interval_s)

def _gaps(bus) -> int:
    """How many times the bus has lost messages (the Redis bus counts them; the in-process bus never loses any)."""
    return int(getattr(bus, "gaps", 0))
