"""Every notice queued: to whom, through which channel, about what, when, and whether it was delivered."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import Notification
from dashboard.timeutil import iso

STATUSES = ("pending", "sent", "dead")


def notification_view(row: Notification) -> dict[str, Any]:
    return {"id": row.id, "notice_id": row.notice_id, "channel": row.channel, "event": row.event,
            "subject": row.subject, "outage_id": row.subject_id if row.subject == "outage" else None,
            "workorder_id": row.subject_id if row.subject == "workorder" else None,
            "ticket_id": row.subject_id if row.subject == "ticket" else None, "grid_id": row.grid_id,
            "recipients": [{"role": r["role"], "name": r["name"], "phone": r["phone"]} for r in row.recipients or []],
            "text": row.text, "status": row.status, "attempts": row.attempts, "queued_at": iso(row.queued_at),
            "last_attempt_at": iso(row.last_attempt_at), "sent_at": iso(row.sent_at),
            "next_at": iso(row.next_at) if row.status == "pending" else None, "last_error": row.last_error}


def list_notifications(session: Session, start: datetime | None = None, end: datetime | None = None,
                       status: str | None = None, limit: int = 200,
                       before_id: int | None = None) -> tuple[list[dict[str, Any]], int | None]:
    """Newest first, queued in [start, end); a page of `limit` and the cursor of the next (None: no more)."""
    stmt = select(Notification)
    if start is not None:
        stmt = stmt.where(Notification.queued_at >= start)
    if end is not None:
        stmt = stmt.where(Notification.queued_at < end)
    if status is not None:
        stmt = stmt.where(Notification.status == status)
    if before_id is not None:
        stmt = stmt.where(Notification.id < before_id)
    rows = session.scalars(stmt.order_by(Notification.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return [notification_view(r) for r in rows], rows[-1].id if more else None
