"""Answers of the ingest endpoints: a report, a batch of reports, the other batches."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from dashboard.api.answers.common import ABSENT, Closed, ErrorBodyOut, ErrorDetailOut
from dashboard.domain import OrderStatus


class FaultOut(Closed):
    id: int
    external_id: str
    grid_id: str | None = Field(description="null outside every grid: accepted and flagged")
    workorder_id: int | None = Field(description="null under a known outage that sends no crew (planned, switching)")
    status: OrderStatus | Literal["known_outage"] = Field(description="the work order's status")
    created: bool
    outage_id: int = ABSENT  # the outage the call was linked to (研判), when it was


class FaultItemOut(Closed):
    index: int
    status: Literal[200, 201]
    id: int
    external_id: str
    grid_id: str | None
    workorder_id: int | None
    workorder_status: OrderStatus | Literal["known_outage"]
    created: bool
    outage_id: int = ABSENT


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
