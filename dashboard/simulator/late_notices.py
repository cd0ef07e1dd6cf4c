"""Planned outages announced late, now and then, for the demo: the same service as POST /outages, so the wall
alarms them (计划停电通知不及时), the KPI counts them, and the customers below the device get the notice."""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from dashboard.domain import Maintenance
from dashboard.network.tree import DeviceKind, Network
from dashboard.schemas import OutageIn
from dashboard.services import outages

EVERY_S = (2400, 5400)  # simulated seconds between two late announcements
FIRST_S = 90  # the first soon after the demo starts, so the wall shows one


class LateNotices:
    def __init__(self, services, network: Network | None, rng: random.Random, later: Callable, run: str,
                 grids: list[str]) -> None:
        self.s, self.net, self.rng, self.later, self.run, self.grids = services, network, rng, later, run, grids
        self.count = 0
        self.transformers = sorted(d.id for d in network.devices.values()
                                   if d.kind == DeviceKind.transformer and d.grid_id) if network else []

    def start(self) -> None:
        self.later(FIRST_S, self.announce)

    def announce(self) -> None:
        """A temporary maintenance told 6 h ahead (the rule is 24 h), or a scheduled one told 2–5 days ahead (the
        rule is 7 days); below a real transformer when the network is loaded."""
        self.later(self.rng.uniform(*EVERY_S), self.announce)
        now: datetime = self.s.clock()
        self.count += 1
        temporary = self.rng.random() < 0.5
        start = (now + (timedelta(hours=self.rng.uniform(6, 20)) if temporary
                        else timedelta(days=self.rng.uniform(2, 5)))).replace(second=0, microsecond=0)
        lead = timedelta(hours=6) if temporary else timedelta(days=self.rng.uniform(1, 2))
        device = self.rng.choice(self.transformers) if self.transformers else None
        grid = self.net.devices[device].grid_id if device else self.rng.choice(self.grids)
        body = OutageIn(external_id=f"PLAN-LATE-{self.run}-{self.count}", kind="planned", grid_ids=[grid],
                        start=start, etr=start + timedelta(hours=4), customers_affected=
                        self.net.devices[device].customers if device else 200,
                        cause="设备消缺" if temporary else "计划检修", notified_at=min(now, start - lead),
                        device_ids=[device] if device else None,
                        maintenance=Maintenance.temporary if temporary else Maintenance.scheduled)
        with self.s.db.write() as session:
            outages.create_outage(session, self.s.bus, self.s.catalog, body, now, self.net)
