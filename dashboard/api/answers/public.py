"""The public outage notices' answer: every field named, nothing personal (docs/public-outages.md)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from dashboard.api.answers.common import Closed


class CauseTextOut(Closed):
    zh: str
    en: str


class PublicOutageOut(Closed):
    id: str = Field(description="opaque and stable: quote it to the center; it names no row")
    kind: Literal["planned", "unplanned"]
    status: Literal["confirmed", "active", "scheduled"] = Field(
        description="confirmed: an unplanned outage under way; active: a planned one under way; scheduled: a "
        "planned one not started yet")
    district: str | None = Field(description="the district holding most of the area")
    districts: list[str]
    areas: list[str] = Field(description="the service grids' names (at most 20), never an address")
    areas_more: int = Field(ge=0, description="grids beyond those named")
    start: datetime
    etr: datetime | None = Field(description="expected restoration; for a planned outage its planned end")
    customers_affected: int = Field(ge=0)
    cause: Literal["planned_work", "switching", "weather", "external_damage", "equipment_fault"]
    cause_text: CauseTextOut = Field(description="the cause in public wording")
    centroid: Annotated[list[float], Field(min_length=2, max_length=2)] | None = Field(
        description="[lon, lat] (WGS-84) of the area's box, to 0.01° (about 1 km)")
    bbox: Annotated[list[float], Field(min_length=4, max_length=4)] | None = Field(
        description="[west, south, east, north] (WGS-84) around the area, widened to 0.01°")
    updated_at: datetime


class PublicOutagesOut(Closed):
    generated_at: datetime
    upcoming_days: float = Field(gt=0, description="how far ahead planned outages are listed")
    current: list[PublicOutageOut] = Field(description="under way: by district, then start")
    upcoming: list[PublicOutageOut] = Field(description="planned, not started yet, within upcoming_days: by start")

