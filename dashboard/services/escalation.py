"""催办 on the server: levels kept on the orders, moved by a sweep over the index of due escalations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.domain import OPEN_STATUSES, OrderStatus
from dashboard.events import EventBus
from dashboard.models import WorkOrder, WorkOrderEvent
from dashboard.services.audit import SYSTEM, Actor, record_many
from dashboard.services.changes import commit_and_publish
from dashboard.time_limits import TimeLimits
from dashboard.views import workorder_change

SWEEP_BATCH = 2000  # orders moved per sweep; more wait for the next one, seconds later


def refresh(order: WorkOrder, limits: TimeLimits, now: datetime) -> bool:
    """Recompute the order's limits and escalation after any change; True if its level rose (a 催办 to record)."""
    if OrderStatus(order.status) == OrderStatus.on_site and order.restore_due is None and order.arrived_at:
        order.restore_due = limits.restore_due(order.arrived_at, order.area_class)
    state = limits.escalation(order, now)
    rose = state.level > (order.level or 0)
    running = limits.running(order)
    order.due_at = running[1] if running else None
    order.level, order.overdue, order.escalate_at = state.level, state.overdue, state.next_at
    return rose


# The limit's name in both languages: a timeline note is stored once and read in a zh-CN or an English console.
LIMIT_NAMES = {"arrival": "到达时限 arrival limit", "restore": "复电时限 restore limit",
               "contact": "联系时限 contact limit", "close": "办结时限 close limit"}


def escalation_note(limit: str, previous: int, level: int, overdue: bool) -> str:
    """The timeline note of a rise in 催办 level, e.g. "到达时限 arrival limit: 级别 level 0 → 2 (超时 overdue)"."""
    return f"{LIMIT_NAMES[limit]}: 级别 level {previous} → {level}" + (" (超时 overdue)" if overdue else "")


def escalated_entry(order: WorkOrder, previous: int, now: datetime, by: Actor = SYSTEM) -> dict:
    """The timeline row of a rise in level (written in bulk by the caller)."""
    limit = "restore" if order.arrived_at else "arrival"
    return {"workorder_id": order.id, "at": now, "action": "escalated", "actor": by.name,
            "note": escalation_note(limit, previous, order.level, order.overdue)}


def sweep(session: Session, bus: EventBus, limits: TimeLimits, now: datetime) -> int:
    """Move every open order whose escalation is due; records rises in the timeline and the audit log, pushes the
    changed orders. Returns how many orders changed."""
    stmt = (select(WorkOrder).where(WorkOrder.escalate_at <= now,
                                    WorkOrder.status.in_([s.value for s in OPEN_STATUSES]))
            .order_by(WorkOrder.escalate_at).limit(SWEEP_BATCH))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # a dispatcher's transaction on an order is not waited for
    orders = session.scalars(stmt).all()
    changed, timeline, audit = [], [], []
    for order in orders:
        before = (order.level, order.overdue, order.restore_due, order.due_at)
        previous = order.level or 0
        rose = refresh(order, limits, now)
        if (order.level, order.overdue, order.restore_due, order.due_at) != before:
            changed.append(order)
        if rose:
            timeline.append(escalated_entry(order, previous, now))
            audit.append({"at": now, "actor": SYSTEM.name, "role": SYSTEM.role, "action": "escalated",
                          "object": "workorder", "object_id": str(order.id),
                          "details": {"from": previous, "to": order.level, "overdue": order.overdue}})
    if timeline:
        session.execute(WorkOrderEvent.__table__.insert(), timeline)
    record_many(session, audit)
    commit_and_publish(session, bus, [workorder_change(o) for o in changed], now)
    return len(changed)
