"""JSON views of stored entities: the one shape used by REST answers, snapshots and pushed changes."""
from __future__ import annotations

from typing import Any

from dashboard.events import Change
from dashboard.models import Crew, Outage, Seat, WorkOrder
from dashboard.timeutil import iso


def workorder_view(wo: WorkOrder) -> dict[str, Any]:
    return {
        "id": wo.id, "status": wo.status, "version": wo.version, "category": wo.category,
        "priority": wo.priority, "channel": wo.channel, "grid_id": wo.grid_id, "district": wo.district,
        "area_class": wo.area_class, "outside_grid": wo.outside_grid, "needs_screening": wo.needs_screening,
        "lon": round(wo.lon, 6), "lat": round(wo.lat, 6), "address": wo.address,
        "customers_affected": wo.customers_affected, "sensitive": wo.sensitive, "report_count": wo.report_count,
        "crew_id": wo.crew_id, "merged_into": wo.merged_into, "reported_at": iso(wo.reported_at),
        "arrival_due": iso(wo.arrival_due), "dispatched_at": iso(wo.dispatched_at),
        "arrived_at": iso(wo.arrived_at), "restored_at": iso(wo.restored_at), "closed_at": iso(wo.closed_at),
        "updated_at": iso(wo.updated_at),
    }


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
    return {
        "id": outage.id, "external_id": outage.external_id, "kind": outage.kind, "grid_ids": list(outage.grid_ids),
        "districts": list(outage.districts), "geometry": outage.geometry, "start": iso(outage.start),
        "etr": iso(outage.etr), "end": iso(outage.end), "active": outage.end is None,
        "customers_affected": outage.customers_affected, "sensitive_customers": outage.sensitive_customers,
        "cause": outage.cause, "notified_at": iso(outage.notified_at),
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
    if outage.end is not None:
        return Change("outage", "remove", str(outage.id), outage_view(outage), tuple(outage.districts))
    return Change("outage", "upsert", str(outage.id), outage_view(outage), tuple(outage.districts))


def seat_change(seat: Seat) -> Change:
    return Change("seat", "upsert", seat.id, seat_view(seat))
