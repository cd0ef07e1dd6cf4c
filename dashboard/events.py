"""Change events and the EventBus port that services publish to after they commit."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

KINDS = ("workorder", "crew", "outage", "seat", "queue", "kpi", "ticket")
OPS = ("upsert", "remove")


@dataclass(frozen=True)
class Change:
    """One entity's new state. `districts` routes it to district subscribers and is never sent to clients;
    empty means "not district-specific" (seats, queues, KPIs), which every subscriber receives."""

    kind: str
    op: str
    id: str
    data: dict[str, Any] | None
    districts: tuple[str, ...] = field(default=())

    def public(self) -> dict[str, Any]:
        return {"kind": self.kind, "op": self.op, "id": self.id, "data": self.data}

    def to_wire(self) -> dict[str, Any]:
        return self.public() | {"districts": list(self.districts)}

    @classmethod
    def from_wire(cls, raw: dict[str, Any]) -> "Change":
        return cls(raw["kind"], raw["op"], str(raw["id"]), raw.get("data"), tuple(raw.get("districts") or ()))


ChangeHandler = Callable[[Sequence[Change]], None]


class EventBus(Protocol):
    """Carries committed changes to every server process, and keeps the stream's shared sequence number."""

    def publish(self, changes: Sequence[Change]) -> None:
        """Best effort after commit: the database is the truth, a lost publish is healed by a snapshot."""

    def subscribe(self, handler: ChangeHandler) -> None: ...

    def next_seq(self) -> int: ...

    def current_seq(self) -> int: ...

    def skip_seq(self) -> None:
        """Advance seq without an update, so that every client sees a gap and resyncs from a snapshot."""

    def is_leader(self) -> bool:
        """True in the one process that should emit `update`s for the whole stream."""

    def register_route(self, key: str) -> None:
        """Remember a district-subscription room so that the emitting process serves it too."""

    def unregister_route(self, key: str) -> None:
        """The last client of this process in that room has left."""

    def routes(self) -> set[str]:
        """Every process's routes that are alive: a process that died takes its routes with it."""

    def health(self) -> dict[str, Any]: ...

    def close(self) -> None: ...
