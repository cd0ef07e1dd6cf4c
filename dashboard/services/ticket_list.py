"""The ticket list: filters, most urgent first (least time left to the limit now running), keyset pages with a
cursor and the total count; what GET /tickets and the console's ticket tab show."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, literal, select, tuple_
from sqlalchemy.orm import Session

from dashboard.models import Ticket, UTCDateTime
from dashboard.services.order_list import decode_cursor, encode_cursor
from dashboard.ticket_views import ticket_view
from dashboard.tickets.kinds import OPEN_TICKET_STATUSES

MAX_PAGE = 1000


@dataclass(frozen=True)
class TicketFilter:
    status: str | None = None  # None: every open ticket (received, contacted)
    kind: str | None = None
    department: str | None = None
    grid_id: str | None = None
    level: int | None = None
    overdue: bool | None = None
    workorder_id: int | None = None


def _conditions(f: TicketFilter) -> list:
    where = [Ticket.status == f.status] if f.status else \
        [Ticket.status.in_([s.value for s in OPEN_TICKET_STATUSES])]
    for column, value in ((Ticket.kind, f.kind), (Ticket.department, f.department), (Ticket.grid_id, f.grid_id),
                          (Ticket.level, f.level), (Ticket.overdue, f.overdue),
                          (Ticket.related_workorder_id, f.workorder_id)):
        if value is not None:
            where.append(column == value)
    return where


def count_open(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Ticket).where(*_conditions(TicketFilter()))) or 0)


def open_by_level(session: Session, levels: int) -> list[int]:
    """How many open tickets stand at each level 0..levels (the wall's tile; a higher level counts in the last)."""
    by_level = [0] * (levels + 1)
    for level, n in session.execute(select(Ticket.level, func.count()).where(*_conditions(TicketFilter()))
                                    .group_by(Ticket.level)).all():
        by_level[min(max(int(level or 0), 0), levels)] += int(n)
    return by_level


def list_tickets(session: Session, filters: TicketFilter, *, limit: int = 200, cursor: str | None = None) -> dict:
    """One page: {"items", "count" (all that match), "next" (a cursor, or None on the last page)}."""
    limit = max(1, min(limit, MAX_PAGE))
    where = _conditions(filters)
    count = session.scalar(select(func.count()).select_from(Ticket).where(*where))
    # Tickets with no limit running (closed, cancelled) sort after the rest, by when they were received.
    no_due = case((Ticket.due_at.is_(None), 1), else_=0)
    due = func.coalesce(Ticket.due_at, Ticket.received_at)
    stmt = select(Ticket, no_due.label("no_due"), due.label("due")).where(*where)
    if cursor:
        flag, after_due, after_id = decode_cursor(cursor)
        stmt = stmt.where(tuple_(no_due, due, Ticket.id) >
                          tuple_(literal(flag), literal(after_due, UTCDateTime()), literal(after_id)))
    rows = session.execute(stmt.order_by(no_due, due, Ticket.id).limit(limit + 1)).all()
    page = rows[:limit]
    nxt = None
    if len(rows) > limit:
        last = page[-1]
        nxt = encode_cursor(int(last.no_due), last.due, last.Ticket.id)
    return {"items": [ticket_view(r.Ticket) for r in page], "count": int(count or 0), "next": nxt}
