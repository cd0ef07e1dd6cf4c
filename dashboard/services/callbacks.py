"""Callback tasks (回访): opened when a repair order is restored or a ticket closed, the gate that keeps an order
from being visited or archived without one, their views and the list of them, oldest due first."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.orm import Session

from dashboard.domain import CALLBACK_SUBJECTS, CALLBACK_WINDOW, CallbackStatus, OrderStatus
from dashboard.errors import Conflict, Invalid, NotFound
from dashboard.models import CallbackAttempt, CallbackTask, FaultReport, UTCDateTime, WorkOrder
from dashboard.schemas import MAX_ID
from dashboard.timeutil import iso

MAX_PAGE = 1000


def _check_kind(subject_kind: str) -> None:
    if subject_kind not in CALLBACK_SUBJECTS:
        raise Invalid(f"a callback is about one of {', '.join(CALLBACK_SUBJECTS)}, not {subject_kind!r}",
                      details=[{"field": "subject_kind", "message": "unknown"}])


def task_for(session: Session, subject_kind: str, subject_id: int, *, lock: bool = False) -> CallbackTask | None:
    stmt = select(CallbackTask).where(CallbackTask.subject_kind == subject_kind, CallbackTask.subject_id == subject_id)
    return session.scalar(stmt.with_for_update() if lock else stmt)


def _order_customer(session: Session, order_id: int) -> tuple[str | None, str | None]:
    """The caller to ring back: the first report that left a phone number (else the first with a name)."""
    rows = session.execute(select(FaultReport.customer_name, FaultReport.phone)
                           .where(FaultReport.workorder_id == order_id,
                                  (FaultReport.phone.is_not(None)) | (FaultReport.customer_name.is_not(None)))
                           .order_by(FaultReport.phone.is_(None), FaultReport.reported_at).limit(1)).first()
    return (rows.customer_name, rows.phone) if rows else (None, None)


def open_callback(session: Session, subject_kind: str, subject_id: int, now: datetime, *,
                  window: timedelta = CALLBACK_WINDOW, customer_name: str | None = None, phone: str | None = None,
                  district: str | None = None) -> CallbackTask:
    """The subject's callback task, opened now (due after `window`) unless it has one already: idempotent, in the
    caller's transaction. For a work order the customer and district come from the order and its reports; a
    ticket's caller passes them."""
    _check_kind(subject_kind)
    task = task_for(session, subject_kind, subject_id)
    if task is not None:
        return task
    if subject_kind == "workorder":
        order = session.get(WorkOrder, subject_id)
        if order is None:
            raise NotFound(f"work order {subject_id} not found")
        found_name, found_phone = _order_customer(session, subject_id)
        customer_name, phone = customer_name or found_name, phone or found_phone
        district = district or order.district
    task = CallbackTask(subject_kind=subject_kind, subject_id=subject_id, status=CallbackStatus.pending,
                        opened_at=now, due_at=now + window, attempts=0, customer_name=customer_name, phone=phone,
                        district=district, updated_at=now)
    session.add(task)
    session.flush()
    return task


def check_gate(session: Session, order: WorkOrder, to: OrderStatus) -> None:
    """409 `callback_required` when an order would be visited without a reached callback, or archived (closed)
    from restored unless its customer could not be reached (the task is `unreachable`)."""
    if to not in (OrderStatus.visited, OrderStatus.closed) or order.status == OrderStatus.visited:
        return
    task = task_for(session, "workorder", order.id)
    status = task.status if task is not None else None
    if to == OrderStatus.visited and status != CallbackStatus.done:
        raise Conflict(f"work order {order.id} is visited by recording a reached callback (its task is "
                       f"{status or 'not open'})", code="callback_required")
    if to == OrderStatus.closed and status != CallbackStatus.unreachable:
        raise Conflict(f"work order {order.id} is archived after a reached callback (visited), or once its customer "
                       f"could not be reached three times (its task is {status or 'not open'})",
                       code="callback_required")


def attempt_view(a: CallbackAttempt) -> dict:
    return {"id": a.id, "at": iso(a.at), "result": a.result, "note": a.note, "actor": a.actor,
            "external_id": a.external_id}


def task_view(task: CallbackTask, attempts: list[CallbackAttempt] | None = None) -> dict:
    view = {"id": task.id, "subject_kind": task.subject_kind, "subject_id": task.subject_id, "status": task.status,
            "result": task.result, "opened_at": iso(task.opened_at), "due_at": iso(task.due_at),
            "closed_at": iso(task.closed_at), "attempt_count": task.attempts, "customer_name": task.customer_name,
            "phone": task.phone, "district": task.district}
    if attempts is not None:
        view["attempts"] = [attempt_view(a) for a in attempts]
    return view


def task_detail(session: Session, task: CallbackTask) -> dict:
    attempts = session.scalars(select(CallbackAttempt).where(CallbackAttempt.task_id == task.id)
                               .order_by(CallbackAttempt.at, CallbackAttempt.id)).all()
    return task_view(task, list(attempts))


def order_callback(session: Session, order_id: int) -> dict | None:
    """What the order's detail carries: its task with the attempts, or None before it was restored."""
    task = task_for(session, "workorder", order_id)
    return None if task is None else task_detail(session, task)


def _encode(due: datetime, task_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([due.isoformat(), task_id]).encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        due, task_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        due = datetime.fromisoformat(due)
        if due.tzinfo is None or not isinstance(task_id, int) or isinstance(task_id, bool) \
                or not 0 < task_id <= MAX_ID:
            raise ValueError
        return due.astimezone(timezone.utc), task_id
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise Invalid("cursor is not one this server gave", details=[{"field": "cursor", "message": "unknown"}]) \
            from None


def list_callbacks(session: Session, *, status: str | None = None, subject_kind: str | None = None,
                   limit: int = 200, cursor: str | None = None) -> dict:
    """{"items", "count" (all that match), "next"}: oldest due first, keyset pages on (due_at, id)."""
    limit = max(1, min(limit, MAX_PAGE))
    where = []
    if status:
        where.append(CallbackTask.status == status)
    if subject_kind:
        where.append(CallbackTask.subject_kind == subject_kind)
    count = session.scalar(select(func.count()).select_from(CallbackTask).where(*where))
    stmt = select(CallbackTask).where(*where)
    if cursor:
        after_due, after_id = _decode(cursor)
        stmt = stmt.where(tuple_(CallbackTask.due_at, CallbackTask.id) >
                          tuple_(literal(after_due, UTCDateTime()), literal(after_id)))
    rows = session.scalars(stmt.order_by(CallbackTask.due_at, CallbackTask.id).limit(limit + 1)).all()
    page = rows[:limit]
    nxt = _encode(page[-1].due_at, page[-1].id) if len(rows) > limit else None
    return {"items": [task_view(t) for t in page], "count": int(count or 0), "next": nxt}


def get_task(session: Session, task_id: int, *, lock: bool = False) -> CallbackTask:
    stmt = select(CallbackTask).where(CallbackTask.id == task_id)
    task = session.scalar(stmt.with_for_update() if lock else stmt)
    if task is None:
        raise NotFound(f"callback {task_id} not found")
    return task
