"""Dead letters sent again: a dead notice goes back to pending with its tries reset and its id (the receiver's
idempotency key) unchanged; audited as `notice_requeued`."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dashboard.errors import Conflict, NotFound
from dashboard.models import Notification
from dashboard.notify.history import notification_view
from dashboard.services.audit import Actor, record_many


def _back_to_pending(now: datetime) -> dict[str, Any]:
    # attempts reset: the notice gets the full number of tries again; last_error stays until the next try tells.
    return {"status": "pending", "attempts": 0, "next_at": now, "claimed_by": None, "claimed_until": None}


def _audit(session: Session, rows: list[tuple[int, str, str]], now: datetime, by: Actor) -> None:
    record_many(session, [{"at": now, "actor": by.name[:64], "role": by.role[:16], "action": "notice_requeued",
                           "object": "notification", "object_id": str(row_id),
                           "details": {"notice_id": notice_id, "channel": channel}}
                          for row_id, notice_id, channel in rows])


def requeue(session: Session, notification_id: int, now: datetime, by: Actor) -> dict[str, Any]:
    """One dead notice back in the queue (404 unknown, 409 not dead); its view as it is now. The caller commits
    and then wakes the worker."""
    # Conditional: two admins pressing at once requeue it once; the second is told it is no longer dead.
    done = session.execute(update(Notification).where(Notification.id == notification_id,
                                                      Notification.status == "dead")
                           .values(**_back_to_pending(now))
                           .returning(Notification.id, Notification.notice_id, Notification.channel)).all()
    row = session.get(Notification, notification_id, populate_existing=True)
    if row is None:
        raise NotFound(f"notification {notification_id} not found")
    if not done:
        raise Conflict(f"notification {notification_id} is {row.status}, not dead: only dead notices are sent again",
                       code="not_dead")
    _audit(session, [tuple(r) for r in done], now, by)
    return notification_view(row)


def requeue_all_dead(session: Session, now: datetime, by: Actor) -> list[int]:
    """Every dead notice back in the queue; their ids. The caller commits and wakes the worker."""
    done = session.execute(update(Notification).where(Notification.status == "dead")
                           .values(**_back_to_pending(now))
                           .returning(Notification.id, Notification.notice_id, Notification.channel)).all()
    _audit(session, [tuple(r) for r in done], now, by)
    return sorted(r[0] for r in done)


def dead_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(Notification.status == "dead")) or 0
