"""What follows when a ticket is closed: its callback task (回访), opened in the closing transaction."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dashboard.models import Ticket
from dashboard.services.callbacks import open_callback
from dashboard.domain import CALLBACK_WINDOW


def on_ticket_closed(session: Session, ticket: Ticket, now: datetime,
                     window: timedelta = CALLBACK_WINDOW) -> None:
    """Called once when a ticket becomes `closed`, before the commit: its callback task commits (or rolls back)
    with the close."""
    open_callback(session, "ticket", ticket.id, now, window=window, phone=ticket.phone, district=ticket.district)
