"""Erlang C (M/M/N): probability of waiting, service level, ASA, occupancy and agents needed, without factorials."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

MAX_AGENTS = 200_000  # the search for agents needed gives up past this many (an absurd load, not a hang)


def traffic(calls_per_hour: float, aht_s: float) -> float:
    """Offered load in erlangs: A = λ·AHT (λ per second here)."""
    return calls_per_hour / 3600.0 * aht_s


def _erlang_b(agents: int, a: float) -> float:
    # B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)): every step stays in [0, 1], so hundreds or thousands of agents
    # neither overflow nor lose precision the way A^N / N! does.
    b = 1.0
    for n in range(1, agents + 1):
        b = a * b / (n + a * b)
    return b


def _c_from_b(agents: int, a: float, b: float) -> float:
    if agents <= a:
        return 1.0  # the queue grows without bound: every caller waits
    return agents * b / (agents - a * (1.0 - b))


def probability_waiting(agents: int, a: float) -> float:
    """Erlang C: the probability that a caller waits at all (1.0 when N ≤ A)."""
    if a <= 0:
        return 0.0
    return _c_from_b(agents, a, _erlang_b(agents, a))


def _service_level(agents: int, a: float, c: float, aht_s: float, target_s: float) -> float:
    if a <= 0:
        return 1.0
    if agents <= a:
        return 0.0
    return max(0.0, 1.0 - c * math.exp(-(agents - a) * target_s / aht_s))


def _asa(agents: int, a: float, c: float, aht_s: float) -> float | None:
    if a <= 0:
        return 0.0
    if agents <= a:
        return None  # infinite: no finite average wait
    return c * aht_s / (agents - a)


@dataclass(frozen=True)
class Staffing:
    traffic_erlangs: float
    agents: int | None  # None: no number of agents up to MAX_AGENTS meets the target
    service_level: float | None
    asa_s: float | None  # None: the queue grows without bound (N ≤ A)
    occupancy: float | None
    probability_waiting: float | None
    staff_with_shrinkage: int | None
    meetable: bool  # the target is met with `agents` (False: overloaded, or the given agents fall short)

    def as_dict(self) -> dict:
        return asdict(self)


def figures(agents: int, a: float, aht_s: float, target_s: float) -> tuple[float, float, float | None, float]:
    """(probability of waiting, service level within target_s, ASA s, occupancy) for `agents` at load `a`."""
    c = probability_waiting(agents, a)
    occupancy = 0.0 if a <= 0 else (1.0 if agents <= a else a / agents)
    return c, _service_level(agents, a, c, aht_s, target_s), _asa(agents, a, c, aht_s), occupancy


def agents_needed(a: float, aht_s: float, target_sl: float, target_s: float, *, max_asa_s: float | None = None,
                  max_occupancy: float = 1.0, limit: int = MAX_AGENTS) -> int | None:
    """The fewest agents N > A whose service level within target_s reaches target_sl (and, when given, whose ASA
    is at most max_asa_s and occupancy A/N at most max_occupancy); 0 with no traffic; None past `limit`."""
    if a <= 0:
        return 0
    b = 1.0
    for n in range(1, limit + 1):
        b = a * b / (n + a * b)  # Erlang B carried along: one step per candidate, O(N) in all
        if n <= a or a / n > max_occupancy:
            continue
        c = _c_from_b(n, a, b)
        if _service_level(n, a, c, aht_s, target_s) < target_sl:
            continue
        if max_asa_s is not None and _asa(n, a, c, aht_s) > max_asa_s:
            continue
        return n
    return None


def with_shrinkage(agents: int | None, shrinkage: float) -> int | None:
    """Agents to roster so that `agents` are on the phones after shrinkage (breaks, training, absence)."""
    if agents is None:
        return None
    return math.ceil(round(agents / (1.0 - shrinkage), 9))  # round: 14 / 0.7 is 20.000000000000004


def staffing(calls_per_hour: float, aht_s: float, target_sl: float, target_s: float, *, shrinkage: float = 0.0,
             agents: int | None = None, max_asa_s: float | None = None, max_occupancy: float = 1.0) -> Staffing:
    """The Erlang C answer: with `agents` given, the figures for that many; otherwise for the fewest meeting the
    target (service level, and ASA / occupancy caps when given)."""
    a = traffic(calls_per_hour, aht_s)
    n = agents if agents is not None else agents_needed(a, aht_s, target_sl, target_s, max_asa_s=max_asa_s,
                                                        max_occupancy=max_occupancy)
    if n is None:
        return Staffing(a, None, None, None, None, None, None, False)
    c, sl, asa, occ = figures(n, a, aht_s, target_s)
    # The caps hold for given agents as for the agents found: too busy a team does not meet the target.
    meetable = (sl >= target_sl and (max_asa_s is None or (asa is not None and asa <= max_asa_s))
                and occ <= max_occupancy)
    return Staffing(a, n, sl, asa, occ, c, with_shrinkage(n, shrinkage), meetable)
