"""Answers about the people told and the notices: grid contacts, the notices' history."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from dashboard.api.answers.common import Closed


class ContactOut(Closed):
    name: str
    phone: str = Field(description="digits only: 13812345678, 01012345678")
    email: str | None


class LiaisonOut(ContactOut):
    village: str | None


class GridContactsOut(Closed):
    grid_id: str
    manager: ContactOut | None = Field(description="网格经理; null while none is set")
    liaisons: list[LiaisonOut] = Field(description="电力联络员")
    updated_at: datetime | None


class NotifiedOut(Closed):
    role: Literal["manager", "liaison", "customer"]
    name: str
    phone: str


class NotificationOut(Closed):
    id: int
    notice_id: str = Field(description="the idempotency key: the same on every retry, on every channel")
    channel: str = Field(description="webhook, wecom, smtp, log (webhook-2 for a second webhook); customer-webhook, "
                         "customer-log for customers")
    event: Literal["outage_opened", "outage_etr", "outage_restored", "escalation", "customer_outage", "customer_etr",
                   "customer_restored", "customer_planned"]
    subject: Literal["outage", "workorder", "ticket"]
    outage_id: int | None
    workorder_id: int | None
    ticket_id: int | None = Field(description="the service ticket of an escalation notice (subject ticket)")
    grid_id: str | None
    recipients: list[NotifiedOut]
    text: str
    status: Literal["pending", "sent", "dead"]
    attempts: int = Field(ge=0)
    queued_at: datetime
    last_attempt_at: datetime | None
    sent_at: datetime | None
    next_at: datetime | None = Field(description="when a pending notice is tried (again); null otherwise")
    last_error: str | None


class NotificationsOut(Closed):
    items: list[NotificationOut]
    next: str | None = Field(description="the cursor of the next (older) page, or null on the last")


class CareCustomerOut(Closed):
    customer_id: str
    name: str | None
    phone: str | None
    address: str | None
    care: Literal["vulnerable", "important", "life_support"]
    transformer_id: str


class CareCustomersOut(Closed):
    outage_id: int
    kind: Literal["planned", "unplanned"]
    device_ids: list[str] = Field(description="the devices whose customers these are (a planned outage's device_ids, "
                                  "an unplanned one's device); empty for an area only")
    items: list[CareCustomerOut] = Field(description="care customers below them, to be phoned")
