"""The ticket vocabulary: kinds (投诉, 举报, 咨询, 业务), states and their lifecycle, departments."""
from __future__ import annotations

from enum import StrEnum


class TicketKind(StrEnum):
    complaint = "complaint"  # 投诉
    report = "report"  # 举报
    consultation = "consultation"  # 咨询
    service = "service"  # 业务 (a service request: new connection, capacity, transfer …)


class TicketStatus(StrEnum):
    received = "received"  # 受理
    contacted = "contacted"  # 已联系客户
    closed = "closed"  # 办结
    cancelled = "cancelled"


class Department(StrEnum):
    operations = "operations"  # 运检: anything about the supply or a repair
    marketing = "marketing"  # 营销: billing and business
    grid = "grid"  # the grid's manager (网格经理), who owns local service


_NEXT: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.received: frozenset({TicketStatus.contacted, TicketStatus.cancelled}),
    TicketStatus.contacted: frozenset({TicketStatus.closed, TicketStatus.cancelled}),
    TicketStatus.closed: frozenset(),
    TicketStatus.cancelled: frozenset(),
}
OPEN_TICKET_STATUSES = frozenset({TicketStatus.received, TicketStatus.contacted})


def can_move(current: TicketStatus, target: TicketStatus) -> bool:
    """received → contacted → closed; cancelled from either state before closed."""
    return target in _NEXT[current]
