"""JSON views of stored entities: the one shape used by REST answers, snapshots and pushed changes."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from sqlalchemy import Row

from dashboard.domain import OUTAGE_UNDER_WAY, OutageStatus
from dashboard.events import Change
from dashboard.models import Crew, Outage, Seat, WorkOrder
from dashboard.services.planned_notice import notice_ok, notice_rule
from dashboard.timeutil import iso


def _same(value: Any) -> Any:
    return value


def _coord(value: float) -> float:
    return round(value, 6)


# Every field of a work order's view and how it is formatted; a snapshot may ask for some of them only.
_ORDER_FORMATS: dict[str, Callable[[Any], Any]] = {
    "id": _same, "status": _same, "version": _same, "category": _same, "priority": _same, "channel": _same,
    "grid_id": _same, "district": _same, "area_class": _same, "outside_grid": _same, "needs_screening": _same,
    "lon": _coord, "lat": _coord, "address": _same, "customers_affected": _same, "sensitive": _same,
    "report_count": _same, "crew_id": _same, "merged_into": _same, "outage_id": _same, "reported_at": iso, "arrival_due": iso,
    "restore_due": iso, "due_at": iso, "level": _same, "overdue": _same,
    "dispatched_at": iso, "arrived_at": iso, "restored_at": iso, "closed_at": iso, "updated_at": iso,
}
WORKORDER_FIELDS: tuple[str, ...] = tuple(_ORDER_FORMATS)


def workorder_view(wo: WorkOrder | Row, fields: Sequence[str] = WORKORDER_FIELDS) -> dict[str, Any]:
    """`wo` may be a mapped WorkOrder or a row of its table's columns (at least `fields`)."""
    return {f: _ORDER_FORMATS[f](getattr(wo, f)) for f in fields}


def crew_view(crew: Crew) -> dict[str, Any]:
    return {
        "id": crew.id, "name": crew.name, "team": crew.team, "skills": list(crew.skills or []),
        "members": crew.members, "phone": crew.phone, "base_grid_id": crew.base_grid_id, "on_duty": crew.on_duty,
        "status": crew.status, "workorder_id": crew.workorder_id,
        "lon": None if crew.lon is None else round(crew.lon, 6),
        "lat": None if crew.lat is None else round(crew.lat, 6), "grid_id": crew.grid_id,
        "position_at": iso(crew.position_at), "speed_kmh": crew.speed_kmh, "heading": crew.heading,
    }


def outage_view(outage: Outage) -> dict[str, Any]:
    planned = outage.kind == "planned"
    return {
        "id": outage.id, "external_id": outage.external_id, "kind": outage.kind, "status": outage.status,
        "source": outage.source, "device_id": outage.device_id, "device_kind": outage.device_kind,
        "lon": None if outage.lon is None else round(outage.lon, 6),
        "lat": None if outage.lat is None else round(outage.lat, 6),
        "grid_ids": list(outage.grid_ids), "districts": list(outage.districts), "geometry": outage.geometry,
        "start": iso(outage.start), "etr": iso(outage.etr), "etr_basis": outage.etr_basis, "end": iso(outage.end),
        "active": outage.status in OUTAGE_UNDER_WAY, "locked": outage.locked, "covered_by": outage.covered_by,
        "workorder_id": outage.workorder_id, "calls": outage.calls or 0, "reason": outage.reason,
        "customers_affected": outage.customers_affected, "sensitive_customers": outage.sensitive_customers,
        "care_customers": outage.care_customers or 0, "cause": outage.cause, "notified_at": iso(outage.notified_at),
        "notice_ok": notice_ok(outage.maintenance, outage.start, outage.notified_at) if planned else None,
        "maintenance": (outage.maintenance or "scheduled") if planned else None,
        "notice_rule": notice_rule(outage.maintenance)[0] if planned else None,
        "device_ids": list(outage.device_ids or []),
    }


def seat_view(seat: Seat) -> dict[str, Any]:
    return {"id": seat.id, "agent": seat.agent, "group": seat.group, "state": seat.state, "since": iso(seat.since)}


def _districts(*names: str | None) -> tuple[str, ...]:
    return tuple(n for n in names if n)


def workorder_change(wo: WorkOrder) -> Change:
    return Change("workorder", "upsert", str(wo.id), workorder_view(wo), _districts(wo.district))


def crew_change(crew: Crew, district: str | None) -> Change:
    return Change("crew", "upsert", crew.id, crew_view(crew), _districts(district))


def outage_change(outage: Outage) -> Change:
    """Under way or scheduled: upsert (a scheduled one says `active: false`); restored or merged: remove."""
    if outage.status not in OUTAGE_UNDER_WAY and outage.status != OutageStatus.scheduled:
        return Change("outage", "remove", str(outage.id), outage_view(outage), tuple(outage.districts))
    return Change("outage", "upsert", str(outage.id), outage_view(outage), tuple(outage.districts))


def seat_change(seat: Seat) -> Change:
    return Change("seat", "upsert", seat.id, seat_view(seat))
