"""Answers for the stored entities, in the one shape of dashboard/views.py: orders, crews, outages, seats, KPIs."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, create_model

from dashboard.api.answers.callbacks import CallbackDetailOut
from dashboard.api.answers.common import ABSENT, AreaOut, Closed
from dashboard.api.answers.staffing import QueueStaffingOut
from dashboard.api.answers.tickets import OrderTicketOut
from dashboard.domain import (AreaClass, Category, Channel, CrewStatus, OrderStatus, OutageKind, OutageStatus, Priority,
                              SeatState)
from dashboard.schemas import Lat, Lon


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
    outage_id: int | None = Field(description="the outage this order repairs (研判): one outage, one order")
    reported_at: datetime
    arrival_due: datetime
    restore_due: datetime | None = Field(description="set once, on arrival")
    due_at: datetime | None = Field(description="the due time of the limit running now (arrival, then restoration); "
                                    "null when none runs")
    level: int = Field(ge=0, description="催办 level against the limit now running: 0 fine, the last one past it")
    overdue: bool = Field(description="past the limit now running")
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
    action: Literal["created", "transition", "assign", "link", "merge", "unmerge", "unlink", "escalated",
                    "predicted", "outage", "screened", "callback"]
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


class MergedOrderOut(Closed):
    id: int
    at: datetime = Field(description="when it was merged into this order (its last change)")


class WorkOrderDetailOut(WorkOrderOut):
    callback: CallbackDetailOut | None = Field(description="its callback (回访) task, opened when it was restored")
    merged_from: list[MergedOrderOut] = Field(description="orders merged into this one (a merge can be undone)")
    timeline: list[TimelineEntryOut]
    reports: list[LinkedReportOut]
    tickets: list[OrderTicketOut] = Field(description="service tickets (a complaint, …) that name this order")


class WorkOrderListOut(Closed):
    items: list[WorkOrderOut]
    count: int = Field(description="all orders that match, not just this page")
    next: str | None = Field(description="the cursor of the next page, or null on the last")


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
    open_orders: int = Field(ge=0, description="orders the crew holds open now")
    orders_today: int = Field(ge=0, description="orders dispatched to the crew in the last 24 h: workload")


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
    external_id: str | None = Field(description="the reporting system's id; null for an outage found by 研判")
    kind: OutageKind
    status: OutageStatus
    source: Literal["calls", "automation", "reported", "planned", "dispatcher", "commanded"]
    device_id: str | None = Field(description="the device that failed (or is switched off), when known")
    device_kind: str | None
    lon: Lon | None = Field(description="the device's place")
    lat: Lat | None
    grid_ids: list[str]
    districts: list[str]
    geometry: AreaOut | None
    start: datetime
    etr: datetime | None
    etr_basis: str | None = Field(description="how the ETR was made")
    end: datetime | None
    active: bool = Field(description="under way: predicted, confirmed or active (scheduled ones are not)")
    locked: bool = Field(description="a person or the reporting system decided: 研判 leaves it alone")
    covered_by: int | None = Field(description="under a larger outage under way: its customers count there")
    workorder_id: int | None = Field(description="its one work order, if crew work is needed")
    calls: int = Field(ge=0, description="reports linked to it")
    reason: str | None = Field(description="why 研判 put it where it is")
    customers_affected: int
    sensitive_customers: int
    care_customers: int = Field(ge=0, description="vulnerable, life-support and important customers blacked out")
    cause: str | None
    notified_at: datetime | None
    notice_ok: bool | None = Field(description="planned: notified in time by its rule (`notice_rule`); false is a "
                                   "late notice, accepted and flagged")
    maintenance: Literal["scheduled", "temporary"] | None = Field(
        description="planned: 计划检修 (scheduled) or 临时检修 (temporary)")
    notice_rule: Literal["scheduled_7d", "temporary_24h"] | None = Field(
        description="planned: the rule the notice is held to: ≥ 7 days before the start, or ≥ 24 h (temporary)")
    device_ids: list[str] = Field(description="planned: the devices switched out, whose customers are told")


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


class OnDutyLineOut(Closed):
    duty_chief: str | None = Field(description="值班长 on duty now, the first if several")
    dispatchers: int
    seats: int
    crews: int


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
    outage_customers_care: int = Field(description="outages under way that black out care customers")
    outages_predicted: int
    outages_upcoming: int = Field(description="planned outages starting within 24 h")
    screening: int = Field(description="orders waiting in the screening lane")
    calls_per_outage: float | None = Field(description="today's calls linked to an outage, per outage")
    trips_saved_today: int = Field(description="calls today that made no order of their own (研判)")
    service_level: float | None
    callbacks_opened_today: int = Field(description="callback tasks opened today (orders restored, tickets closed)")
    callbacks_completed_today: int = Field(description="of those, the ones done or unreachable")
    callback_completion: float | None = Field(description="callbacks_completed_today / callbacks_opened_today")
    callbacks_reached_today: int = Field(description="callbacks that reached the customer today")
    satisfaction_rate: float | None = Field(description="satisfied / reached, among callbacks reached today")
    tickets_open: int = Field(description="service tickets not yet closed or cancelled")
    tickets_by_level: list[int] = Field(description="open service tickets at each 催办 level, 0 first")
    planned_outages: int = Field(description="planned outages starting today or later")
    planned_notice_late: int = Field(description="of those, noticed later than their rule (7 days; temporary 24 h)")
    planned_notice_late_rate: float | None = Field(description="planned_notice_late / planned_outages")
    on_duty: OnDutyLineOut = Field(description="the duty roster now (值班): the wall header's line")
    seats_rostered_now: int = Field(description="seats on the duty roster now")
    staffing: list[QueueStaffingOut] = Field(description="live staffing per queue (Erlang C, docs/figures.md)")


class DeviceOut(Closed):
    id: str
    kind: Literal["station", "feeder", "switch", "transformer"]
    parent_id: str | None
    name: str | None
    lon: Lon | None
    lat: Lat | None
    grid_id: str | None
    customers: int
    customers_below: int = Field(description="customers fed through this device")
    state: Literal["open", "closed"] = Field(description="as automation last reported it; closed when never")
    state_at: datetime | None


class TopologyOut(Closed):
    version: str
    devices: list[DeviceOut]


class TopologySavedOut(Closed):
    devices: int
    version: str


class OutageListOut(Closed):
    items: list[OutageOut]


class OutageSplitOut(Closed):
    items: list[OutageOut] = Field(description="the original outage, then one per device split off")
