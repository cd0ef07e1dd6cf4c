"""The log notifier: writes each notice to the server's log (with no notifier configured, the only one)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from dashboard.notify.port import Notice

log = logging.getLogger("gridcommand.notices")


@dataclass
class LogNotifier:
    name: str = "log"

    def send(self, notice: Notice) -> None:
        # Customers are counted, never named: their names and phones stay out of the log.
        customers = sum(r.role == "customer" for r in notice.recipients)
        people = [f"{r.role} {r.name}" for r in notice.recipients if r.role != "customer"]
        to = ", ".join(people + ([f"{customers} customers"] if customers else []))
        log.info("notice %s to %s: %s", notice.id, to, notice.text)
