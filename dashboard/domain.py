"""Domain vocabulary: enums, the work-order lifecycle, State Grid time limits."""
from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class Role(StrEnum):
    viewer = "viewer"
    dispatcher = "dispatcher"
    executive = "executive"
    ingest = "ingest"
    admin = "admin"


class Category(StrEnum):
    hv = "hv"
    lv = "lv"
    power_quality = "power_quality"
    meter = "meter"
    customer_internal = "customer_internal"
    hazard = "hazard"
    other = "other"


class Priority(StrEnum):
    urgent = "urgent"
    high = "high"
    normal = "normal"


class Channel(StrEnum):
    phone = "phone"
    app = "app"
    wechat = "wechat"
    sms = "sms"
    web = "web"
    auto = "auto"


class AreaClass(StrEnum):
    urban = "urban"
    rural = "rural"
    remote = "remote"


class OrderStatus(StrEnum):
    received = "received"
    dispatched = "dispatched"
    accepted = "accepted"
    en_route = "en_route"
    on_site = "on_site"
    restored = "restored"
    visited = "visited"
    closed = "closed"
    cancelled = "cancelled"
    merged = "merged"


class CallbackStatus(StrEnum):
    """A callback task (回访): waiting, reached (satisfied or not), or given up after the customer could not be
    reached UNREACHABLE_AFTER times."""
    pending = "pending"
    done = "done"
    unreachable = "unreachable"


class CallbackResult(StrEnum):
    satisfied = "satisfied"
    not_satisfied = "not_satisfied"
    not_reached = "not_reached"


class CrewStatus(StrEnum):
    available = "available"
    dispatched = "dispatched"
    en_route = "en_route"
    on_site = "on_site"
    off_duty = "off_duty"


class SeatState(StrEnum):
    available = "available"
    ringing = "ringing"
    talking = "talking"
    wrap_up = "wrap_up"
    not_ready = "not_ready"
    logged_out = "logged_out"


class CallEvent(StrEnum):
    offered = "offered"
    answered = "answered"
    abandoned = "abandoned"
    ended = "ended"


class OutageKind(StrEnum):
    planned = "planned"
    unplanned = "unplanned"


class Maintenance(StrEnum):
    """A planned outage's kind of work: 计划检修 (scheduled, noticed a week ahead) or 临时检修 (temporary)."""
    scheduled = "scheduled"
    temporary = "temporary"


class OutageStatus(StrEnum):
    """Unplanned: predicted → confirmed → restored. Planned: scheduled → active → restored. `merged`: taken
    into a larger outage by 研判 or a dispatcher."""
    predicted = "predicted"
    confirmed = "confirmed"
    scheduled = "scheduled"
    active = "active"
    restored = "restored"
    merged = "merged"


# Outages under way black customers out now: only they count in customers_out, on the map and in alarms.
OUTAGE_UNDER_WAY = frozenset({OutageStatus.predicted, OutageStatus.confirmed, OutageStatus.active})
# Planned outages: customers told at least this long before the start (供电服务十项承诺).
PLANNED_NOTICE = timedelta(days=7)
# Temporary maintenance (临时检修): important users told at least this long before the start.
TEMPORARY_NOTICE = timedelta(hours=24)


_FORWARD = [OrderStatus.received, OrderStatus.dispatched, OrderStatus.accepted, OrderStatus.en_route,
            OrderStatus.on_site, OrderStatus.restored, OrderStatus.visited, OrderStatus.closed]

# 回访: what a callback task may be about (repair orders here; tickets, the 95598 platform's other service orders).
CALLBACK_SUBJECTS = ("workorder", "ticket")
REACHED = frozenset({CallbackResult.satisfied, CallbackResult.not_satisfied})
UNREACHABLE_AFTER = 3  # not reached this many times: the task is closed as unreachable and the order may be archived
# The callback is due this long after the task opens (configurable: GRIDCMD_CALLBACK_WINDOW_H).
CALLBACK_WINDOW = timedelta(hours=24)

# Each state may move to the next one; a crew terminal may skip accepted/en_route (an arrival report implies them).
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.received: frozenset({OrderStatus.dispatched}),
    OrderStatus.dispatched: frozenset({OrderStatus.accepted, OrderStatus.en_route, OrderStatus.on_site}),
    OrderStatus.accepted: frozenset({OrderStatus.en_route, OrderStatus.on_site}),
    OrderStatus.en_route: frozenset({OrderStatus.on_site}),
    OrderStatus.on_site: frozenset({OrderStatus.restored}),
    # restored → closed only when the customer could not be reached (the callback gate in services/callbacks.py).
    OrderStatus.restored: frozenset({OrderStatus.visited, OrderStatus.closed}),
    OrderStatus.visited: frozenset({OrderStatus.closed}),
    OrderStatus.closed: frozenset(),
    OrderStatus.cancelled: frozenset(),
    OrderStatus.merged: frozenset(),
}
BEFORE_RESTORED = frozenset(_FORWARD[: _FORWARD.index(OrderStatus.restored)])
for _state in BEFORE_RESTORED:
    TRANSITIONS[_state] = TRANSITIONS[_state] | {OrderStatus.cancelled}

OPEN_STATUSES = frozenset(BEFORE_RESTORED)  # an order is "open" on the wall until power is back
CREW_BUSY_STATUSES = frozenset({OrderStatus.dispatched, OrderStatus.accepted, OrderStatus.en_route,
                                OrderStatus.on_site})
TERMINAL_STATUSES = frozenset({OrderStatus.closed, OrderStatus.cancelled, OrderStatus.merged})


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[current]


def crew_status_for_order(status: OrderStatus) -> CrewStatus:
    """What a crew is doing while it holds an order in `status`."""
    return {OrderStatus.dispatched: CrewStatus.dispatched, OrderStatus.accepted: CrewStatus.dispatched,
            OrderStatus.en_route: CrewStatus.en_route, OrderStatus.on_site: CrewStatus.on_site
            }.get(status, CrewStatus.available)


# 供电服务十项承诺: average arrival and restoration limits by area class.
ARRIVAL_LIMIT = {AreaClass.urban: timedelta(minutes=45), AreaClass.rural: timedelta(minutes=90),
                 AreaClass.remote: timedelta(minutes=120)}
RESTORE_LIMIT = {AreaClass.urban: timedelta(hours=3), AreaClass.rural: timedelta(hours=4),
                 AreaClass.remote: timedelta(hours=4)}
# Targets the wall and the console colour figures against (the hotline's service level, on-time arrival).
SERVICE_LEVEL_TARGET = 0.8
ON_TIME_TARGET = 0.95
# The executive page's other commitments: every complaint's customer contacted within 24 h (the ticket rules'
# limit), every restored order called back (回访, docs/callbacks.md).
COMPLAINT_CONTACT_TARGET = 1.0
CALLBACK_COMPLETION_TARGET = 1.0
# The live API takes fault reports at most this old; older ones belong to a history import.
MAX_REPORT_AGE = timedelta(days=7)
# A report outside every grid has no area class; hold it to the strictest limit rather than none.
DEFAULT_AREA_CLASS = AreaClass.urban

# Calls that are usually not a grid fault: screened (研判) before a crew goes.
SCREEN_FIRST = frozenset({Category.customer_internal, Category.meter})
# Categories that several customers report for one event and so are grouped into one order.
GROUPABLE = frozenset({Category.hv, Category.lv, Category.power_quality})
PRIORITY_RANK = {Priority.urgent: 0, Priority.high: 1, Priority.normal: 2}
