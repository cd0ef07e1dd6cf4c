"""Answers about callbacks (回访): a task, its attempts, a page of tasks, an attempt recorded."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from dashboard.api.answers.common import Closed
from dashboard.domain import CallbackResult, CallbackStatus


class CallbackAttemptOut(Closed):
    id: int
    at: datetime = Field(description="when the call was made")
    result: CallbackResult
    note: str | None
    actor: str = Field(description="the dispatcher's user name, or the platform token's name")
    external_id: str | None = Field(description="the platform's idempotency key, when it posted the attempt")


class CallbackOut(Closed):
    id: int
    subject_kind: Literal["workorder", "ticket"]
    subject_id: int
    status: CallbackStatus = Field(description="pending; done (the customer was reached); unreachable (not reached "
                                   "three times)")
    result: Literal["satisfied", "not_satisfied"] | None = Field(description="what the reached customer said")
    opened_at: datetime = Field(description="when the order was restored (or the ticket closed)")
    due_at: datetime = Field(description="opened_at plus the callback window (24 h by default)")
    closed_at: datetime | None = Field(description="when it became done or unreachable")
    attempt_count: int = Field(ge=0)
    customer_name: str | None
    phone: str | None = Field(description="whom to ring: from the order's first report that left one")
    district: str | None


class CallbackDetailOut(CallbackOut):
    attempts: list[CallbackAttemptOut] = Field(description="oldest first")


class CallbackListOut(Closed):
    items: list[CallbackOut]
    count: int = Field(description="all tasks that match, not just this page")
    next: str | None = Field(description="the cursor of the next page, or null on the last")


class CallbackAttemptSavedOut(CallbackDetailOut):
    attempt: CallbackAttemptOut = Field(description="the attempt this request recorded (or, replayed, recorded "
                                        "before)")
    created: bool = Field(description="false: the same external_id and content was recorded before")
