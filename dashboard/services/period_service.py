"""A period's service figures (docs/figures.md, "Service"): complaints against their 24 h contact rule, and the
callbacks (回访) opened, completed, reached and satisfied."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from dashboard.domain import CallbackResult, CallbackStatus
from dashboard.figures.ratios import rate
from dashboard.models import CallbackTask, Ticket
from dashboard.tickets.kinds import TicketKind, TicketStatus


def service_figures(session: Session, start: datetime, end: datetime, district: str | None, now: datetime) -> dict:
    """Complaints against their contact limit (docs/tickets.md) and the period's callbacks (回访)."""
    where = [Ticket.kind == TicketKind.complaint, Ticket.received_at >= start, Ticket.received_at < end]
    if district is not None:
        where.append(Ticket.district == district)
    count = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    contacted = Ticket.contacted_at.is_not(None)
    missed = and_(Ticket.contacted_at.is_(None), Ticket.status != TicketStatus.cancelled, Ticket.contact_due < now)
    complaints, on_time, judged = (int(x or 0) for x in session.execute(select(
        func.count(), count(and_(contacted, Ticket.contacted_at <= Ticket.contact_due)),
        count(or_(contacted, missed))).where(*where)).one())  # judged: contacted, or not and past its limit
    cb = [CallbackTask.opened_at >= start, CallbackTask.opened_at < end]
    done = [CallbackTask.status == CallbackStatus.done, CallbackTask.closed_at >= start, CallbackTask.closed_at < end]
    if district is not None:
        cb.append(CallbackTask.district == district)
        done.append(CallbackTask.district == district)
    opened, completed = session.execute(select(func.count(), count(CallbackTask.status != CallbackStatus.pending))
                                        .where(*cb)).one()
    reached, satisfied = session.execute(select(func.count(), count(CallbackTask.result == CallbackResult.satisfied))
                                         .where(*done)).one()
    opened, completed, reached, satisfied = (int(x or 0) for x in (opened, completed, reached, satisfied))
    return {"complaints": complaints, "complaints_contacted_on_time": on_time,
            "complaint_contact_rate": rate(on_time, judged),
            "callbacks_opened": opened, "callbacks_completed": completed,
            "callback_completion": rate(completed, opened), "callbacks_reached": reached,
            "satisfaction_rate": rate(satisfied, reached)}
