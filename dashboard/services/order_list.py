"""The work-order list: filters, quick search, most urgent first (least time left to the limit now running), keyset
pages with a cursor and the total count; what GET /workorders and the console's list show."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import case, exists, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from dashboard.domain import TERMINAL_STATUSES
from dashboard.errors import Invalid
from dashboard.models import FaultReport, UTCDateTime, WorkOrder
from dashboard.schemas import MAX_ID
from dashboard.views import workorder_view

MAX_PAGE = 1000
# Kept on each order by the escalation service (the limit running now); orders with none running (restored and
# after) sort last, by when they were reported.
DUE_NOW = WorkOrder.due_at


@dataclass(frozen=True)
class OrderFilter:
    status: str | None = None  # None: every order not yet closed, cancelled or merged
    grid_id: str | None = None
    district: str | None = None
    category: str | None = None
    level: int | None = None
    overdue: bool | None = None
    search: str | None = None  # an order id, or part of an address, a customer's name, number or phone


def _conditions(f: OrderFilter) -> list:
    where = [WorkOrder.status == f.status] if f.status else \
        [WorkOrder.status.notin_([s.value for s in TERMINAL_STATUSES])]
    for column, value in ((WorkOrder.grid_id, f.grid_id), (WorkOrder.district, f.district),
                          (WorkOrder.category, f.category), (WorkOrder.level, f.level),
                          (WorkOrder.overdue, f.overdue)):
        if value is not None:
            where.append(column == value)
    if f.search:
        text = f.search.strip()
        # What was typed is matched as typed: % and _ are characters, not wildcards.
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        reports = exists().where(FaultReport.workorder_id == WorkOrder.id,
                                 or_(FaultReport.customer_name.like(like, escape="\\"),
                                     FaultReport.phone.like(like, escape="\\"),
                                     FaultReport.customer_id == text, FaultReport.external_id == text))
        matches = [WorkOrder.address.like(like, escape="\\"), reports]
        if text.isdigit() and len(text) <= 9:
            matches.append(WorkOrder.id == int(text))
        where.append(or_(*matches))
    return where


def encode_cursor(no_due: int, due: datetime, order_id: int) -> str:
    raw = json.dumps([no_due, due.isoformat(), order_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, datetime, int]:
    try:
        no_due, due, order_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        due = datetime.fromisoformat(due)
        if no_due not in (0, 1) or due.tzinfo is None or not isinstance(order_id, int) \
                or not 0 < order_id <= MAX_ID:
            raise ValueError
        return no_due, due.astimezone(timezone.utc), order_id  # a forged offset can overflow here, not in SQL
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise Invalid("cursor is not one this server gave", details=[{"field": "cursor", "message": "unknown"}]) \
            from None


def list_orders(session: Session, filters: OrderFilter, *, limit: int = 200, cursor: str | None = None,
                offset: int = 0) -> dict:
    """One page of orders, most urgent first: {"items", "count" (all that match), "next" (cursor or None)}.
    Pages follow a cursor (the API: stable while the list moves) or start at an offset (a grid scrolled to a
    row)."""
    limit = max(1, min(limit, MAX_PAGE))
    where = _conditions(filters)
    count = session.scalar(select(func.count()).select_from(WorkOrder).where(*where))
    # Orders with no limit running sort after the rest; keyset on (has_due, due, id) keeps pages stable as the
    # list moves under a storm.
    no_due = case((DUE_NOW.is_(None), 1), else_=0)
    due = func.coalesce(DUE_NOW, WorkOrder.reported_at)
    stmt = select(WorkOrder, no_due.label("no_due"), due.label("due")).where(*where)
    if cursor:
        flag, after_due, after_id = decode_cursor(cursor)
        stmt = stmt.where(tuple_(no_due, due, WorkOrder.id) >
                          tuple_(literal(flag), literal(after_due, UTCDateTime()), literal(after_id)))
    rows = session.execute(stmt.order_by(no_due, due, WorkOrder.id).offset(max(0, offset)).limit(limit + 1)).all()
    page = rows[:limit]
    nxt = None
    if len(rows) > limit:
        last = page[-1]
        nxt = encode_cursor(int(last.no_due), last.due, last.WorkOrder.id)
    return {"items": [workorder_view(r.WorkOrder) for r in page], "count": int(count or 0), "next": nxt}
