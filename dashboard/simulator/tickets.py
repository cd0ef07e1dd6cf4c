"""The demo's trickle of service tickets from the 95598 platform: mostly consultations and service requests, some
complaints (a few about a repair order under way) and reports; the people who own them contact and close most in
time, some late, a few not at all, so the wall and the console show complaints chased against their 24 h rule.
Everything enters through the same services the REST API calls."""
from __future__ import annotations

import itertools
import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import select

from dashboard.domain import OPEN_STATUSES, CallbackStatus
from dashboard.errors import ServiceError
from dashboard.models import WorkOrder
from dashboard.schemas import TicketIn
from dashboard.services.audit import Actor
from dashboard.services.callback_attempts import record_attempt
from dashboard.services.callbacks import task_for
from dashboard.services.tickets import create_ticket, transition_ticket
from dashboard.simulator.schedule import Schedule
from dashboard.tickets.kinds import TicketStatus

log = logging.getLogger(__name__)
DESK = Actor("simulator", "system")
PLATFORM = Actor("95598", "ingest")

KIND_MIX = (("consultation", 45), ("service", 30), ("complaint", 15), ("report", 10))
SUBJECTS = {
    "consultation": ("咨询本月电费构成", "咨询阶梯电价标准", "咨询停电计划", "咨询营业厅办公时间", "咨询电动汽车充电桩报装流程",
                     "咨询光伏并网手续", "咨询智能电表读数"),
    "service": ("申请更名过户", "申请增容", "申请新装居民用电", "申请电费发票", "申请峰谷电价", "申请销户"),
    "complaint": ("抢修人员到达太慢", "频繁停电未获解释", "营业厅工作人员态度差", "电费账单有误未处理", "停电通知不及时",
                  "抢修后现场未清理"),
    "report": ("有人私拉电线", "发现窃电行为", "电杆倾斜无人处理", "变压器旁堆放杂物"),
}
LINKED_SHARE = 0.5  # complaints about a repair order under way
RATE_PER_S = 1 / 120  # a ticket every two minutes on a calm day …
STORM_RATE_PER_S = 1 / 45  # … more while the storm blows (mostly complaints about the outages)
BACKLOG = 14  # tickets already open when the demo starts, received over the past day and a half
# When the owner reaches the customer and closes the ticket: most in time, some late, some never (they escalate).
CONTACT_IN_TIME_S, CONTACT_LATE_S = (15 * 60, 6 * 3600), (25 * 3600, 30 * 3600)
CLOSE_AFTER_S = (2 * 3600, 3 * 86400)
CALLBACK_AFTER_S = (20 * 60, 3 * 3600)  # the platform rings the customer back after the ticket is closed
CALLBACK_MIX = (("satisfied", 78), ("not_satisfied", 10), ("not_reached", 12))


class TicketSim:
    def __init__(self, services, rng: random.Random, schedule: Schedule, place: Callable[[], tuple[float, float]]):
        self.s = services
        self.rng = rng
        self.schedule = schedule
        self.place = place  # a random point inside the grids, weighted by customers
        self.speed = schedule.speed
        self.run = ""
        self._ids = itertools.count(1)

    def setup(self) -> None:
        """A backlog received over the last 36 hours, so levels show from the first minute."""
        now = self.s.clock()
        for _ in range(BACKLOG):
            received = now - timedelta(hours=self.rng.uniform(0.5, 36))
            tid = self.ticket(received)
            if tid is None:
                continue
            age = (now - received).total_seconds()
            if self.rng.random() < 0.5 and age > CONTACT_IN_TIME_S[0]:
                self.schedule.later(0, self.move, tid, TicketStatus.contacted)

    def step(self, stormy: bool) -> None:
        rate = STORM_RATE_PER_S if stormy else RATE_PER_S
        if self.rng.random() < rate * self.speed:
            self.ticket(self.s.clock() - timedelta(seconds=self.rng.uniform(5, 120)), complaint=stormy and
                        self.rng.random() < 0.5)

    def ticket(self, received: datetime, complaint: bool = False) -> int | None:
        kind = "complaint" if complaint else self.rng.choices([k for k, _ in KIND_MIX], [w for _, w in KIND_MIX])[0]
        lon, lat = self.place()
        body = {"external_id": f"SIMT-{self.run}-{next(self._ids):05d}", "kind": kind,
                "received_at": received.isoformat(), "subject": self.rng.choice(SUBJECTS[kind]), "lon": lon,
                "lat": lat, "phone": f"1{self.rng.randint(3, 9)}{self.rng.randint(0, 999_999_999):09d}"}
        if kind == "complaint" and self.rng.random() < LINKED_SHARE:
            order = self._open_order()
            if order is not None:
                body |= {"related_workorder_id": order, "subject": "抢修进度慢，要求尽快复电"}
        try:
            with self.s.db.write() as session:
                result = create_ticket(session, self.s.bus, self.s.catalog, TicketIn.model_validate(body),
                                       self.s.clock(), rules=self.s.tickets, by=DESK)
        except (ServiceError, ValidationError) as exc:
            log.debug("simulated ticket refused: %s", exc)
            return None
        tid = result.ticket["id"]
        roll = self.rng.random()
        if roll < 0.75:
            self.schedule.later(self.rng.uniform(*CONTACT_IN_TIME_S), self.move, tid, TicketStatus.contacted)
        elif roll < 0.9:
            self.schedule.later(self.rng.uniform(*CONTACT_LATE_S), self.move, tid, TicketStatus.contacted)
        return tid  # the rest wait for a person at the console, and escalate meanwhile

    def move(self, ticket_id: int, to: TicketStatus) -> None:
        with self.s.db.write() as session:
            ticket = transition_ticket(session, self.s.bus, ticket_id, to, now=self.s.clock(), by=DESK,
                                       note="已电话联系客户" if to == TicketStatus.contacted else "已处理并答复客户",
                                       rules=self.s.tickets, callback_window=self.s.limits.callback_window)
        if ticket.status == TicketStatus.contacted and self.rng.random() < 0.9:
            self.schedule.later(self.rng.uniform(*CLOSE_AFTER_S), self.move, ticket_id, TicketStatus.closed)
        elif ticket.status == TicketStatus.closed:
            self.schedule.later(self.rng.uniform(*CALLBACK_AFTER_S), self.call_back, ticket_id)

    def call_back(self, ticket_id: int) -> None:
        """The platform's callback (回访) of a closed ticket, through the service POST /callbacks/{id}/attempts calls;
        a customer not reached is rung again later, three tries at most."""
        result = self.rng.choices([r for r, _ in CALLBACK_MIX], weights=[w for _, w in CALLBACK_MIX])[0]
        with self.s.db.write() as session:
            task = task_for(session, "ticket", ticket_id)
            if task is None or task.status != CallbackStatus.pending:
                return  # a dispatcher took it meanwhile
            view = record_attempt(session, self.s.bus, task.id, result, now=self.s.clock(), by=PLATFORM,
                                  catalog=self.s.catalog, limits=self.s.limits)
        if view["status"] == CallbackStatus.pending:
            self.schedule.later(self.rng.uniform(*CALLBACK_AFTER_S), self.call_back, ticket_id)

    def _open_order(self) -> int | None:
        with self.s.db.read() as session:
            ids = session.scalars(select(WorkOrder.id).where(WorkOrder.status.in_([s.value for s in OPEN_STATUSES]))
                                  .order_by(WorkOrder.id.desc()).limit(30)).all()
        return self.rng.choice(ids) if ids else None
