"""IEEE 1366 reliability indices (SAIFI, SAIDI, CAIDI, ASAI, CEMIn) and major event days (2.5β), over interruption
pieces: one outage's share of one grid on one local day."""
from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SUSTAINED_MIN = 5.0  # IEEE 1366: an interruption longer than 5 minutes is sustained (configurable)
MED_K = 2.5  # the 2.5β method
HISTORY_DAYS = 5 * 365 + 1  # IEEE 1366: the five most recent years of daily SAIDI (fewer when there are fewer)
ASAI_TARGET = {"urban": 0.999, "rural": 0.998}  # 供电服务十项承诺; other area classes are held to the rural one


@dataclass(frozen=True)
class Piece:
    """The part of one interruption that fell on one grid and one local day."""
    outage_id: int
    day: date
    grid_id: str
    customers: float  # customers of this grid interrupted (Ni's share), on the day it began; 0 on its later days
    customer_minutes: float  # customers × minutes, clipped to the day (and to now for one under way)
    duration_min: float  # the whole interruption's length: sustained or not does not depend on the clipping
    planned: bool


@dataclass(frozen=True)
class Interruption:
    """One outage as the indices see it."""
    outage_id: int
    start: datetime
    end: datetime | None  # None: under way
    customers: int
    grid_ids: Sequence[str]
    planned: bool


def split(interruption: Interruption, grid_customers: Mapping[str, int], tz: str, now: datetime) -> list[Piece]:
    """The pieces of one interruption: its customers shared over its grids in proportion to the customers each
    grid serves (the records carry one count for the whole outage) and counted on the day it began, its minutes
    cut at each local midnight."""
    end = now if interruption.end is None else interruption.end  # one under way counts up to now
    if end <= interruption.start or interruption.customers <= 0:
        return []
    grids = [g for g in dict.fromkeys(interruption.grid_ids) if g in grid_customers]
    served = sum(grid_customers[g] for g in grids)
    if not grids:
        return []
    duration = (end - interruption.start).total_seconds() / 60
    zone = ZoneInfo(tz)
    pieces: list[Piece] = []
    day = first = interruption.start.astimezone(zone).date()
    while True:
        day_start = datetime.combine(day, datetime.min.time(), zone)
        day_end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
        lo, hi = max(interruption.start, day_start), min(end, day_end)
        if lo >= end:
            break
        minutes = (hi - lo).total_seconds() / 60
        for g in grids:
            share = (interruption.customers * grid_customers[g] / served if served
                     else interruption.customers / len(grids))
            pieces.append(Piece(interruption.outage_id, day, g, share if day == first else 0.0, share * minutes,
                                duration, interruption.planned))
        day += timedelta(days=1)
    return pieces


@dataclass(frozen=True)
class Indices:
    saifi: float
    saidi: float  # minutes per customer served
    caidi: float | None  # minutes per interruption; None when nobody was interrupted
    asai: float
    cemi_n: float
    customer_interruptions: float
    customer_minutes: float

    def as_dict(self) -> dict:
        return {"saifi": self.saifi, "saidi": self.saidi, "caidi": self.caidi, "asai": self.asai,
                "cemi_n": self.cemi_n, "customer_interruptions": self.customer_interruptions,
                "customer_minutes": self.customer_minutes}


def indices(pieces: Iterable[Piece], customers_served: int, period_min: float, *, n: int = 3,
            sustained_min: float = SUSTAINED_MIN, skip_days: frozenset[date] = frozenset()) -> Indices:
    """SAIFI = ΣNi/NT, SAIDI = Σri·Ni/NT, CAIDI = SAIDI/SAIFI, ASAI = 1 − SAIDI/period minutes, CEMIn = customers
    with more than n sustained interruptions / NT, over the sustained pieces not on `skip_days` (the MEDs).
    An interruption's Ni counts on the day it began (once, however many days it lasts), its minutes on each day."""
    per_grid: dict[str, list[float]] = defaultdict(list)
    interruptions = minutes = 0.0
    for p in pieces:
        if p.duration_min <= sustained_min or p.day in skip_days:
            continue
        if p.customers > 0:
            per_grid[p.grid_id].append(p.customers)
            interruptions += p.customers
        minutes += p.customer_minutes
    return from_totals(interruptions, minutes, cemi_customers(per_grid, n), customers_served, period_min)


