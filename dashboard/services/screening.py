"""The screening lane: calls that are usually not a grid fault wait for a dispatcher's judgement, not a crew."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.domain import OrderStatus
from dashboard.errors import Conflict
from dashboard.events import EventBus
from dashboard.models import WorkOrder, WorkOrderEvent
from dashboard.services.audit import Actor, record
from dashboard.services.changes import commit_and_publish
from dashboard.services.workorders import get_order
from dashboard.views import workorder_change

OUTCOMES = {"not_grid_fault": "not a grid fault", "customer_internal": "a fault inside the customer's premises",
            "send_crew": "a grid fault: send a crew"}


def screen_order(session: Session, bus: EventBus, order_id: int, outcome: str, *, now: datetime, by: Actor,
                 note: str | None = None) -> WorkOrder:
    """Record the outcome: not a grid fault or inside the premises closes the order (cancelled, no crew);
    send a crew puts it in the dispatch queue."""
    order = get_order(session, order_id, lock=True)
    if not order.needs_screening or order.status != OrderStatus.received:
        raise Conflict(f"work order {order.id} is not waiting in the screening lane", code="not_screening")
    said = OUTCOMES[outcome] + (f": {note}" if note else "")
    previous = order.status
    order.needs_screening = False
    if outcome != "send_crew":
        order.status = OrderStatus.cancelled
        order.level, order.overdue, order.escalate_at, order.due_at = 0, False, None, None
    order.version += 1
    order.updated_at = now
    session.add(WorkOrderEvent(workorder_id=order.id, at=now, action="screened", from_status=previous,
                               to_status=order.status, actor=by.name, note=said))
    record(session, by, "screened", "workorder", order.id, now, {"outcome": outcome, "note": note})
    change = workorder_change(order)
    if order.status == OrderStatus.cancelled:
        change = replace(change, op="remove")
    commit_and_publish(session, bus, [change], now)
    return order
