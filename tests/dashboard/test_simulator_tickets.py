"""The demo's service tickets: a believable trickle through the real services, some chased, contacted and closed."""
import random
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from dashboard.errors import ServiceError
from dashboard.models import Ticket, TicketEvent
from dashboard.schemas import FaultIn
from dashboard.services.faults import ingest_fault
from dashboard.simulator.schedule import Schedule
from dashboard.simulator.storm import StormSimulator
from dashboard.simulator.tickets import TicketSim
from tests.conftest import make_fault, now_utc

SQLITE_ONLY = True  # the simulator only drives services; those run on PostgreSQL in their own tests


def test_the_trickle_is_chased_and_answered(services):
    clock = [now_utc()]
    services.clock = lambda: clock[0]
    with services.db.write() as s:  # a repair under way, for complaints to name
        ingest_fault(s, services.bus, services.catalog, FaultIn.model_validate(make_fault(category="hazard")),
                     clock[0])
    schedule = Schedule(lambda: clock[0].timestamp(), 60)
    sim = TicketSim(services, random.Random(3), schedule, lambda: (116.4075, 39.904))
    sim.setup()
    for _ in range(1800):  # thirty simulated hours at 60x
        clock[0] += timedelta(seconds=1)
        sim.step(stormy=False)
        for job in schedule.due():
            try:
                job.fn(*job.args)
            except ServiceError:
                pass
    with services.db.read() as s:
        tickets = s.scalars(select(Ticket)).all()
        moves = s.scalars(select(TicketEvent.to_status).where(TicketEvent.action == "transition")).all()
        escalated = s.scalars(select(TicketEvent.id).where(TicketEvent.action == "escalated")).all()
    kinds = Counter(t.kind for t in tickets)
    assert len(tickets) > 20 and set(kinds) == {"consultation", "service", "complaint", "report"}
    assert kinds["consultation"] + kinds["service"] > kinds["complaint"] + kinds["report"]
    assert any(t.related_workorder_id for t in tickets)  # complaints about a repair under way
    assert {"contacted", "closed"} <= set(moves)
    assert escalated  # the backlog was born late on its limits
    assert any(t.status == "received" for t in tickets)  # some wait for a person, and escalate meanwhile


def test_the_storm_starts_its_ticket_backlog(services):
    services.clock = now_utc
    sim = StormSimulator(services, seed=7, speed=6)
    sim.setup()
    with services.db.read() as s:
        assert len(s.scalars(select(Ticket.id)).all()) > 5
