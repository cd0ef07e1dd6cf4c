"""Answers for service tickets (投诉, 举报, 咨询, 业务), in the one shape of dashboard/ticket_views.py."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from dashboard.api.answers.common import Closed, ErrorBodyOut
from dashboard.schemas import Lat, Lon
from dashboard.tickets.kinds import Department, TicketKind, TicketStatus


class TicketLiveOut(Closed):
    """A ticket as pushed (`update` change kind `ticket`): without the customer's personal fields."""
    id: int
    external_id: str
    kind: TicketKind
    status: TicketStatus
    version: int
    received_at: datetime
    lon: Lon | None
    lat: Lat | None
    grid_id: str | None = Field(description="null outside every grid: accepted and flagged")
    district: str | None
    outside_grid: bool
    subject: str
    related_workorder_id: int | None
    department: Department
    contact_due: datetime = Field(description="reach the customer by then")
    close_due: datetime = Field(description="close the ticket by then")
    due_at: datetime | None = Field(description="the limit running now (contact, then close); null when none")
    level: int = Field(description="催办 level of the running limit: 0 fine, 1–4, 4 = past it")
    overdue: bool
    contacted_at: datetime | None
    closed_at: datetime | None
    created_by: str
    updated_at: datetime


class TicketOut(TicketLiveOut):
    customer_id: str | None
    phone: str | None
    description: str | None


class TicketEventOut(Closed):
    at: datetime
    action: Literal["created", "transition", "escalated"]
    from_status: TicketStatus | None = Field(alias="from")
    to_status: TicketStatus | None = Field(alias="to")
    actor: str | None
    note: str | None


class TicketDetailOut(TicketOut):
    timeline: list[TicketEventOut]


class TicketListOut(Closed):
    items: list[TicketOut]
    count: int = Field(description="all tickets that match, not just this page")
    next: str | None = Field(description="the cursor of the next page, or null on the last")


class TicketSavedOut(Closed):
    id: int
    external_id: str
    grid_id: str | None = Field(description="null outside every grid: accepted and flagged")
    department: Department
    status: TicketStatus
    contact_due: datetime
    close_due: datetime
    created: bool


class OrderTicketOut(Closed):
    """A ticket that names a repair order, as listed on the order."""
    id: int
    kind: TicketKind
    status: TicketStatus
    subject: str
    level: int
    overdue: bool
    received_at: datetime


class TicketItemOut(Closed):
    index: int
    status: Literal[200, 201]
    id: int
    external_id: str
    grid_id: str | None
    department: Department
    ticket_status: TicketStatus
    contact_due: datetime
    close_due: datetime
    created: bool


class TicketItemRejectedOut(Closed):
    index: int
    status: Literal[409, 422]
    error: ErrorBodyOut


class TicketBatchOut(Closed):
    results: list[TicketItemOut | TicketItemRejectedOut]
