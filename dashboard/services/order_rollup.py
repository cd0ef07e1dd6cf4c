"""The daily order roll-up: per local day and grid, the work-order and call tallies (dashboard/services/
order_tallies.py); a period reads it for its whole past days and the tables for the rest."""
from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.services.order_tallies import Key, Tally, tallies


def order_tallies(session: Session, start: datetime, end: datetime, key: Key, tz: str,
                  now: datetime) -> dict[tuple[Hashable, str | None], Tally]:
    """The tallies of [start, end) per (key bucket, grid)."""
    return tallies(session, start, end, key)
