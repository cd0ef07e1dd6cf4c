"""What is told, when (四快速): an outage's first prediction or confirmation, a material change of its ETR and its
restoration go to its grids' manager and liaisons; a 催办 level 3 or 4 of an order or a service ticket goes to its
grid's manager.
Pure: committed views and what was told before in, notice drafts out."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dashboard.notify import texts
from dashboard.notify.port import Recipient
from dashboard.tickets.kinds import OPEN_TICKET_STATUSES

TOLD_STATES = ("predicted", "confirmed")  # an unplanned outage is told at whichever comes first
OPEN_ORDER_STATES = ("received", "dispatched", "accepted", "en_route", "on_site")
TOLD_LEVELS = 3  # 催办 levels from this one on reach the grid manager


@dataclass(frozen=True)
class NoticeRule:
    etr_change: timedelta = timedelta(minutes=30)  # an ETR that moves less than this is not told again
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Draft:
    """A notice to queue: one outbox row per channel. `notice_id` is its idempotency key."""
    notice_id: str
    event: str
    subject: str
    subject_id: int
    grid_id: str
    recipients: tuple[Recipient, ...]
    text: str
    data: dict[str, Any]


@dataclass
class Told:
    """What the outbox already holds for the subjects at hand: notice ids, and per (outage, grid) the last ETR told
    and how many ETR notices there were."""
    ids: set[str] = field(default_factory=set)
    last_etr: dict[tuple[int, str], str | None] = field(default_factory=dict)
    etr_notices: dict[tuple[int, str], int] = field(default_factory=dict)


def outage_wanted(view: dict | None) -> bool:
    """Cheap first filter on a pushed outage: could it need a notice?"""
    return bool(view and view.get("kind") != "planned" and view.get("grid_ids")
                and view.get("status") in (*TOLD_STATES, "restored"))


def order_wanted(view: dict | None) -> bool:
    return bool(view and (view.get("level") or 0) >= TOLD_LEVELS and view.get("grid_id")
                and view.get("status") in OPEN_ORDER_STATES)


def ticket_wanted(view: dict | None) -> bool:
    return bool(view and (view.get("level") or 0) >= TOLD_LEVELS and view.get("grid_id")
                and view.get("status") in OPEN_TICKET_STATUSES)


def opened_id(outage_id: int, grid: str) -> str:
    return f"outage:{outage_id}:{grid}:opened"


def _outage_data(view: dict, what: str) -> dict[str, Any]:
    return {"outage_id": view["id"], "status": view.get("status"), "what": what, "device_id": view.get("device_id"),
            "device_kind": view.get("device_kind"), "customers_affected": view.get("customers_affected"),
            "care_customers": view.get("care_customers"), "etr": view.get("etr"), "start": view.get("start"),
            "end": view.get("end"), "workorder_id": view.get("workorder_id")}


def outage_drafts(view: dict, told: Told, people: dict[str, list[Recipient]], grid_names: dict[str, str],
                  device_name: str | None, rule: NoticeRule, now: datetime) -> list[Draft]:
    out: list[Draft] = []
    what = texts.what_failed(view, device_name)
    data = _outage_data(view, what)
    for grid in view.get("grid_ids") or ():
        recipients = tuple(people.get(grid, ()))
        if not recipients:
            continue  # nobody to tell in this grid
        name = grid_names.get(grid, grid)
        key = (view["id"], grid)
        opened = opened_id(view["id"], grid)
        notice: tuple[str, str, str] | None = None  # id, event, text
        if view["status"] == "restored":
            restored = f"outage:{view['id']}:{grid}:restored"
            if opened in told.ids and restored not in told.ids:
                notice = restored, "outage_restored", texts.restored(view, name, what, now, rule.timezone)
        elif opened not in told.ids:
            notice = opened, "outage_opened", texts.opened(view, name, what, now, rule.timezone)
        elif _etr_moved(told.last_etr.get(key), view.get("etr"), rule.etr_change):
            notice = (f"outage:{view['id']}:{grid}:etr:{told.etr_notices.get(key, 0) + 1}", "outage_etr",
                      texts.etr_changed(view, name, what, told.last_etr.get(key), now, rule.timezone))
        if notice is not None:
            out.append(Draft(notice[0], notice[1], "outage", view["id"], grid, recipients, notice[2], data))
    return out


def _etr_moved(before: str | None, now_etr: str | None, threshold: timedelta) -> bool:
    if now_etr is None:
        return False  # an ETR withdrawn is not news to tell
    if before is None:
        return True  # the first ETR known
    return abs(texts.parse(now_etr) - texts.parse(before)) >= threshold


def escalation_draft(view: dict, told: Told, managers: dict[str, list[Recipient]], grid_names: dict[str, str],
                     rule: NoticeRule, now: datetime) -> Draft | None:
    grid = view["grid_id"]
    recipients = tuple(managers.get(grid, ()))
    limit = "restore" if view.get("arrived_at") else "arrival"
    notice_id = f"workorder:{view['id']}:{limit}:level{view['level']}"
    if not recipients or notice_id in told.ids:
        return None
    data = {"workorder_id": view["id"], "level": view["level"], "limit": limit, "overdue": view.get("overdue"),
            "due_at": view.get("due_at"), "category": view.get("category"), "address": view.get("address"),
            "outage_id": view.get("outage_id")}
    return Draft(notice_id, "escalation", "workorder", view["id"], grid, recipients,
                 texts.escalated(view, grid_names.get(grid, grid), now, rule.timezone), data)


def ticket_escalation_draft(view: dict, told: Told, managers: dict[str, list[Recipient]],
                            grid_names: dict[str, str], rule: NoticeRule, now: datetime) -> Draft | None:
    """A service ticket at 催办 level 3 or 4 reaches its grid's manager once per limit and level, like an order."""
    grid = view["grid_id"]
    recipients = tuple(managers.get(grid, ()))
    limit = "close" if view.get("contacted_at") else "contact"
    notice_id = f"ticket:{view['id']}:{limit}:level{view['level']}"
    if not recipients or notice_id in told.ids:
        return None
    data = {"ticket_id": view["id"], "kind": view.get("kind"), "level": view["level"], "limit": limit,
            "overdue": view.get("overdue"), "due_at": view.get("due_at"),
            "related_workorder_id": view.get("related_workorder_id")}
    return Draft(notice_id, "escalation", "ticket", view["id"], grid, recipients,
                 texts.ticket_escalated(view, grid_names.get(grid, grid), now, rule.timezone), data)
