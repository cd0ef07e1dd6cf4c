"""The period figures' answer (GET /kpis?from=&to=&district=): orders, outages, calls, service, rankings, series."""
from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from dashboard.api.answers.common import Closed


class PeriodOrdersOut(Closed):
    received: int = Field(description="orders first reported in the period (merged ones not)")
    open: int = Field(description="of those, still open now")
    overdue: int = Field(description="of those, arrived or restored late, or past a limit and not there yet")
    arrived: int = Field(description="arrivals on site in the period")
    restored: int = Field(description="restorations in the period")
    avg_arrival_min: float | None
    p90_arrival_min: float | None = Field(description="90th percentile, to the histogram's resolution")
    avg_restoration_min: float | None
    p90_restoration_min: float | None
    on_time_arrival_rate: float | None = Field(description="arrived_at ≤ arrival_due, of the arrivals")
    on_time_restoration_rate: float | None = Field(description="restored_at ≤ restore_due, of the restorations")


class PeriodDistrictOut(PeriodOrdersOut):
    district: str
    rank: int = Field(description="by on-time arrival rate, then average arrival; equal ones share a rank")


class PeriodGridOut(PeriodOrdersOut):
    grid: str
    district: str


class PeriodOutagesOut(Closed):
    outages: int = Field(description="counted outages that started in the period")
    customer_interruptions: float = Field(description="ΣNi of sustained interruptions (as /reliability)")
    customer_minutes: float = Field(description="Σ ri·Ni within the period (as /reliability)")
    customers_out_now: int
    planned: int = Field(description="planned outages starting in the period")
    planned_notice_late: int
    planned_notice_compliance: float | None
    care_outages: int = Field(description="outages started in the period with care customers")
    outage_calls: int = Field(description="the calls on the outages started in the period")
    calls: int = Field(description="repair calls (fault reports) in the period")
    calls_per_outage: float | None = Field(description="outage_calls / outages")
    trips_saved: int = Field(description="calls − orders received: calls that made no order of their own")


class PeriodCallsOut(Closed):
    """call_center_figures(...)["overall"] plus its "queues" (docs/figures.md, "Call center")."""
    model_config = ConfigDict(extra="allow")
    offered: int
    answered: int
    abandoned: int
    service_level: float | None
    queues: list[dict]


class PeriodServiceOut(Closed):
    complaints: int = Field(description="complaints (投诉) received in the period")
    complaints_contacted_on_time: int = Field(description="of those, contacted within their limit (24 h)")
    complaint_contact_rate: float | None = Field(description="on time / (contacted or past the limit)")
    callbacks_opened: int
    callbacks_completed: int
    callback_completion: float | None
    callbacks_reached: int
    satisfaction_rate: float | None


class PeriodPointOut(Closed):
    at: str
    received: int
    arrived: int
    restored: int
    on_time_arrival_rate: float | None
    avg_arrival_min: float | None
    calls_offered: int
    service_level: float | None
    customer_minutes: float


class PeriodSeriesOut(Closed):
    step: Literal["hour", "day"]
    points: list[PeriodPointOut]


class PeriodKpisOut(Closed):
    from_: str = Field(alias="from")
    to: str
    district: str | None
    generated_at: str
    orders: PeriodOrdersOut
    outages: PeriodOutagesOut
    calls: PeriodCallsOut
    service: PeriodServiceOut
    by_district: list[PeriodDistrictOut]
    by_grid: list[PeriodGridOut]
    series: PeriodSeriesOut
