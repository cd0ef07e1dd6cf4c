"""The demo's 95598 call center: seats in three groups, Poisson calls per queue, answers, abandons, wrap-up.
It reports seat states and call events through the same services the CTI switch's API calls use."""
from __future__ import annotations

import itertools
import random

from dashboard.services import callcenter
from dashboard.simulator.schedule import Schedule

SEAT_GROUPS = (("repair", 28), ("enquiry", 10), ("complaint", 6))
QUEUE_RATE = {"repair": 0.08, "enquiry": 0.05, "complaint": 0.015}  # background calls per second
MEAN_PATIENCE_S, MEAN_TALK_S = 70.0, 80.0


class CallCenterSim:
    def __init__(self, services, rng: random.Random, schedule: Schedule):
        self.s = services
        self.rng = rng
        self.schedule = schedule
        self._ids = itertools.count(1)
        self.run = ""  # the storm's run tag, so that call ids are new after a restart
        self._seats: dict[str, dict] = {}
        self._waiting: dict[str, list[str]] = {q: [] for q, _ in SEAT_GROUPS}

    def setup(self) -> None:
        items = []
        now = self.s.clock()
        for group, count in SEAT_GROUPS:
            for k in range(count):
                seat_id = f"{group[:3].upper()}-{k + 1:02d}"
                state = self.rng.choices(("available", "not_ready", "logged_out"), (80, 12, 8))[0]
                self._seats[seat_id] = {"group": group, "state": state, "call": None}
                items.append({"seat_id": seat_id, "agent": f"A{len(items) + 1:03d}", "group": group,
                              "state": state, "at": now.isoformat()})
        with self.s.db.write() as session:
            callcenter.record_seat_events(session, self.s.bus, items, now)
        for queue, rate in QUEUE_RATE.items():
            self.schedule.later(self.rng.expovariate(rate), self.call, queue, True)

    def call(self, queue: str, recurring: bool = False) -> None:
        """A call is offered to `queue`; a recurring one schedules the queue's next background call."""
        call_id = f"CALL-{self.run}-{next(self._ids):07d}"
        self._event(call_id, queue, "offered")
        self._waiting[queue].append(call_id)
        self.schedule.later(self.rng.expovariate(1 / MEAN_PATIENCE_S), self._abandon, queue, call_id)
        self._connect(queue)
        if recurring:
            self.schedule.later(self.rng.expovariate(QUEUE_RATE[queue]), self.call, queue, True)

    def _abandon(self, queue: str, call_id: str) -> None:
        if call_id in self._waiting[queue]:
            self._waiting[queue].remove(call_id)
            self._event(call_id, queue, "abandoned")

    def _connect(self, queue: str) -> None:
        while self._waiting[queue]:
            free = [sid for sid, s in self._seats.items() if s["group"] == queue and s["state"] == "available"]
            if not free:
                return
            call_id = self._waiting[queue].pop(0)
            seat_id = self.rng.choice(free)
            self._seat(seat_id, "talking")
            self._seats[seat_id]["call"] = call_id
            self._event(call_id, queue, "answered", seat_id)
            self.schedule.later(self.rng.expovariate(1 / MEAN_TALK_S), self._hangup, seat_id)

    def _hangup(self, seat_id: str) -> None:
        seat = self._seats[seat_id]
        if seat["call"]:
            self._event(seat["call"], seat["group"], "ended", seat_id)
            seat["call"] = None
        self._seat(seat_id, "wrap_up")
        self.schedule.later(self.rng.uniform(8, 25), self._ready, seat_id)

    def _ready(self, seat_id: str) -> None:
        state = "not_ready" if self.rng.random() < 0.05 else "available"
        self._seat(seat_id, state)
        if state == "not_ready":
            self.schedule.later(self.rng.uniform(60, 300), self._ready, seat_id)
        self._connect(self._seats[seat_id]["group"])

    def _event(self, call_id: str, queue: str, event: str, seat_id: str | None = None) -> None:
        now = self.s.clock()
        item = {"call_id": call_id, "queue": queue, "event": event, "at": now.isoformat()}
        if seat_id:
            item["seat_id"] = seat_id
        with self.s.db.write() as session:
            callcenter.record_call_events(session, self.s.bus, [item], now, self.s.rule)

    def _seat(self, seat_id: str, state: str) -> None:
        seat = self._seats[seat_id]
        seat["state"] = state
        now = self.s.clock()
        with self.s.db.write() as session:
            callcenter.record_seat_events(session, self.s.bus, [{"seat_id": seat_id, "group": seat["group"],
                                                                 "state": state, "at": now.isoformat()}], now)
