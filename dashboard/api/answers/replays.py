"""Answers of the replay routes (docs/replay.md). Entities are as the event log recorded them, in whatever shape
they had then, so a replayed snapshot types its lists loosely."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from dashboard.api.answers.common import Closed


class ReplayOut(Closed):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str
    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")
    speed: float
    status: Literal["starting", "playing", "paused", "done", "stopped", "failed"]
    position: datetime = Field(description="the replay's clock: how far into the period it has played")
    seq: int
    changes_sent: int
    created_by: str
    created_at: datetime | None


class RecordingOut(Closed):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    name: str
    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")
    events: int


class ReplaysOut(Closed):
    replays: list[ReplayOut]
    recordings: list[RecordingOut] = Field(description="recorded periods ready to play (the demo's storm)")


class ReplayFiguresOut(Closed):
    open: int
    overdue: int
    customers_out: int
    crews_available: int
    crews_busy: int
    replay: Literal[True]


class ReplaySnapshotOut(Closed):
    seq: int
    generated_at: datetime
    replay_at: datetime
    workorders: list[dict[str, Any]]
    crews: list[dict[str, Any]]
    outages: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
    seats: list[dict[str, Any]]
    queues: list[dict[str, Any]]
    kpis: ReplayFiguresOut
    replay: ReplayOut


class ReplayUpdateOut(Closed):
    seq: int
    at: datetime
    changes: list[dict[str, Any]]
    replay: str


class ReplayUpdatesOut(Closed):
    updates: list[ReplayUpdateOut]
