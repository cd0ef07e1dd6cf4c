"""One day's service work: tickets (投诉, 举报, 咨询, 业务) timed by the project's ticket rules, and the callbacks
(回访) of a share of the day's restored repair orders."""
from __future__ import annotations

from datetime import date, datetime, timezone

import numpy as np

from dashboard.history.block import Block
from dashboard.history.network import Network
from dashboard.history.rates import CALLBACK_SHARE, TICKETS_PER_DAY, Storm, hour_shape
from dashboard.history.timeline import instants
from dashboard.tickets.limits import TicketRules
from dashboard.tickets.routing import route
from dashboard.time_limits import TimeLimits

SUBJECTS = {"complaint": ("抢修到达不及时", "停电时间过长", "服务态度差", "频繁停电"),
            "report": ("窃电举报", "违章施工影响线路"),
            "consultation": ("停电原因咨询", "电费电价咨询", "来电时间咨询"),
            "service": ("新装申请", "增容申请", "过户更名")}
SATISFIED_ODDS = 0.93
UNREACHABLE_ODDS = 0.12


def _dt(seconds: float) -> datetime:
    return datetime.fromtimestamp(round(seconds), tz=timezone.utc)


def generate_tickets(block: Block, rng: np.random.Generator, day: date, tz: str, net: Network, storm: Storm,
                     scale: float, rules: TicketRules, now: float) -> None:
    """Append `day`'s tickets: contacted mostly well inside the contact limit, closed mostly inside the close limit,
    all closed (complaints grow with a storm)."""
    g = net.grids
    stamp = day.strftime("%Y%m%d")
    k = 0
    for kind, per_day in TICKETS_PER_DAY.items():
        load = 1 + (storm.load - 1) * (0.5 if kind == "complaint" else 0.1)
        received = instants(rng, day, tz, per_day * scale * load, hour_shape("calls"))
        for at in received:
            grid = int(rng.choice(g.ids.size, p=g.weights))
            subject = SUBJECTS[kind][int(rng.integers(0, len(SUBJECTS[kind])))]
            received_at = _dt(at)
            contact_due, close_due = rules.dues(kind, received_at)
            contact_span = (contact_due - received_at).total_seconds()
            close_span = (close_due - received_at).total_seconds()
            contacted = at + min(rng.lognormal(np.log(contact_span * 0.12), 0.9), close_span * 0.9)
            closed = min(max(contacted + 600, at + rng.lognormal(np.log(close_span * 0.4), 0.5)), now)
            block.tickets.append({
                "external_id": f"HIST-T-{stamp}-{k:05d}", "content_hash": f"history-t-{stamp}-{k}", "kind": kind,
                "status": "closed", "version": 3, "received_at": received_at, "customer_id": None, "phone": None,
                "lon": float(g.lon[grid]), "lat": float(g.lat[grid]), "grid_id": g.ids[grid],
                "district": g.districts[grid], "outside_grid": False, "subject": subject, "description": None,
                "related_workorder_id": None, "department": route(kind, subject, None, None, g.ids[grid]).value,
                "contact_due": contact_due, "close_due": close_due, "due_at": None, "level": 0, "overdue": False,
                "escalate_at": None, "contacted_at": _dt(contacted), "closed_at": _dt(closed),
                "created_by": "history", "created_at": received_at, "updated_at": _dt(closed)})
            k += 1


def generate_callbacks(block: Block, rng: np.random.Generator, orders: list[dict], limits: TimeLimits,
                       now: float) -> None:
    """A callback task for a share of these restored orders: opened at restoration, due a window later; most
    customers reached (most of them satisfied), some unreachable after three tries."""
    for order in orders:
        if rng.random() >= CALLBACK_SHARE:
            continue
        opened = order["restored_at"]
        due = opened + limits.callback_window
        unreachable = rng.random() < UNREACHABLE_ODDS
        closed = min(opened.timestamp() + rng.lognormal(np.log(5 * 3600), 0.7), now)
        block.callback_tasks.append({
            "subject_kind": "workorder", "subject_id": order["id"],
            "status": "unreachable" if unreachable else "done",
            "result": None if unreachable else ("satisfied" if rng.random() < SATISFIED_ODDS else "not_satisfied"),
            "opened_at": opened, "due_at": due, "closed_at": max(_dt(closed), opened),
            "attempts": 3 if unreachable else int(1 + (rng.random() < 0.25)), "customer_name": None, "phone": None,
            "district": order["district"], "updated_at": max(_dt(closed), opened)})
