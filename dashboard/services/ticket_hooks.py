"""What follows when a ticket is closed: the one seam where other features (the callback task, 回访) join in."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.models import Ticket


def on_ticket_closed(session: Session, ticket: Ticket, now: datetime) -> None:
    """Called once when a ticket becomes `closed`, inside the closing transaction, before the commit: rows added
    here commit (or roll back) with the close. Nothing follows by default; the callback feature opens its task
    here, e.g. `open_callback(session, "ticket", ticket.id, now)`."""
    return None
