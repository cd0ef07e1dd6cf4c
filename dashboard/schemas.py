"""Input schemas (pydantic): they validate every request and generate the OpenAPI document."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, Strict, field_validator, model_validator

from dashboard.domain import CallEvent, Category, Channel, OrderStatus, OutageKind, Priority, SeatState

# Numbers, strings and booleans are strict: "116.3" is not a longitude and 1 is not `true`.
Float = Annotated[float, Strict()]
Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
Id = Annotated[str, Strict(), Field(min_length=1, max_length=64)]
Lon = Annotated[float, Strict(), Field(ge=-180, le=180)]
Lat = Annotated[float, Strict(), Field(ge=-90, le=90)]


def _text(n: int):
    return Annotated[str | None, Strict(), Field(default=None, max_length=n)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True)


class FaultIn(Model):
    external_id: Id
    reported_at: AwareDatetime
    lon: Lon
    lat: Lat
    crs: Literal["wgs84", "gcj02"] = "wgs84"
    category: Category
    priority: Priority = Priority.normal
    channel: Channel = Channel.phone
    customer_id: _text(64) = None
    customer_name: _text(128) = None
    phone: _text(32) = None
    address: _text(256) = None
    description: _text(2000) = None
    customers_affected: Annotated[int, Strict(), Field(ge=1, le=10_000_000)] = 1
    sensitive: Bool = False

    @field_validator("external_id")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return v


class FaultBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=1000)


class CrewIn(Model):
    name: Annotated[str, Strict(), Field(min_length=1, max_length=128)]
    team: Annotated[str, Strict(), Field(min_length=1, max_length=128)]
    skills: list[Annotated[str, Strict(), Field(min_length=1, max_length=32)]] = Field(max_length=32)
    members: Annotated[int, Strict(), Field(ge=1, le=50)]
    phone: _text(32) = None
    base_grid_id: Annotated[str | None, Strict(), Field(default=None, min_length=1, max_length=64)] = None
    on_duty: Bool


class PositionIn(Model):
    crew_id: Id
    lon: Lon
    lat: Lat
    crs: Literal["wgs84", "gcj02"] = "wgs84"
    at: AwareDatetime
    speed_kmh: Annotated[float | None, Strict(), Field(default=None, ge=0, le=300)] = None
    heading: Annotated[float | None, Strict(), Field(default=None, ge=0, le=360)] = None


class PositionBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=5000)


class SeatEventIn(Model):
    seat_id: Id
    agent: _text(64) = None
    group: Id
    state: SeatState
    at: AwareDatetime


class SeatEventBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=5000)


class CallEventIn(Model):
    call_id: Id
    queue: Id
    event: CallEvent
    at: AwareDatetime
    seat_id: Annotated[str | None, Strict(), Field(default=None, min_length=1, max_length=64)] = None


class CallEventBatchIn(Model):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=5000)


class OutageIn(Model):
    external_id: Id
    kind: OutageKind
    grid_ids: list[Id] | None = Field(default=None, min_length=1, max_length=500)
    geometry: dict[str, Any] | None = Field(default=None, description="GeoJSON Polygon or MultiPolygon, WGS-84")
    start: AwareDatetime
    etr: AwareDatetime | None = None
    customers_affected: Annotated[int, Strict(), Field(ge=0, le=10_000_000)]
    sensitive_customers: Annotated[int, Strict(), Field(ge=0, le=10_000_000)] = 0
    cause: _text(256) = None
    notified_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _area_given(self) -> "OutageIn":
        if self.grid_ids is None and self.geometry is None:
            raise ValueError("give grid_ids or geometry")
        if self.etr is not None and self.etr < self.start:
            raise ValueError("etr is before start")
        return self


class OutagePatchIn(Model):
    etr: AwareDatetime | None = None
    end: AwareDatetime | None = None
    customers_affected: Annotated[int | None, Strict(), Field(default=None, ge=0, le=10_000_000)] = None


class AssignIn(Model):
    crew_id: Id
    version: Annotated[int, Strict(), Field(ge=1)]


class TransitionIn(Model):
    to: OrderStatus
    at: AwareDatetime | None = None
    note: _text(2000) = None
    version: Annotated[int | None, Strict(), Field(default=None, ge=1)] = None


class MergeIn(Model):
    into: Annotated[int, Strict(), Field(ge=1)]
