"""JSON views of service tickets: the one shape of REST answers and the pushed `ticket` changes."""
from __future__ import annotations

from typing import Any

from dashboard.events import Change
from dashboard.models import Ticket, TicketEvent
from dashboard.tickets.kinds import OPEN_TICKET_STATUSES, TicketStatus
from dashboard.timeutil import iso

# Personal fields stay out of what is pushed to every screen (the wall's viewers included): REST readers get them.
PERSONAL = ("customer_id", "phone", "description")


def ticket_view(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.id, "external_id": t.external_id, "kind": t.kind, "status": t.status, "version": t.version,
        "received_at": iso(t.received_at), "customer_id": t.customer_id, "phone": t.phone,
        "lon": None if t.lon is None else round(t.lon, 6), "lat": None if t.lat is None else round(t.lat, 6),
        "grid_id": t.grid_id, "district": t.district, "outside_grid": t.outside_grid, "subject": t.subject,
        "description": t.description, "related_workorder_id": t.related_workorder_id, "department": t.department,
        "contact_due": iso(t.contact_due), "close_due": iso(t.close_due), "due_at": iso(t.due_at),
        "level": t.level or 0, "overdue": bool(t.overdue), "contacted_at": iso(t.contacted_at),
        "closed_at": iso(t.closed_at), "created_by": t.created_by, "updated_at": iso(t.updated_at),
    }


def ticket_event_view(e: TicketEvent) -> dict[str, Any]:
    return {"at": iso(e.at), "action": e.action, "from": e.from_status, "to": e.to_status, "actor": e.actor,
            "note": e.note}


def ticket_change(t: Ticket) -> Change:
    """`upsert` while the ticket is open, `remove` once it is closed or cancelled (the data says which)."""
    data = {k: v for k, v in ticket_view(t).items() if k not in PERSONAL}
    op = "upsert" if TicketStatus(t.status) in OPEN_TICKET_STATUSES else "remove"
    return Change("ticket", op, str(t.id), data, (t.district,) if t.district else ())
