"""Answer schemas (pydantic): the exact JSON each route answers, for the OpenAPI document and its checks."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from dashboard.domain import (AreaClass, Category, Channel, CrewStatus, OrderStatus, OutageKind, Priority, Role,
                              SeatState)
from dashboard.schemas import Lat, Lon


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


# A field that may be left out but is never null: the None default is Python's, not the wire's, so the schema
# shows no default.
ABSENT: Any = Field(default=None, json_schema_extra=_no_default)


class Closed(BaseModel):
    """An answer whose fields are all named here: a stray field fails the schema."""
    model_config = ConfigDict(extra="forbid")


# Errors ------------------------------------------------------------------------------------------------------

class ErrorDetailOut(Closed):
    field: str
    message: str = ABSENT


class ErrorBodyOut(Closed):
    code: str = Field(description="snake_case")
    message: str
    details: list[ErrorDetailOut]


class ErrorOut(Closed):
    error: ErrorBodyOut


# GeoJSON (WGS-84) --------------------------------------------------------------------------------------------

Position = Union[tuple[Lon, Lat], tuple[Lon, Lat, float]]
Ring = Annotated[list[Position], Field(min_length=4)]


class PolygonOut(Closed):
    type: Literal["Polygon"]
    coordinates: list[Ring]


class MultiPolygonOut(Closed):
    type: Literal["MultiPolygon"]
    coordinates: list[list[Ring]]


AreaOut = Annotated[Union[PolygonOut, MultiPolygonOut], Field(discriminator="type")]


# Entities, in the one shape of dashboard/views.py --------------------------------------------------------------

class WorkOrderOut(Closed):
    id: int
    status: OrderStatus
    version: int
    category: Category
    priority: Priority
    channel: Channel
    grid_id: str | None
    district: str | None
    area_class: AreaClass
    outside_grid: bool
    needs_screening: bool
    lon: Lon
    lat: Lat
    address: str | None
    customers_affected: int
    sensitive: bool
    report_count: int
    crew_id: str | None
    merged_into: int | None
    reported_at: datetime
    arrival_due: datetime
    dispatched_at: datetime | None
    arrived_at: datetime | None
    restored_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime


# A snapshot may carry only the fields its client asked for (`order_fields`); `id` always comes.
SnapshotWorkOrderOut = create_model(
    "SnapshotWorkOrderOut", __base__=Closed, __doc__="A work order with the fields asked for; `id` always comes.",
    **{name: (int, ...) if name == "id" else (info.annotation, ABSENT)
       for name, info in WorkOrderOut.model_fields.items()})


class TimelineEntryOut(Closed):
    at: datetime
    action: Literal["created", "transition", "assign", "link", "merge"]
    from_status: OrderStatus | None = Field(alias="from")
    to_status: OrderStatus | None = Field(alias="to")
    actor: str | None
    note: str | None


class LinkedReportOut(Closed):
    id: int
    external_id: str
    reported_at: datetime
    category: Category
    channel: Channel
    lon: Lon
    lat: Lat
    address: str | None
    customer_name: str | None
    phone: str | None
    description: str | None
    sensitive: bool


class WorkOrderDetailOut(WorkOrderOut):
    timeline: list[TimelineEntryOut]
    reports: list[LinkedReportOut]


class WorkOrderListOut(Closed):
    items: list[WorkOrderOut]
    count: int


class CandidateOut(Closed):
    crew_id: str
    name: str
    team: str
    skills: list[str]
    members: int
    phone: str | None
    lon: Lon
    lat: Lat
    distance_km: float
    eta_min: float
    skill_match: bool


class CandidatesOut(Closed):
    workorder_id: int
    items: list[CandidateOut] = Field(description="the dispatcher's order of preference: skills, then ETA")


class CrewOut(Closed):
    id: str
    name: str
    team: str
    skills: list[str]
    members: int
    phone: str | None
    base_grid_id: str | None
    on_duty: bool
    status: CrewStatus
    workorder_id: int | None
    lon: Lon | None
    lat: Lat | None
    grid_id: str | None
    position_at: datetime | None
    speed_kmh: float | None
    heading: float | None


class CrewSavedOut(CrewOut):
    created: bool


class OutageOut(Closed):
    id: int
    external_id: str
    kind: OutageKind
    grid_ids: list[str]
    districts: list[str]
    geometry: AreaOut | None
    start: datetime
    etr: datetime | None
    end: datetime | None
    active: bool
    customers_affected: int
    sensitive_customers: int
    cause: str | None
    notified_at: datetime | None


class OutageSavedOut(OutageOut):
    created: bool


class SeatOut(Closed):
    id: str
    agent: str | None
    group: str
    state: SeatState
    since: datetime


class QueueOut(Closed):
    id: str
    waiting: int
    oldest_since: datetime | None
    longest_wait_s: float
    offered_today: int
    answered_today: int
    abandoned_today: int
    short_abandoned_today: int
    answered_in_target_today: int
    service_level: float | None
    abandon_rate: float | None
    asa_s: float | None
    target_s: float


class KpisOut(Closed):
    id: Literal["today"]
    at: datetime
    day_start: datetime
    received_today: int
    open: int
    overdue: int
    arrived_today: int
    restored_today: int
    avg_arrival_min: float | None
    on_time_arrival_rate: float | None
    customers_out: int
    sensitive_open: int
    crews_available: int
    crews_busy: int
    calls_waiting: int
    service_level: float | None


# Ingest ------------------------------------------------------------------------------------------------------

class FaultOut(Closed):
    id: int
    external_id: str
    grid_id: str | None = Field(description="null outside every grid: accepted and flagged")
    workorder_id: int
    status: OrderStatus = Field(description="the work order's status")
    created: bool


class FaultItemOut(Closed):
    index: int
    status: Literal[200, 201]
    id: int
    external_id: str
    grid_id: str | None
    workorder_id: int
    workorder_status: OrderStatus
    created: bool


class FaultItemRejectedOut(Closed):
    index: int
    status: Literal[409, 422]
    error: ErrorBodyOut


class FaultBatchOut(Closed):
    results: list[FaultItemOut | FaultItemRejectedOut]


class BatchItemOut(Closed):
    index: int
    status: Literal["stored", "ignored"]


class BatchErrorOut(Closed):
    code: str
    message: str
    details: list[ErrorDetailOut] = ABSENT


class BatchItemRejectedOut(Closed):
    index: int
    status: Literal["rejected"]
    error: BatchErrorOut


class BatchSummaryOut(Closed):
    stored: int
    ignored: int
    rejected: int
    results: list[BatchItemOut | BatchItemRejectedOut]


# Reading -----------------------------------------------------------------------------------------------------

class SnapshotOut(Closed):
    seq: int
    generated_at: datetime
    grids_version: str
    workorders: list[SnapshotWorkOrderOut]
    crews: list[CrewOut]
    outages: list[OutageOut]
    seats: list[SeatOut]
    queues: list[QueueOut]
    kpis: KpisOut


Op = Literal["upsert", "remove"]


class WorkOrderChangeOut(Closed):
    kind: Literal["workorder"]
    op: Op
    id: str
    data: WorkOrderOut


class CrewChangeOut(Closed):
    kind: Literal["crew"]
    op: Op
    id: str
    data: CrewOut


class OutageChangeOut(Closed):
    kind: Literal["outage"]
    op: Op
    id: str
    data: OutageOut


class SeatChangeOut(Closed):
    kind: Literal["seat"]
    op: Op
    id: str
    data: SeatOut


class QueueChangeOut(Closed):
    kind: Literal["queue"]
    op: Op
    id: str
    data: QueueOut


class KpiChangeOut(Closed):
    kind: Literal["kpi"]
    op: Op
    id: Literal["today"]
    data: KpisOut


ChangeOut = Annotated[Union[WorkOrderChangeOut, CrewChangeOut, OutageChangeOut, SeatChangeOut, QueueChangeOut,
                            KpiChangeOut], Field(discriminator="kind")]


class UpdateOut(Closed):
    seq: int
    at: datetime
    changes: list[ChangeOut]


class UpdatesOut(Closed):
    updates: list[UpdateOut]


class GridPropertiesOut(Closed):
    id: str
    name: str
    district: str
    area_class: AreaClass
    customers: int


class GridFeatureOut(Closed):
    type: Literal["Feature"]
    id: str
    geometry: AreaOut
    properties: GridPropertiesOut


class GridsOut(Closed):
    type: Literal["FeatureCollection"]
    features: list[GridFeatureOut]
    version: str = Field(description="also the ETag")


class SessionOut(Closed):
    id: int
    user: str
    role: Role
    kind: Literal["password", "kiosk"]
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    active: bool
    ended_at: datetime | None
    ended_by: str | None
    address: str | None
    user_agent: str | None


class SessionsOut(Closed):
    items: list[SessionOut]


class DatabaseHealthOut(Closed):
    ok: bool


class BusHealthOut(Closed):
    kind: Literal["inprocess", "redis"]
    ok: bool
    leader: bool = ABSENT
    error: str | None = ABSENT


class HealthOut(Closed):
    status: Literal["ok", "degraded", "down"]
    database: DatabaseHealthOut
    bus: BusHealthOut
    grids: int


class OpenApiOut(BaseModel):
    """This document: an OpenAPI 3.1 object (open: its members are OpenAPI's)."""
    model_config = ConfigDict(extra="allow")
    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]
