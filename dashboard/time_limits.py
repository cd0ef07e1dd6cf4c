"""Time limits and 催办 levels: which limit runs now, how far along it is, when that next changes (pure)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from dashboard.domain import ARRIVAL_LIMIT, CALLBACK_WINDOW, RESTORE_LIMIT, AreaClass, OrderStatus

# Before arrival the arrival limit runs; on site, the restoration limit; after that none.
_ARRIVAL_RUNS = frozenset({OrderStatus.received, OrderStatus.dispatched, OrderStatus.accepted, OrderStatus.en_route})
_RESTORE_RUNS = frozenset({OrderStatus.on_site})


class Timed(Protocol):
    status: str
    area_class: str
    reported_at: datetime
    arrival_due: datetime
    arrived_at: datetime | None
    restore_due: datetime | None


@dataclass(frozen=True)
class Escalation:
    level: int  # 0 fine; k: the k-th threshold of the running limit passed
    overdue: bool  # past the running limit
    next_at: datetime | None  # when level or overdue next changes on its own; None: not until the order moves


@dataclass(frozen=True)
class TimeLimits:
    """The State Grid commitments by area class (供电服务十项承诺) and the 催办 thresholds, as fractions of the
    limit that runs; all configuration."""
    arrival: Mapping[AreaClass, timedelta] = field(default_factory=lambda: dict(ARRIVAL_LIMIT))
    restore: Mapping[AreaClass, timedelta] = field(default_factory=lambda: dict(RESTORE_LIMIT))
    thresholds: tuple[float, ...] = (0.5, 0.75, 0.9, 1.0)
    callback_window: timedelta = CALLBACK_WINDOW  # 回访: a callback task is due this long after it opens

    @property
    def levels(self) -> int:
        return len(self.thresholds)

    def arrival_due(self, reported_at: datetime, area_class: str) -> datetime:
        return reported_at + self.arrival[AreaClass(area_class)]

    def restore_due(self, arrived_at: datetime, area_class: str) -> datetime:
        return arrived_at + self.restore[AreaClass(area_class)]

    def running(self, order: Timed) -> tuple[datetime, datetime] | None:
        """(start, due) of the limit running now, or None."""
        status = OrderStatus(order.status)
        if status in _ARRIVAL_RUNS:
            return order.reported_at, order.arrival_due
        if status in _RESTORE_RUNS and order.arrived_at is not None and order.restore_due is not None:
            return order.arrived_at, order.restore_due
        return None

    def escalation(self, order: Timed, now: datetime) -> Escalation:
        running = self.running(order)
        if running is None:
            return Escalation(0, False, None)
        return escalation_between(*running, now, self.thresholds)


def escalation_between(start: datetime, due: datetime, now: datetime, thresholds: tuple[float, ...]) -> Escalation:
    """The 催办 state of one limit running from `start` to `due`: shared by repair orders and service tickets."""
    span = due - start
    marks = sorted({start + span * t for t in thresholds} | {due}) if span > timedelta(0) else [start]
    level = sum(1 for t in thresholds if span <= timedelta(0) or now >= start + span * t)
    later = [m for m in marks if m > now]
    return Escalation(level, now >= due, later[0] if later else None)
