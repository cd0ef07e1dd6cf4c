"""催办 for service tickets: levels kept on the tickets, moved by the same sweep loop as the repair orders'."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.events import EventBus
from dashboard.models import Ticket, TicketEvent
from dashboard.services.audit import SYSTEM, Actor, record_many
from dashboard.services.changes import commit_and_publish
from dashboard.services.escalation import escalation_note
from dashboard.ticket_views import ticket_change
from dashboard.tickets.kinds import OPEN_TICKET_STATUSES
from dashboard.tickets.limits import TicketRules

SWEEP_BATCH = 2000


def refresh_ticket(ticket: Ticket, rules: TicketRules, now: datetime) -> bool:
    """Recompute the ticket's running limit and level after any change; True if its level rose."""
    state = rules.escalation(ticket, now)
    rose = state.level > (ticket.level or 0)
    running = rules.running(ticket)
    ticket.due_at = running[1] if running else None
    ticket.level, ticket.overdue, ticket.escalate_at = state.level, state.overdue, state.next_at
    return rose


def escalated_entry(ticket: Ticket, previous: int, now: datetime, by: Actor = SYSTEM) -> dict:
    limit = "close" if ticket.contacted_at else "contact"
    return {"ticket_id": ticket.id, "at": now, "action": "escalated", "actor": by.name,
            "note": escalation_note(limit, previous, ticket.level, ticket.overdue)}


def escalated_audit(ticket: Ticket, previous: int, now: datetime, by: Actor = SYSTEM) -> dict:
    return {"at": now, "actor": by.name, "role": by.role, "action": "escalated", "object": "ticket",
            "object_id": str(ticket.id), "details": {"from": previous, "to": ticket.level, "overdue": ticket.overdue}}


def sweep_tickets(session: Session, bus: EventBus, rules: TicketRules, now: datetime) -> int:
    """Move every open ticket whose escalation is due: rises go to the timeline and the audit log, the changed
    tickets are pushed. Returns how many tickets changed."""
    stmt = (select(Ticket).where(Ticket.escalate_at <= now,
                                 Ticket.status.in_([s.value for s in OPEN_TICKET_STATUSES]))
            .order_by(Ticket.escalate_at).limit(SWEEP_BATCH))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    tickets = session.scalars(stmt).all()
    changed, timeline, audit = [], [], []
    for ticket in tickets:
        before = (ticket.level, ticket.overdue, ticket.due_at)
        previous = ticket.level or 0
        if refresh_ticket(ticket, rules, now):
            timeline.append(escalated_entry(ticket, previous, now))
            audit.append(escalated_audit(ticket, previous, now))
        if (ticket.level, ticket.overdue, ticket.due_at) != before:
            changed.append(ticket)  # the version stays: a dispatcher's open desk is not made stale by the clock
    if timeline:
        session.execute(TicketEvent.__table__.insert(), timeline)
    record_many(session, audit)
    commit_and_publish(session, bus, [ticket_change(t) for t in changed], now)
    return len(changed)
