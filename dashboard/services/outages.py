"""Outages (停电) from the automation and planning systems: areas by grid ids or polygon, ETR, restoration."""
from __future__ import annotations

from datetime import datetime, timedelta

import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.domain import MAX_REPORT_AGE, OPEN_STATUSES, OUTAGE_UNDER_WAY, OrderStatus, OutageKind, OutageStatus
from dashboard.errors import Conflict, Invalid, NotFound
from dashboard.events import Change, EventBus
from dashboard.fingerprint import content_hash
from dashboard.models import Outage, WorkOrder
from dashboard.network.tree import Network
from dashboard.services.audit import SYSTEM, Actor
from dashboard.services.outage_follow import end_outage
from dashboard.services.workorders import DEFAULT_LIMITS, restore_order
from dashboard.time_limits import TimeLimits
from dashboard.schemas import OutageIn, OutagePatchIn
from dashboard.services.changes import commit_and_publish
from dashboard.services.grid_catalog import GridCatalog
from dashboard.views import outage_change, outage_view

UPCOMING = timedelta(hours=24)  # how far ahead the wall shows planned outages
_UNDER_WAY = [s.value for s in OUTAGE_UNDER_WAY]


def _area(catalog: GridCatalog, body: OutageIn) -> tuple[list[str], dict | None]:
    if body.geometry is None:
        unknown = [g for g in body.grid_ids or [] if g not in catalog.info]
        if unknown:
            raise Invalid(f"unknown grid id(s): {', '.join(unknown[:10])}",
                          details=[{"field": "grid_ids", "message": "no such grid"}])
        return sorted(set(body.grid_ids or [])), None
    # The schema has checked the shape, depth, ranges and size (schemas.Geometry); what is left is topology.
    geom = shape(body.geometry.model_dump())
    if geom.is_empty:
        raise Invalid("geometry is empty", details=[{"field": "geometry", "message": "no area"}])
    if not geom.is_valid:
        raise Invalid("geometry is invalid", details=[{"field": "geometry",
                                                       "message": shapely.is_valid_reason(geom)}])
    grid_ids = catalog.index.grids_intersecting(geom)
    if body.grid_ids:
        grid_ids = sorted(set(grid_ids) | set(body.grid_ids))
    return grid_ids, mapping(geom)


def _devices(network: Network | None, body: OutageIn) -> list[str] | None:
    """A planned outage's devices, each one known to the network (422 naming the unknown ones)."""
    if body.device_ids is None:
        return None
    known = network.devices if network is not None else {}
    unknown = [d for d in body.device_ids if d not in known]
    if unknown:
        raise Invalid(f"unknown device id(s): {', '.join(unknown[:10])}",
                      details=[{"field": "device_ids", "message": "not in the network"}])
    return list(dict.fromkeys(body.device_ids))


def create_outage(session: Session, bus: EventBus, catalog: GridCatalog, body: OutageIn,
                  now: datetime, network: Network | None = None,
                  max_age: timedelta = MAX_REPORT_AGE) -> tuple[dict, bool]:
    """`network`: the devices a planned outage's `device_ids` must name (its customers are told; see
    dashboard/notify/customer_outbox.py). A late notice is accepted and flagged (`notice_ok: false`). A start
    older than `max_age` is refused like a stale report: every day since would count in reliability."""
    digest = content_hash(body)
    existing = session.scalar(select(Outage).where(Outage.external_id == body.external_id))
    if existing is not None:
        if existing.content_hash != digest:
            raise Conflict(f"outage {body.external_id!r} exists with other content; PATCH it",
                           code="idempotency_conflict")
        return outage_view(existing), False
    if body.start < now - max_age:
        raise Invalid(f"start is older than {max_age}", details=[
            {"field": "start", "message": f"older than the accepted {max_age}"}])
    grid_ids, geometry = _area(catalog, body)
    devices = _devices(network, body)
    districts = sorted({catalog.info[g].district for g in grid_ids if g in catalog.info})
    planned = body.kind == OutageKind.planned
    status = (OutageStatus.scheduled if body.start > now else OutageStatus.active) if planned else OutageStatus.confirmed
    outage = Outage(external_id=body.external_id, content_hash=digest, kind=body.kind, grid_ids=grid_ids,
                    status=status, source="planned" if planned else "reported", locked=True, calls=0,
                    care_customers=body.sensitive_customers,
                    geometry=geometry, districts=districts, start=body.start, etr=body.etr,
                    customers_affected=body.customers_affected, sensitive_customers=body.sensitive_customers,
                    cause=body.cause, notified_at=body.notified_at, updated_at=now,
                    maintenance=body.maintenance.value if body.maintenance else None, device_ids=devices)
    session.add(outage)
    session.flush()
    commit_and_publish(session, bus, [outage_change(outage)], now)
    return outage_view(outage), True


