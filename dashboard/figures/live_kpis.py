"""Today's live KPIs held in memory and kept current from the published changes, not by re-reading the day."""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

from dashboard.domain import OPEN_STATUSES, OUTAGE_UNDER_WAY, CrewStatus, OrderStatus, OutageStatus

_OPEN = frozenset(s.value for s in OPEN_STATUSES)
_UNDER_WAY = frozenset(s.value for s in OUTAGE_UNDER_WAY)
_BUSY = (CrewStatus.dispatched.value, CrewStatus.en_route.value, CrewStatus.on_site.value)
UPCOMING = timedelta(hours=24)  # as dashboard.services.outages.UPCOMING: how far ahead the wall shows planned ones


def parse_time(value: str | None) -> datetime | None:
    """A view's timestamp ("...Z") back to an aware datetime."""
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def _micros(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@dataclass(frozen=True)
class _Order:
    version: int
    counts: tuple[int, ...]  # what the order adds to each of _ORDER_COUNTS today
    arrival_us: int  # arrived today: microseconds from report to arrival (for the average)
    overdue_key: tuple[datetime, int] | None  # open and not arrived: (arrival_due, id), held sorted


_ORDER_COUNTS = ("received", "open", "arrived", "on_time", "restored", "sensitive_open", "screening")


@dataclass(frozen=True)
class _Outage:
    counts: tuple[int, ...]
    upcoming_key: tuple[datetime, int] | None  # scheduled: (start, id), held sorted
    under_way: bool
    covered_by: int | None
    data: dict


_OUTAGE_COUNTS = ("customers_out", "care", "predicted", "planned", "planned_late")
_QUEUE_COUNTS = ("waiting_q", "answered_in_target_today", "answered_today", "abandoned_today",
                 "short_abandoned_today")


class LiveKpis:
    """Counters over the orders, outages, crews, tickets and queues of one local day (`day`, the center's
    midnight as UTC). Each entity's last state is held with what it adds to the counters, so an upsert takes its
    old share out and puts the new one in: a repeated or out-of-date change is not counted twice. Figures that
    turn with time alone (overdue orders, upcoming planned outages) are read from sorted deadlines at `now`."""

    def __init__(self, day: datetime, ticket_levels: int = 4):
        self.day = day
        self.ticket_levels = ticket_levels
        self._orders: dict[int, _Order] = {}
        self._outages: dict[int, _Outage] = {}
        self._crews: dict[str, str] = {}
        self._tickets: dict[int, tuple[int, int]] = {}  # open ticket id → (version, level bucket)
        self._queues: dict[str, tuple[int, ...]] = {}
        self._n: dict[str, int] = dict.fromkeys(_ORDER_COUNTS + _OUTAGE_COUNTS + _QUEUE_COUNTS, 0)
        self._arrival_us = 0
        self._overdue: list[tuple[datetime, int]] = []
        self._upcoming: list[tuple[datetime, int]] = []
        self._crew_n: dict[str, int] = {}
        self._levels = [0] * (ticket_levels + 1)

    # --- changes -----------------------------------------------------------------------------------------
    def apply(self, changes: Iterable[Any]) -> None:
        """Changes in publish order (anything with kind, op, id, data: dashboard.events.Change)."""
        for c in changes:
            handler = self._HANDLERS.get(c.kind)
            if handler is not None:
                handler(self, c.op, c.id, c.data)

    def _order(self, op: str, key: str, data: dict | None) -> None:
        oid = int(key)
        old = self._orders.get(oid)
        if data is None:
            if old is not None:
                self._drop_order(oid, old)
            return
        version = int(data.get("version") or 0)
        if old is not None and version < old.version:
            return  # an older state heard late: the newer one stands
        new = self._order_share(oid, data, version)
        if old is not None:
            self._drop_order(oid, old)
        if new is None:
            return
        for name, n in zip(_ORDER_COUNTS, new.counts):
            self._n[name] += n
        self._arrival_us += new.arrival_us
        if new.overdue_key is not None:
            insort(self._overdue, new.overdue_key)
        self._orders[oid] = new

    def _drop_order(self, oid: int, old: _Order) -> None:
        for name, n in zip(_ORDER_COUNTS, old.counts):
            self._n[name] -= n
        self._arrival_us -= old.arrival_us
        if old.overdue_key is not None:
            del self._overdue[bisect_left(self._overdue, old.overdue_key)]
        del self._orders[oid]

    def _order_share(self, oid: int, d: dict, version: int) -> _Order | None:
        day = self.day
        status = d["status"]
        reported, arrived, restored = parse_time(d["reported_at"]), parse_time(d["arrived_at"]), \
            parse_time(d["restored_at"])
        due = parse_time(d["arrival_due"])
        is_open = status in _OPEN
        arrived_today = arrived is not None and arrived >= day
        counts = (int(reported >= day and status != OrderStatus.merged.value), int(is_open), int(arrived_today),
                  int(arrived_today and due is not None and arrived <= due),
                  int(restored is not None and restored >= day), int(is_open and bool(d.get("sensitive"))),
                  int(bool(d.get("needs_screening")) and status == OrderStatus.received.value))
        overdue_key = (due, oid) if is_open and arrived is None and due is not None else None
        if not any(counts) and overdue_key is None:
            return None  # adds nothing today and cannot start to: not held (a version is kept by the database)
        return _Order(version, counts, _micros(arrived - reported) if arrived_today else 0, overdue_key)

    def _outage(self, op: str, key: str, data: dict | None) -> None:
        oid = int(key)
        old = self._outages.pop(oid, None)
        if old is not None:
            self._count(_OUTAGE_COUNTS, old.counts, -1)
            if old.upcoming_key is not None:
                del self._upcoming[bisect_left(self._upcoming, old.upcoming_key)]
        if data is None:
            return
        new = self._outage_share(oid, data)
        if data["status"] == OutageStatus.restored.value:
            # Ending an outage frees those it covered (services/outage_follow.end_outage clears their covered_by
            # in the same transaction, without a change of their own): their customers count on their own again.
            for cid, held in list(self._outages.items()):
                if held.covered_by == oid:
                    self._outage("outage", str(cid), held.data | {"covered_by": None})
        if new is not None:
            self._count(_OUTAGE_COUNTS, new.counts, 1)
            if new.upcoming_key is not None:
                insort(self._upcoming, new.upcoming_key)
            self._outages[oid] = new

    def _outage_share(self, oid: int, d: dict) -> _Outage | None:
        status = d["status"]
        under_way = status in _UNDER_WAY
        start = parse_time(d["start"])
        planned_today = d["kind"] == "planned" and start >= self.day and status != OutageStatus.merged.value
        counts = (int(d.get("customers_affected") or 0) if under_way and d.get("covered_by") is None else 0,
                  int(under_way and (d.get("care_customers") or 0) > 0),
                  int(status == OutageStatus.predicted.value), int(planned_today),
                  int(planned_today and d.get("notice_ok") is False))
        scheduled = status == OutageStatus.scheduled.value
        if not (under_way or scheduled or planned_today):
            return None
        keep = {k: d.get(k) for k in ("kind", "status", "start", "customers_affected", "care_customers",
                                       "covered_by", "notice_ok")}
        return _Outage(counts, (start, oid) if scheduled else None, under_way, d.get("covered_by"), keep)

    def _crew(self, op: str, key: str, data: dict | None) -> None:
        old = self._crews.pop(key, None)
        if old is not None:
            self._crew_n[old] -= 1
        if data is not None and op == "upsert":
            self._crews[key] = data["status"]
            self._crew_n[data["status"]] = self._crew_n.get(data["status"], 0) + 1

    def _ticket(self, op: str, key: str, data: dict | None) -> None:
        tid = int(key)
        old = self._tickets.get(tid)
        version = int((data or {}).get("version") or 0)
        if old is not None and data is not None and version < old[0]:
            return
        if old is not None:
            self._levels[old[1]] -= 1
            del self._tickets[tid]
        if op == "upsert" and data is not None:  # ticket_change: upsert while open, remove once closed
            bucket = min(max(int(data.get("level") or 0), 0), self.ticket_levels)
            self._tickets[tid] = (version, bucket)
            self._levels[bucket] += 1

    def _queue(self, op: str, key: str, data: dict | None) -> None:
        old = self._queues.pop(key, None)
        if old is not None:
            self._count(_QUEUE_COUNTS, old, -1)
        if data is not None and op == "upsert":
            new = (int(data["waiting"]),) + tuple(int(data[k]) for k in _QUEUE_COUNTS[1:])
            self._queues[key] = new
            self._count(_QUEUE_COUNTS, new, 1)

    def _count(self, names: tuple[str, ...], values: tuple[int, ...], sign: int) -> None:
        for name, n in zip(names, values):
            self._n[name] += sign * n

    _HANDLERS = {"workorder": _order, "outage": _outage, "crew": _crew, "ticket": _ticket, "queue": _queue}

    # --- figures -----------------------------------------------------------------------------------------
    def figures(self, now: datetime) -> dict[str, Any]:
        """The held part of compute_kpis's answer at `now` (its keys; the caller adds the queried ones)."""
        n = self._n
        arrived = n["arrived"]
        counted = n["answered_today"] + n["abandoned_today"] - n["short_abandoned_today"]
        planned, late = n["planned"], n["planned_late"]
        return {
            "received_today": n["received"], "open": n["open"],
            "overdue": bisect_left(self._overdue, (now, -1)),  # arrival_due < now
            "arrived_today": arrived, "restored_today": n["restored"],
            "avg_arrival_min": round(self._arrival_us / arrived / 60e6, 1) if arrived else None,
            "on_time_arrival_rate": round(n["on_time"] / arrived, 4) if arrived else None,
            "customers_out": n["customers_out"], "sensitive_open": n["sensitive_open"],
            "crews_available": self._crew_n.get(CrewStatus.available.value, 0),
            "crews_busy": sum(self._crew_n.get(s, 0) for s in _BUSY),
            "calls_waiting": n["waiting_q"],
            "outage_customers_care": n["care"], "outages_predicted": n["predicted"],
            # start <= now + UPCOMING: every key up to that instant, whatever its id.
            "outages_upcoming": bisect_right(self._upcoming, (now + UPCOMING, float("inf"))),
            "screening": n["screening"],
            "service_level": round(n["answered_in_target_today"] / counted, 4) if counted else None,
            "tickets_open": sum(self._levels), "tickets_by_level": list(self._levels),
            "planned_outages": planned, "planned_notice_late": late,
            "planned_notice_late_rate": round(late / planned, 4) if planned else None,
        }

    def held(self) -> dict[str, int]:
        """How many entities are held, by kind (for health and the benchmark)."""
        return {"workorder": len(self._orders), "outage": len(self._outages), "crew": len(self._crews),
                "ticket": len(self._tickets), "queue": len(self._queues)}
