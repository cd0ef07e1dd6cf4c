"""Which department a ticket goes to (分派): a small rule over what the ticket says, configurable and pure."""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.tickets.kinds import Department, TicketKind

# Words that make a ticket about the supply itself (运检's) or about billing and business (营销's); seen in the
# subject or the description. A configuration, not a classifier: the department can always pass a ticket on.
SUPPLY_WORDS = ("停电", "断电", "没电", "来电", "复电", "抢修", "跳闸", "电压", "闪断", "频繁停", "线路", "电线",
                "电杆", "变压器", "台区", "故障", "outage", "repair", "voltage", "no power")
BILLING_WORDS = ("电费", "账单", "缴费", "交费", "欠费", "电价", "阶梯", "发票", "退费", "电表", "计量", "过户",
                 "更名", "新装", "增容", "减容", "销户", "报装", "充电桩", "光伏", "bill", "tariff", "meter")


@dataclass(frozen=True)
class RoutingRules:
    supply_words: tuple[str, ...] = SUPPLY_WORDS
    billing_words: tuple[str, ...] = BILLING_WORDS
    no_grid: Department = Department.marketing  # local service without a grid to own it


def route(kind: str, subject: str, description: str | None, related_workorder_id: int | None,
          grid_id: str | None, rules: RoutingRules = RoutingRules()) -> Department:
    """In this order: anything about a repair (a linked repair order, or supply words) → operations (运检);
    a service request, or billing words → marketing (营销); the rest (local service, conduct, consultations)
    → the grid's manager, or marketing when the ticket is in no grid."""
    if related_workorder_id is not None:
        return Department.operations
    text = f"{subject} {description or ''}".lower()
    if any(w in text for w in rules.supply_words):
        return Department.operations
    if kind == TicketKind.service or any(w in text for w in rules.billing_words):
        return Department.marketing
    return Department.grid if grid_id else rules.no_grid
