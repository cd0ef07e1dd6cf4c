"""The dispatcher's desk for one order: the order with its timeline and calls, the best crews, and what may follow."""
from __future__ import annotations

from sqlalchemy.orm import Session

from dashboard.domain import TRANSITIONS, CallbackStatus, OrderStatus
from dashboard.services.dispatch import rank_candidates
from dashboard.services.workorders import ASSIGNABLE, order_detail

CANDIDATES = 5  # the ranked crews the console offers: keys 1-5


def open_desk(session: Session, order_id: int) -> dict:
    """{"order": detail, "candidates": the best crews (if it can be dispatched now), "next": states it may move
    to by hand (dispatch is by assigning a crew, so not among them)}."""
    order = order_detail(session, order_id)
    status = OrderStatus(order["status"])
    assignable = status in ASSIGNABLE
    following = [s.value for s in OrderStatus if s in TRANSITIONS[status] and s != OrderStatus.dispatched]
    if status == OrderStatus.restored:
        # 回访: a reached callback moves it to visited (recorded in the callback box, not by this button); it is
        # archived from here only once its customer could not be reached three times.
        unreachable = (order["callback"] or {}).get("status") == CallbackStatus.unreachable
        following = [OrderStatus.closed.value] if unreachable else []
    return {"order": order, "candidates": rank_candidates(session, order_id, CANDIDATES) if assignable else [],
            "assignable": assignable, "next": following}