def from_totals(interruptions: float, customer_minutes: float, cemi_count: float, customers_served: int,
                period_min: float) -> Indices:
    """The indices from their sums: ΣNi, Σri·Ni, the customers interrupted more than n times, NT and the period."""
    if customers_served <= 0:
        return Indices(0.0, 0.0, None, 1.0, 0.0, interruptions, customer_minutes)
    saifi = interruptions / customers_served
    saidi = customer_minutes / customers_served
    caidi = saidi / saifi if saifi > 0 else None
    asai = 1 - saidi / period_min if period_min > 0 else 1.0
    return Indices(saifi, saidi, caidi, asai, cemi_count / customers_served, interruptions, customer_minutes)


def cemi_customers(per_grid: Mapping[str, Iterable[float]], n: int) -> float:
    """Customers interrupted more than n times, from each grid's interruptions (Ni of that grid). The records say
    how many of a grid's customers an outage hit, not which: assume the outages of one grid hit nested sets of
    customers (the smaller inside the larger, as outages down one feeder do), so exactly the customers of the
    (n+1)-th largest outage were hit more than n times. A grid blacked out whole each time is exact."""
    total = 0.0
    for values in per_grid.values():
        ordered = sorted(values, reverse=True)
        if len(ordered) > n:
            total += ordered[n]
    return total


def daily_saidi(pieces: Iterable[Piece], customers_served: int, *,
                sustained_min: float = SUSTAINED_MIN) -> dict[date, float]:
    """SAIDI of each local day that had a sustained interruption (minutes per customer served)."""
    days: dict[date, float] = defaultdict(float)
    if customers_served <= 0:
        return {}
    for p in pieces:
        if p.duration_min > sustained_min:
            days[p.day] += p.customer_minutes / customers_served
    return dict(days)


@dataclass(frozen=True)
class MedThreshold:
    threshold_min: float | None  # T_MED; None with fewer than two days to learn from
    alpha: float | None
    beta: float | None
    days_in_history: int  # days with a SAIDI above zero that went into α and β


def med_threshold(history: Iterable[float], k: float = MED_K) -> MedThreshold:
    """IEEE 1366 2.5β: drop days with zero SAIDI, α = mean and β = (sample) standard deviation of ln(SAIDI/day),
    T_MED = exp(α + k·β)."""
    logs = [math.log(v) for v in history if v > 0]
    if len(logs) < 2:
        return MedThreshold(None, None, None, len(logs))
    alpha = statistics.fmean(logs)
    beta = statistics.stdev(logs, alpha)
    return MedThreshold(math.exp(alpha + k * beta), alpha, beta, len(logs))


def major_event_days(saidi_by_day: Mapping[date, float], threshold: MedThreshold) -> dict[date, float]:
    """The days whose SAIDI exceeds T_MED (strictly, as the standard says)."""
    if threshold.threshold_min is None:
        return {}
    return {d: v for d, v in sorted(saidi_by_day.items()) if v > threshold.threshold_min}


def asai_target(customers_by_class: Mapping[str, int]) -> float | None:
    """The ASAI commitment of a mix of urban and rural grids: their targets weighted by the customers served (a
    district half urban, half rural is held to 99.85 %); remote grids count as rural."""
    total = sum(customers_by_class.values())
    if total <= 0:
        return None
    return sum(ASAI_TARGET.get(cls, ASAI_TARGET["rural"]) * c for cls, c in customers_by_class.items()) / total
