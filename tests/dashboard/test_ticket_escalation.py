"""催办 for service tickets with a fake clock: the sweep moves levels, records them (timeline, audit) and pushes."""
import dataclasses
from datetime import timedelta

from sqlalchemy import select

from dashboard.models import AuditEntry
from dashboard.schemas import TicketIn
from dashboard.services.audit import Actor
from dashboard.services.ticket_escalation import sweep_tickets
from dashboard.services.tickets import create_ticket, ticket_detail, transition_ticket
from tests.conftest import now_utc

DISPATCHER = Actor("li", "dispatcher")


def _ticket(services, n: int, kind: str = "complaint", hours_ago: float = 0) -> int:
    body = TicketIn.model_validate({"external_id": f"E-{n}", "kind": kind, "subject": "投诉服务态度",
                                    "received_at": (services.clock() - timedelta(hours=hours_ago)).isoformat(),
                                    "lon": 116.4075, "lat": 39.904})
    with services.db.write() as s:
        return create_ticket(s, services.bus, services.catalog, body, services.clock(),
                             rules=services.tickets).ticket["id"]


def _sweep(services) -> int:
    with services.db.write() as s:
        return sweep_tickets(s, services.bus, services.tickets, services.clock())


def _get(services, ticket_id: int) -> dict:
    with services.db.read() as s:
        return ticket_detail(s, ticket_id)


def test_a_complaint_is_chased_against_its_24_hour_contact_rule(services):
    start = now_utc()
    services.clock = lambda: start
    tid = _ticket(services, 1)
    pushed = []
    services.bus.subscribe(lambda changes: pushed.extend(c for c in changes if c.kind == "ticket"))
    assert _sweep(services) == 0  # nothing due yet
    for hours, level in ((12, 1), (18, 2), (21.6, 3), (24, 4)):
        services.clock = lambda h=hours: start + timedelta(hours=h)
        assert _sweep(services) == 1
        state = _get(services, tid)
        assert state["level"] == level and state["overdue"] is (level == 4)
    assert _sweep(services) == 0  # past the last mark: nothing moves until the ticket does
    assert [c.data["level"] for c in pushed] == [1, 2, 3, 4]
    detail = _get(services, tid)
    assert [e["action"] for e in detail["timeline"]] == ["created"] + ["escalated"] * 4
    assert "联系时限 contact limit" in detail["timeline"][-1]["note"] and "超时 overdue" in detail["timeline"][-1]["note"]
    assert detail["version"] == 1  # the clock does not make a dispatcher's view stale
    with services.db.read() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.object == "ticket")).all()
    assert [(a.action, a.details["to"]) for a in audit] == [("escalated", n) for n in (1, 2, 3, 4)]


def test_contacting_starts_the_close_limit(services):
    start = now_utc()
    services.clock = lambda: start
    tid = _ticket(services, 2)
    services.clock = lambda: start + timedelta(hours=25)
    _sweep(services)
    assert _get(services, tid)["overdue"]
    with services.db.write() as s:
        transition_ticket(s, services.bus, tid, "contacted", now=services.clock(), by=DISPATCHER,
                          rules=services.tickets)
    state = _get(services, tid)
    assert state["due_at"] == state["close_due"] and not state["overdue"] and state["level"] < 4
    services.clock = lambda: start + timedelta(days=30)
    _sweep(services)
    assert _get(services, tid)["overdue"] and _get(services, tid)["level"] == 4
    with services.db.write() as s:
        transition_ticket(s, services.bus, tid, "closed", now=services.clock(), by=DISPATCHER, rules=services.tickets)
    state = _get(services, tid)
    assert (state["level"], state["overdue"], state["due_at"]) == (0, False, None)
    assert _sweep(services) == 0


def test_a_ticket_received_late_is_born_escalated(services):
    services.clock = now_utc
    tid = _ticket(services, 3, kind="consultation", hours_ago=5)  # past its 4 h contact limit
    state = _get(services, tid)
    assert state["level"] == 4 and state["overdue"] and state["timeline"][-1]["action"] == "escalated"


def test_closing_a_ticket_opens_its_callback_task(services):
    from dashboard.services.callbacks import task_for
    services.limits = dataclasses.replace(services.limits, callback_window=timedelta(hours=6))
    tid = _ticket(services, 4)
    with services.db.write() as s:
        transition_ticket(s, services.bus, tid, "contacted", now=services.clock(), by=DISPATCHER,
                          rules=services.tickets)
    with services.db.read() as s:
        assert task_for(s, "ticket", tid) is None  # only a closed ticket is called back
    closed_at = services.clock()
    with services.db.write() as s:
        transition_ticket(s, services.bus, tid, "closed", now=closed_at, by=DISPATCHER, rules=services.tickets,
                          callback_window=services.limits.callback_window)
    with services.db.read() as s:
        task = task_for(s, "ticket", tid)
        assert (task.status, task.due_at) == ("pending", closed_at + timedelta(hours=6))
