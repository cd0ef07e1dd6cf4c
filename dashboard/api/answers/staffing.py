"""Answers of GET /staffing: the Erlang C what-if, and the live staffing per queue (also in the KPIs)."""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from dashboard.api.answers.common import Closed


class StaffingInputsOut(Closed):
    calls_per_hour: float
    aht_s: float
    target_sl: float
    target_s: float
    shrinkage: float
    agents: int | None = Field(description="the agents asked about; null: the fewest meeting the target")
    max_occupancy: float


class StaffingOut(Closed):
    inputs: StaffingInputsOut
    traffic_erlangs: float = Field(description="A = calls per second × AHT")
    agents: int | None = Field(description="null: no number of agents meets the target (an absurd load)")
    service_level: float | None = Field(description="share answered within target_s")
    asa_s: float | None = Field(description="average speed of answer; null: infinite (agents ≤ traffic)")
    occupancy: float | None
    probability_waiting: float | None = Field(description="Erlang C: the share of callers who wait at all")
    staff_with_shrinkage: int | None = Field(description="ceil(agents / (1 − shrinkage))")
    meetable: bool = Field(description="the target is met with `agents`")


class QueueStaffingOut(Closed):
    id: str = Field(description="the queue, and the seat group that answers it")
    calls_per_hour: float = Field(description="offered in the trailing window, per hour")
    aht_s: float
    aht_measured: bool = Field(description="false: no call handled in the window, the configured default AHT")
    traffic_erlangs: float
    agents_needed: int | None = Field(description="Erlang C: the fewest agents for the service-level goal")
    agents_logged_in: int = Field(description="seats of the group not logged out (not ready included)")
    short: bool = Field(description="agents_needed > agents_logged_in")
    service_level_expected: float = Field(description="Erlang C service level with the agents logged in")
    goal: float
    target_s: float


class LiveStaffingOut(Closed):
    at: datetime
    window_min: float
    queues: list[QueueStaffingOut]
