"""The reliability answer (IEEE 1366): indices with and without the major event days, the MED threshold."""
from __future__ import annotations

from pydantic import Field

from dashboard.api.answers.common import Closed


class ReliabilityIndicesOut(Closed):
    saifi: float = Field(description="interruptions per customer served: ΣNi / NT")
    saidi: float = Field(description="minutes per customer served: Σ(ri·Ni) / NT")
    caidi: float | None = Field(description="minutes per interruption: SAIDI / SAIFI; null with none")
    asai: float = Field(description="1 − SAIDI / the period's minutes")
    cemi_n: float = Field(description="share of customers with more than n sustained interruptions")
    customer_interruptions: float
    customer_minutes: float


class MedDayOut(Closed):
    date: str
    saidi: float


class MedOut(Closed):
    threshold_min: float | None = Field(description="T_MED = exp(α + 2.5β), minutes; null with < 2 days")
    alpha: float | None
    beta: float | None
    days_in_history: int
    history_from: str
    days: list[MedDayOut]


class ReliabilityOut(Closed):
    from_: str = Field(alias="from")
    to: str
    district: str | None
    n: int
    period_start: str
    period_end: str
    period_minutes: float
    customers_served: int
    sustained_min: float
    include_planned: bool
    all: ReliabilityIndicesOut
    excluding_med: ReliabilityIndicesOut
    med: MedOut
    daily: list[MedDayOut] = Field(description="the period's daily SAIDI (minutes), days with an interruption only")
    asai_target: float | None
    meets_target: bool | None