def patch_outage(session: Session, bus: EventBus, outage_id: int, body: OutagePatchIn, now: datetime,
                 by: Actor = SYSTEM, catalog: GridCatalog | None = None, limits: TimeLimits = DEFAULT_LIMITS) -> dict:
    outage = session.scalar(select(Outage).where(Outage.id == outage_id).with_for_update())
    if outage is None:
        raise NotFound(f"outage {outage_id} not found")
    if outage.status in (OutageStatus.restored, OutageStatus.merged):
        raise Conflict(f"outage {outage_id} is {outage.status}", code="outage_ended")
    fields = body.model_fields_set
    if "end" in fields and body.end is not None and body.end < outage.start:
        raise Invalid("end is before start", details=[{"field": "end", "message": "before start"}])
    if "etr" in fields:
        outage.etr = body.etr
        outage.etr_basis = f"set by {by.name}" if body.etr else None
    if "customers_affected" in fields and body.customers_affected is not None:
        outage.customers_affected = body.customers_affected
    changes = []
    if "end" in fields and body.end is not None:
        changes = restore_outage(session, outage, body.end, now, by, catalog, limits)
    outage.updated_at = now
    commit_and_publish(session, bus, [outage_change(outage)] + changes, now)
    return outage_view(outage)


def active_outages(session: Session) -> list[dict]:
    """The outages under way: blacking customers out now."""
    return [outage_view(o) for o in session.scalars(select(Outage).where(Outage.status.in_(_UNDER_WAY))
                                                    .order_by(Outage.id))]


def list_outages(session: Session, statuses: tuple[str, ...] | None = None) -> list[dict]:
    """Outages of the statuses asked for (under way by default), newest first; at most the last 1000."""
    wanted = list(statuses) if statuses else _UNDER_WAY
    return [outage_view(o) for o in session.scalars(select(Outage).where(Outage.status.in_(wanted))
                                                    .order_by(Outage.id.desc()).limit(1000))]


def scheduled_outages(session: Session, now: datetime, within: timedelta = UPCOMING) -> list[dict]:
    """Planned outages that start within `within`: shown apart, counted nowhere else. Those further ahead whose
    notice was late come too (a handful): the wall alarms them until they end."""
    soon = [outage_view(o) for o in session.scalars(
        select(Outage).where(Outage.status == OutageStatus.scheduled, Outage.start <= now + within)
        .order_by(Outage.start, Outage.id))]
    later = [v for v in (outage_view(o) for o in session.scalars(
        select(Outage).where(Outage.status == OutageStatus.scheduled, Outage.start > now + within)
        .order_by(Outage.start, Outage.id).limit(500))) if v["notice_ok"] is False]
    return soon + later


def start_due(session: Session, bus: EventBus, now: datetime) -> int:
    """Planned outages whose start has come become active (run by the sweep)."""
    due = session.scalars(select(Outage).where(Outage.status == OutageStatus.scheduled, Outage.start <= now)
                          .limit(500)).all()
    for outage in due:
        outage.status = OutageStatus.active
        outage.updated_at = now
    if due:
        commit_and_publish(session, bus, [outage_change(o) for o in due], now)
    return len(due)


def restore_outage(session: Session, outage: Outage, end: datetime, now: datetime, by: Actor,
                   catalog: GridCatalog | None, limits: TimeLimits = DEFAULT_LIMITS) -> list[Change]:
    """Power is back: the outage ends, and so does the crew work of its order (复电), in the caller's
    transaction. Outages it covered count on their own again."""
    end_outage(session, outage, end, now, by)
    order = session.get(WorkOrder, outage.workorder_id) if outage.workorder_id else None
    if order is None or OrderStatus(order.status) not in OPEN_STATUSES:
        return []
    return restore_order(session, order, outage.end, now, by, catalog, f"outage {outage.id} restored", limits)
