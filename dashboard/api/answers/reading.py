"""Answers of the read endpoints: snapshot, pushed updates, grids, sign-ins, health, this document."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from dashboard.api.answers.common import ABSENT, AreaOut, Closed
from dashboard.api.answers.entities import (CrewOut, KpisOut, OutageOut, QueueOut, SeatOut, SnapshotWorkOrderOut,
                                            WorkOrderOut)
from dashboard.api.answers.tickets import TicketLiveOut
from dashboard.domain import AreaClass, Role


class SnapshotOut(Closed):
    seq: int
    generated_at: datetime
    grids_version: str
    workorders: list[SnapshotWorkOrderOut]
    crews: list[CrewOut]
    outages: list[OutageOut]
    upcoming: list[OutageOut]  # planned outages starting within 24 h, not yet under way
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


class TicketChangeOut(Closed):
    kind: Literal["ticket"]
    op: Op
    id: str
    data: TicketLiveOut


ChangeOut = Annotated[Union[WorkOrderChangeOut, CrewChangeOut, OutageChangeOut, SeatChangeOut, QueueChangeOut,
                            KpiChangeOut, TicketChangeOut], Field(discriminator="kind")]


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


class AuditEntryOut(Closed):
    at: datetime
    actor: str = Field(description="a person's name, a token's name, or system")
    role: str
    action: str
    object: str
    object_id: str | None
    details: dict[str, Any] | None


class AuditOut(Closed):
    items: list[AuditEntryOut]
    next: str | None = Field(description="the cursor of the next page, or null on the last")
