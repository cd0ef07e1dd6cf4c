"""Opening a work order from a call, and linking a later call to an order: shared by ingest and 研判."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.domain import DEFAULT_AREA_CLASS, PRIORITY_RANK, SCREEN_FIRST, AreaClass, OrderStatus, Priority
from dashboard.models import FaultReport, WorkOrder
from dashboard.time_limits import TimeLimits


def report_priority(priority: str, sensitive: bool) -> str:
    # Vulnerable or important customers raise an order to at least "high".
    if sensitive and PRIORITY_RANK[priority] > PRIORITY_RANK[Priority.high]:
        return Priority.high
    return priority


def open_order(session: Session, report: FaultReport, info, now: datetime, limits: TimeLimits) -> WorkOrder:
    """A new `received` order for the report (not yet linked to it). `info`: the report's grid, or None."""
    area_class = AreaClass(info.area_class) if info else DEFAULT_AREA_CLASS
    order = WorkOrder(
        status=OrderStatus.received, version=1, category=report.category, priority=report.priority,
        channel=report.channel, grid_id=report.grid_id, district=info.district if info else None,
        area_class=area_class, outside_grid=report.grid_id is None,
        needs_screening=report.category in SCREEN_FIRST or report.screening is not None, lon=report.lon,
        lat=report.lat, address=report.address, customers_affected=report.customers_affected,
        sensitive=report.sensitive, report_count=1, reported_at=report.reported_at,
        arrival_due=limits.arrival_due(report.reported_at, area_class), level=0, overdue=False, updated_at=now)
    session.add(order)
    return order


def link_report(order: WorkOrder, report: FaultReport, now: datetime, limits: TimeLimits) -> None:
    """A later call of the same fault: the order counts it, takes its priority if higher, and its clock if earlier."""
    order.report_count += 1
    order.customers_affected = max(order.customers_affected, report.customers_affected)
    order.sensitive = order.sensitive or report.sensitive
    raise_priority(order, report.priority)
    if report.reported_at < order.reported_at:
        order.reported_at = report.reported_at
        order.arrival_due = limits.arrival_due(report.reported_at, order.area_class)
    order.version += 1
    order.updated_at = now


def raise_priority(order: WorkOrder, priority: str) -> None:
    if PRIORITY_RANK[priority] < PRIORITY_RANK[order.priority]:
        order.priority = priority
