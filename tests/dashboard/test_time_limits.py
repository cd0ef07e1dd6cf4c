"""Time limits and 催办 levels, pure: which limit runs, how far along it is, when that next changes."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from dashboard.time_limits import Escalation, TimeLimits

T0 = datetime(2026, 11, 22, 8, 0, tzinfo=timezone.utc)
LIMITS = TimeLimits()


@dataclass
class Order:
    status: str = "received"
    area_class: str = "urban"
    reported_at: datetime = T0
    arrival_due: datetime = T0 + timedelta(minutes=45)
    arrived_at: datetime | None = None
    restore_due: datetime | None = None


@pytest.mark.parametrize("minutes, level, overdue, next_minutes", [
    (0, 0, False, 22.5), (22.5, 1, False, 33.75), (30, 1, False, 33.75), (34, 2, False, 40.5), (41, 3, False, 45),
    (45, 4, True, None), (300, 4, True, None)])
def test_arrival_levels_against_the_urban_45_minutes(minutes, level, overdue, next_minutes):
    state = LIMITS.escalation(Order(), T0 + timedelta(minutes=minutes))
    assert (state.level, state.overdue) == (level, overdue)
    assert state.next_at == (None if next_minutes is None else T0 + timedelta(minutes=next_minutes))


def test_on_site_the_restoration_limit_runs_and_after_it_none():
    arrived = T0 + timedelta(minutes=60)  # arrived late: the arrival limit no longer runs
    order = Order(status="on_site", arrived_at=arrived, restore_due=LIMITS.restore_due(arrived, "urban"))
    assert order.restore_due == arrived + timedelta(hours=3)
    assert LIMITS.escalation(order, arrived + timedelta(minutes=1)).level == 0
    assert LIMITS.escalation(order, arrived + timedelta(hours=2, minutes=45)).level == 3
    assert LIMITS.escalation(order, arrived + timedelta(hours=3)).overdue
    for status in ("restored", "visited", "closed", "cancelled", "merged"):
        order.status = status
        assert LIMITS.escalation(order, arrived + timedelta(days=1)) == Escalation(0, False, None)


def test_limits_by_area_class_and_configurable_thresholds():
    assert LIMITS.arrival_due(T0, "rural") == T0 + timedelta(minutes=90)
    assert LIMITS.arrival_due(T0, "remote") == T0 + timedelta(hours=2)
    assert LIMITS.restore_due(T0, "rural") == T0 + timedelta(hours=4)
    two = TimeLimits(thresholds=(0.8, 1.0))
    assert two.escalation(Order(), T0 + timedelta(minutes=36)).level == 1
    assert two.escalation(Order(), T0 + timedelta(minutes=45)).level == 2
