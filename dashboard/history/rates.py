"""Calm-weather rates by hour of day, weekday and season, and the storm days that multiply them (pure)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

# Repair orders per day at scale 1 on a calm, average day (about 500,000 a year with the storms).
ORDERS_PER_DAY = 1330.0
# Unplanned outages (a device out, found by 研判) and planned ones per day, calm, scale 1.
OUTAGES_PER_DAY = 128.0
PLANNED_PER_DAY = 12.0
# Hotline calls per day and queue (the simulator's queues, in its proportions: dashboard/simulator/callcenter.py).
CALLS_PER_DAY = {"repair": 1550.0, "enquiry": 960.0, "complaint": 290.0}
# Tickets per day by kind (投诉, 举报, 咨询, 业务), and the share of restored orders that get a callback (回访).
TICKETS_PER_DAY = {"complaint": 14.0, "report": 2.0, "consultation": 18.0, "service": 10.0}
CALLBACK_SHARE = 0.3

# Faults by local hour: low at night, a morning rise, the evening peak of household load.
_FAULT_HOURS = np.array([0.45, 0.35, 0.3, 0.3, 0.35, 0.5, 0.75, 1.0, 1.15, 1.2, 1.2, 1.2,
                         1.15, 1.1, 1.15, 1.2, 1.25, 1.35, 1.55, 1.6, 1.5, 1.25, 0.9, 0.6])
# Calls by local hour: the hotline's office-hours double hump and the evening peak.
_CALL_HOURS = np.array([0.2, 0.12, 0.1, 0.1, 0.12, 0.2, 0.45, 0.9, 1.45, 1.7, 1.75, 1.6,
                        1.25, 1.4, 1.6, 1.6, 1.5, 1.4, 1.35, 1.4, 1.3, 1.0, 0.65, 0.35])
# Monday to Sunday: weekends a little quieter on the hotline, faults almost flat.
_FAULT_WEEKDAYS = np.array([1.02, 1.0, 1.0, 1.0, 1.02, 0.98, 0.98])
_CALL_WEEKDAYS = np.array([1.15, 1.05, 1.0, 1.0, 1.0, 0.9, 0.85])
# January to December: summer heat and thunderstorms, winter heating load; spring and autumn calm.
_MONTHS = np.array([1.1, 1.05, 0.9, 0.85, 0.95, 1.15, 1.4, 1.35, 1.0, 0.85, 0.9, 1.05])
_STORM_MONTHS = np.array([0.02, 0.02, 0.03, 0.05, 0.08, 0.15, 0.25, 0.22, 0.1, 0.04, 0.02, 0.02])


def hour_shape(kind: str) -> np.ndarray:
    """The 24 hourly weights of `kind` (faults or calls), summing to 1."""
    hours = _CALL_HOURS if kind == "calls" else _FAULT_HOURS
    return hours / hours.sum()


def day_factor(day: date, kind: str) -> float:
    """How busy `day` is for `kind` (faults or calls) against an average calm day: weekday × season."""
    weekdays = _CALL_WEEKDAYS if kind == "calls" else _FAULT_WEEKDAYS
    return float(weekdays[day.weekday()] * _MONTHS[day.month - 1])


@dataclass(frozen=True)
class Storm:
    """A storm day: orders and calls `load` times the calm rate, outages `outages` times, restorations slower."""
    load: float = 5.0
    outages: float = 8.0
    slower: float = 2.5  # restorations take this many times longer (crews stretched, damage worse)
    late_arrival: float = 0.9  # arrival time's median share of the limit (calm: CALM_ARRIVAL_SHARE)


CALM = Storm(load=1.0, outages=1.0, slower=1.0, late_arrival=0.55)


@dataclass(frozen=True)
class StormPlan:
    """Which of the generated days were storms (a few a year, mostly summer), and how hard each hit."""
    days: dict[date, Storm] = field(default_factory=dict)

    def of(self, day: date) -> Storm:
        return self.days.get(day, CALM)


def plan_storms(days: list[date], seed: int, count: int | None = None, also: tuple[date, ...] = ()) -> StormPlan:
    """`count` storm days (default 5 a year, at least 1 in a generated span of 60 days or more) drawn from `days`
    weighted by the month's storm odds; `also`: days that must be storms (the recorded storm's day)."""
    if not days:
        return StormPlan()
    if count is None:
        count = max(1 if len(days) >= 60 else 0, round(5 * len(days) / 365))
    rng = np.random.default_rng([seed, 1366])
    weights = np.array([_STORM_MONTHS[d.month - 1] for d in days])
    picked = rng.choice(len(days), size=min(count, len(days)), replace=False, p=weights / weights.sum())
    chosen = {days[i] for i in picked} | {d for d in also if d in set(days)}
    plan = {}
    for d in sorted(chosen):
        hard = float(rng.uniform(0.7, 1.4))
        plan[d] = Storm(load=5.0 * hard, outages=8.0 * hard, slower=1.5 + hard, late_arrival=0.75 + 0.2 * hard)
    return StormPlan(plan)
