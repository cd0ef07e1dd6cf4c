"""The wall's state at an instant as the fold of the event log's changes up to it: pure, no database, no clock."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from dashboard.domain import OPEN_STATUSES, OUTAGE_UNDER_WAY, OutageStatus
from dashboard.timeutil import iso

# kind -> id -> the entity's last state (the change's `data`)
State = dict[str, dict[str, Any]]
UPCOMING = timedelta(hours=24)  # as the live snapshot's planned outages (services/outages.py)
_OPEN = frozenset(s.value for s in OPEN_STATUSES)
_UNDER_WAY = frozenset(s.value for s in OUTAGE_UNDER_WAY)


def fold(changes: Iterable[Mapping[str, Any]], state: State | None = None) -> State:
    """Apply changes ({kind, op, id, data}) in order: an upsert replaces the entity, a remove deletes it.
    `state` is updated in place and returned (a new one when None), so a replay folds batch after batch."""
    state = {} if state is None else state
    for c in changes:
        entities = state.setdefault(c["kind"], {})
        key = str(c["id"])
        if c["op"] == "remove":
            entities.pop(key, None)
        else:
            entities[key] = c["data"]
    return state


def _by_id(entities: Mapping[str, Any]) -> list[Any]:
    # Numeric ids in numeric order (as the live snapshot's ORDER BY id), others as text.
    return [entities[k] for k in sorted(entities, key=lambda k: (0, int(k), "") if k.isdigit() else (1, 0, k))]


def figures(state: State) -> dict[str, Any]:
    """The KPI tiles a replay can tell from its state alone (today's rates need the tables; they stay blank)."""
    orders = [o for o in state.get("workorder", {}).values() if o and o.get("status") in _OPEN]
    outages = [o for o in state.get("outage", {}).values() if o and o.get("status") in _UNDER_WAY]
    crews = [c for c in state.get("crew", {}).values() if c]
    return {"open": len(orders), "overdue": sum(1 for o in orders if o.get("overdue")),
            "customers_out": sum(o.get("customers_affected") or 0 for o in outages),
            "crews_available": sum(1 for c in crews if c.get("on_duty") and c.get("status") == "available"),
            "crews_busy": sum(1 for c in crews if c.get("on_duty") and c.get("status") not in ("available", None)),
            "replay": True}


def snapshot(state: State, at: datetime, seq: int, order_fields: Sequence[str] | None = None) -> dict[str, Any]:
    """The state in the live snapshot's shape (services/snapshot.py), as the wall's state code takes it."""
    orders = [o for o in _by_id(state.get("workorder", {})) if o and o.get("status") in _OPEN]
    if order_fields:
        orders = [{f: o.get(f) for f in order_fields} for o in orders]
    outages = [o for o in _by_id(state.get("outage", {})) if o]
    horizon = iso(at + UPCOMING)
    upcoming = sorted((o for o in outages if o.get("status") == OutageStatus.scheduled.value
                       and ((o.get("start") or "") <= horizon or o.get("notice_ok") is False)),
                      key=lambda o: (o.get("start") or "", o.get("id") or 0))
    return {"seq": seq, "generated_at": iso(at), "replay_at": iso(at), "workorders": orders,
            "crews": [c for c in _by_id(state.get("crew", {})) if c],
            "outages": [o for o in outages if o.get("status") in _UNDER_WAY], "upcoming": upcoming,
            "seats": [s for s in _by_id(state.get("seat", {})) if s],
            "queues": [q for q in _by_id(state.get("queue", {})) if q], "kpis": figures(state)}
