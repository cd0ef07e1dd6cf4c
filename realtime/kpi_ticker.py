"""Publishes today's KPIs as a `kpi` change: soon after anything changed, and every so often regardless,
since time alone turns orders overdue. Only the leader process publishes, so there is one stream of them."""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from dashboard.events import Change
from dashboard.services.kpis import compute_kpis

log = logging.getLogger(__name__)


class KpiTicker:
    def __init__(self, services, *, min_interval_s: float = 2.0, max_interval_s: float = 15.0):
        self.services = services
        self.min_interval_s = min_interval_s
        self.max_interval_s = max_interval_s
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        services.bus.subscribe(self._on_changes)

    def _on_changes(self, changes: Sequence[Change]) -> None:
        if any(c.kind != "kpi" for c in changes):
            self._dirty.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kpi-ticker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._dirty.set()
        if self._thread:
            self._thread.join(timeout=3)

    def publish_now(self) -> dict:
        s = self.services
        with s.db.read() as session:
            kpis = compute_kpis(session, s.clock(), s.rule)
        s.bus.publish([Change("kpi", "upsert", "today", kpis)])
        return kpis

    def _run(self) -> None:
        while not self._stop.is_set():
            self._dirty.wait(self.max_interval_s)
            if self._stop.is_set():
                return
            self._dirty.clear()
            try:
                if self.services.bus.is_leader():
                    self.publish_now()
            except Exception:  # the wall keeps its last KPIs; the next tick tries again
                log.exception("KPI publish failed")
            self._stop.wait(self.min_interval_s)
