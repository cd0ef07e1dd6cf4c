"""Recording a callback attempt (回访结果): idempotent on the platform's external_id; a reached customer closes the
task and moves a restored order to visited, the third "not reached" closes it as unreachable."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard.domain import REACHED, UNREACHABLE_AFTER, CallbackResult, CallbackStatus, OrderStatus
from dashboard.errors import Conflict, Invalid
from dashboard.events import Change, EventBus
from dashboard.models import CallbackAttempt, CallbackTask, WorkOrderEvent
from dashboard.services.audit import SYSTEM, Actor, record
from dashboard.services.callbacks import attempt_view, get_task, open_callback, task_detail, task_for
from dashboard.services.changes import commit_and_publish
from dashboard.services.grid_catalog import GridCatalog
from dashboard.services.workorders import DEFAULT_LIMITS, get_order, move_order
from dashboard.time_limits import TimeLimits


def _replay(session: Session, existing: CallbackAttempt, task_id: int, result: CallbackResult, note: str | None,
            at: datetime | None) -> dict:
    """The same external_id again: the same answer when it says the same, 409 when it says something else."""
    same = (existing.task_id == task_id and existing.result == result and (existing.note or None) == (note or None)
            and (at is None or existing.at == at))
    if not same:
        raise Conflict(f"external_id {existing.external_id!r} was already used for another callback attempt",
                       code="idempotency_conflict")
    task = session.get(CallbackTask, existing.task_id)
    return task_detail(session, task) | {"attempt": attempt_view(existing), "created": False}


def record_attempt(session: Session, bus: EventBus, task_id: int, result: CallbackResult, *, now: datetime,
                   at: datetime | None = None, note: str | None = None, external_id: str | None = None,
                   by: Actor = SYSTEM, catalog: GridCatalog | None = None,
                   limits: TimeLimits = DEFAULT_LIMITS, seen: int | None = None) -> dict:
    """One try at the callback: the task with its attempts, the attempt recorded, and `created` (False: a replay
    of the same external_id). 409 `callback_closed` once the task is done or unreachable; 409 `stale_version`
    when `seen` (the attempts the caller saw) is not the task's count any more."""
    result = CallbackResult(result)
    subject = session.execute(select(CallbackTask.subject_kind, CallbackTask.subject_id)
                              .where(CallbackTask.id == task_id)).first()
    if subject is not None and subject.subject_kind == "workorder":
        # The order first, then its task: the order the transitions and record_for_order lock them in.
        get_order(session, subject.subject_id, lock=True)
    task = get_task(session, task_id, lock=True)
    if external_id is not None:
        existing = session.scalar(select(CallbackAttempt).where(CallbackAttempt.external_id == external_id))
        if existing is not None:
            return _replay(session, existing, task.id, result, note, at)
    if task.status != CallbackStatus.pending:
        raise Conflict(f"callback {task.id} is already {task.status}", code="callback_closed")
    if seen is not None and seen != task.attempts:
        raise Conflict(f"callback {task.id} has {task.attempts} attempts now, not {seen}: look again",
                       code="stale_version")
    when = at or now
    if when > now:
        raise Invalid("at is in the future", details=[{"field": "at", "message": "later than the server clock"}])
    if when < task.opened_at:
        raise Invalid("at is before the callback was opened", details=[{"field": "at", "message": "too early"}])
    attempt = CallbackAttempt(task_id=task.id, at=when, result=result, note=note, actor=by.name[:64],
                              external_id=external_id, recorded_at=now)
    session.add(attempt)
    task.attempts += 1
    task.updated_at = now
    if result in REACHED:
        task.status, task.result, task.closed_at = CallbackStatus.done, result, when
    else:
        # Counted from the stored attempts, not the running total, so that the rule reads the history itself.
        missed = session.scalar(select(func.count()).select_from(CallbackAttempt).where(
            CallbackAttempt.task_id == task.id, CallbackAttempt.result == CallbackResult.not_reached))
        if missed >= UNREACHABLE_AFTER:
            task.status, task.closed_at = CallbackStatus.unreachable, when
    try:
        session.flush()
    except IntegrityError:
        if external_id is None:
            raise
        # The same key stored meanwhile by a concurrent request (the check above saw nothing): the same answer as
        # a key reused for other content, and nothing of this request is kept.
        raise Conflict(f"external_id {external_id!r} was just recorded by another request",
                       code="idempotency_conflict") from None
    record(session, by, "callback", "callback", task.id, now,
           {"subject": task.subject_kind, "subject_id": task.subject_id, "result": result, "status": task.status}
           | ({"note": note} if note else {}) | ({"external_id": external_id} if external_id else {}))
    changes: list[Change] = []
    if task.subject_kind == "workorder":
        changes = _follow_order(session, task, attempt, now, by, catalog, limits)
    commit_and_publish(session, bus, changes, now)
    return task_detail(session, task) | {"attempt": attempt_view(attempt), "created": True}


def _follow_order(session: Session, task: CallbackTask, attempt: CallbackAttempt, now: datetime, by: Actor,
                  catalog: GridCatalog | None, limits: TimeLimits) -> list[Change]:
    """The order's timeline says what the callback found; a reached customer moves a restored order to visited."""
    order = get_order(session, task.subject_id, lock=True)
    text = attempt.result + (f": {attempt.note}" if attempt.note else "")
    if task.status == CallbackStatus.unreachable:
        text += f" ({UNREACHABLE_AFTER}×: unreachable, may be archived)"
    session.add(WorkOrderEvent(workorder_id=order.id, at=attempt.at, action="callback", actor=by.name, note=text))
    if task.status == CallbackStatus.done and order.status == OrderStatus.restored:
        return move_order(session, order, OrderStatus.visited, when=max(attempt.at, order.reported_at), now=now,
                          note="callback reached the customer", by=by, catalog=catalog, limits=limits)
    return []


def record_for_order(session: Session, bus: EventBus, order_id: int, result: CallbackResult, *, now: datetime,
                     at: datetime | None = None, note: str | None = None, external_id: str | None = None,
                     by: Actor = SYSTEM, catalog: GridCatalog | None = None,
                     limits: TimeLimits = DEFAULT_LIMITS) -> dict:
    """The same, addressed by the order (what the 95598 platform knows). An order restored before callbacks
    existed gets its task now; an order not yet restored has none: 409 `no_callback`."""
    order = get_order(session, order_id, lock=True)
    task = task_for(session, "workorder", order.id)
    if task is None:
        if order.status != OrderStatus.restored:
            raise Conflict(f"work order {order.id} is {order.status}: its callback opens when it is restored",
                           code="no_callback")
        task = open_callback(session, "workorder", order.id, order.restored_at or now,
                             window=limits.callback_window)
    return record_attempt(session, bus, task.id, result, now=now, at=at, note=note, external_id=external_id, by=by,
                          catalog=catalog, limits=limits)
