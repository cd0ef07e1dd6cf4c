"""Answers of the workload and the duty roster (the report files themselves are not JSON)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from dashboard.api.answers.common import Closed


class AgentWorkOut(Closed):
    seat: str
    agent: str | None
    group: str | None
    calls_answered: int
    aht_s: float | None = Field(description="(talk + wrap-up) / calls handled (answered and ended)")
    talk_s: float
    wrap_up_s: float
    occupancy: float | None = Field(description="(talking + wrap-up) / staffed (available, ringing, talking, "
                                                "wrap-up) time")
    not_ready_s: float
    logged_in_s: float


class DispatcherWorkOut(Closed):
    dispatcher: str
    orders_dispatched: int
    arrived: int
    on_time: int
    on_time_rate: float | None
    escalations: int


class CrewWorkOut(Closed):
    crew: str
    name: str
    team: str | None
    orders: int
    arrived: int
    on_time: int
    restored: int
    on_time_rate: float | None


class WorkloadOut(Closed):
    from_: datetime = Field(alias="from")
    to: datetime
    agents: list[AgentWorkOut]
    dispatchers: list[DispatcherWorkOut]
    crews: list[CrewWorkOut]


class ShiftOut(Closed):
    day: str
    shift: str
    start: datetime
    end: datetime
    role: Literal["duty_chief", "dispatcher", "seat", "crew"]
    person: str
    team: str | None
    phone: str | None


class DutyCountsOut(Closed):
    duty_chief: int
    dispatcher: int
    seat: int
    crew: int


class OnDutyOut(Closed):
    at: datetime
    duty_chief: list[ShiftOut]
    dispatcher: list[ShiftOut]
    seat: list[ShiftOut]
    crew: list[ShiftOut]
    counts: DutyCountsOut


class RosterSavedOut(Closed):
    from_: str = Field(alias="from")
    to: str
    shifts: int
    removed: int
