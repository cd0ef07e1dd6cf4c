"""Storms on the real network for the demo: a feeder, switch or transformer near the storm fails, the customers below
it call (some named by their account, some by their transformer, some by where they stand), automation reports
some opens and not others, and the device closes again when its crew restores it."""
from __future__ import annotations

import logging
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from dashboard.domain import OUTAGE_UNDER_WAY
from dashboard.errors import ServiceError
from dashboard.models import Customer, Outage
from dashboard.network.tree import DeviceKind, Network
from dashboard.schemas import OutagePatchIn
from dashboard.services.audit import Actor
from dashboard.services.device_events import record_device_events
from dashboard.services.outages import patch_outage
from dashboard.simulator.schedule import Schedule

log = logging.getLogger(__name__)

# Which kind of device a storm breaks (wind on overhead lines trips feeders and branch switches; fuses of
# transformers blow), and how often automation (配电自动化) sees it: feeders' breakers report, some switches do,
# a transformer's fuse never does.
KIND_ODDS = ((DeviceKind.feeder, 0.2), (DeviceKind.switch, 0.35), (DeviceKind.transformer, 0.45))
REPORTED_ODDS = {DeviceKind.feeder: 0.9, DeviceKind.switch: 0.6, DeviceKind.transformer: 0.0}
STORM_RADIUS_KM = 18
CALLS_CAP = 60
GIVE_UP_S = 3 * 3600  # a failure nobody restored ends anyway (a neighbouring crew switched it back)
# How the 95598 platform knows where a caller is: their account, their transformer, or only where they are.
ID_ODDS = (("customer", 45), ("transformer", 25), ("place", 30))
_UNDER_WAY = [s.value for s in OUTAGE_UNDER_WAY]


@dataclass
class Trip:
    device_id: str
    reported: bool


class DeviceTrips:
    def __init__(self, services, network: Network, rng: random.Random, schedule: Schedule,
                 call: Callable[[str, str, dict], None], by: Actor) -> None:
        self.s, self.net, self.rng, self.schedule, self.call, self.by = services, network, rng, schedule, call, by
        self.tripped: dict[str, Trip] = {}
        self._kinds: dict[DeviceKind, tuple[list[str], np.ndarray, np.ndarray]] = {}
        for kind, _ in KIND_ODDS:
            ids = [d.id for d in network.devices.values() if d.kind == kind and d.lon is not None and d.grid_id]
            self._kinds[kind] = (ids, np.array([network.devices[i].lon for i in ids]),
                                 np.array([network.devices[i].lat for i in ids]))
        with services.db.read() as session:
            self._callers: dict[str, list[str]] = {}
            for cid, tid in session.execute(select(Customer.id, Customer.transformer_id)
                                            .where(Customer.care.is_(None))):
                self._callers.setdefault(tid, []).append(cid)

    def trip_near(self, lon: float, lat: float) -> str | None:
        """Break one device within the storm's reach, not one already out (nor below one that is)."""
        kinds, weights = zip(*KIND_ODDS)
        ids, lons, lats = self._kinds[self.rng.choices(kinds, weights)[0]]
        if not ids:
            return None
        # Equirectangular distance: plenty for "within the storm's reach" at Beijing's latitude.
        km = np.hypot((lons - lon) * 111.32 * math.cos(math.radians(lat)), (lats - lat) * 110.57)
        near = np.flatnonzero(km < STORM_RADIUS_KM)
        if not len(near):
            return None
        device = ids[int(self.rng.choice(near))]
        if any(p in self.tripped for p in self.net.path(device)):
            return None
        self.trip(device)
        return device

    def trip(self, device_id: str) -> None:
        kind = self.net.kind(device_id)
        reported = self.rng.random() < REPORTED_ODDS[kind]
        self.tripped[device_id] = Trip(device_id, reported)
        if reported:
            self.schedule.later(self.rng.uniform(1, 15), self.report, device_id, "open")
        customers = self.net.customers_below[device_id]
        calls = 1 + min(int(self.rng.expovariate(1 / max(customers / 300, 1.5))), CALLS_CAP)
        below = self.net.transformers_below(device_id)
        weights = [self.net.devices[t].customers + 1 for t in below]
        hv = kind != DeviceKind.transformer
        for _ in range(calls):
            transformer = self.rng.choices(below, weights)[0]
            category = "hv" if hv and self.rng.random() < 0.5 else "lv"
            self.schedule.later(self.rng.uniform(5, 300), self.call, self.net.devices[transformer].grid_id,
                                category, self._whereabouts(transformer))
        self.schedule.later(GIVE_UP_S, self.give_up, device_id)

    def _whereabouts(self, transformer: str) -> dict:
        """What the platform tells of where this caller is: always a place (within a hundred metres or so of the
        transformer: its customers live around it), and their account or their transformer when it knows them."""
        d = self.net.devices[transformer]
        where = {"lon": round(d.lon + self.rng.uniform(-0.001, 0.001), 6),
                 "lat": round(d.lat + self.rng.uniform(-0.0008, 0.0008), 6)}
        how = self.rng.choices(*zip(*ID_ODDS))[0]
        callers = self._callers.get(transformer)
        if how == "customer" and callers:
            return where | {"customer_id": self.rng.choice(callers)}
        return where | ({"transformer_id": transformer} if how == "transformer" else {})

    def report(self, device_id: str, state: str) -> None:
        now = self.s.clock()
        with self.s.db.write() as session:
            record_device_events(session, self.s.bus, self.s.judging(session),
                                 [{"device_id": device_id, "state": state, "at": now.isoformat()}], now)

    def restored(self, order_id: int) -> None:
        """A crew restored an order: the failures it repaired are over. Its outage may sit above the device that
        failed (the engine rolled up) or below it (a prediction under a failure nobody reported)."""
        with self.s.db.read() as session:
            devices = session.scalars(select(Outage.device_id).where(Outage.workorder_id == order_id,
                                                                     Outage.device_id.is_not(None))).all()
        for device in devices:
            if device not in self.net.devices:
                continue
            above = set(self.net.path(device))
            for t in [t for t in self.tripped if t in above or self.net.is_at_or_below(t, device)]:
                self._close(self.tripped.pop(t))

    def give_up(self, device_id: str) -> None:
        trip = self.tripped.pop(device_id, None)
        if trip is not None:
            self._close(trip)

    def _close(self, trip: Trip) -> None:
        """Power back below the device: automation reports the close; otherwise the outages below it end."""
        if trip.reported:
            self.report(trip.device_id, "closed")
            return
        now = self.s.clock()
        with self.s.db.read() as session:
            below = [o for o, d in session.execute(select(Outage.id, Outage.device_id).where(
                Outage.status.in_(_UNDER_WAY), Outage.device_id.is_not(None)))
                if d in self.net.devices and self.net.is_at_or_below(d, trip.device_id)]
        for outage_id in below:
            try:
                with self.s.db.write() as session:
                    patch_outage(session, self.s.bus, outage_id, OutagePatchIn(end=now), now, by=self.by,
                                 catalog=self.s.catalog, limits=self.s.limits)
            except ServiceError:  # a dispatcher or a crew ended it meanwhile
                continue
