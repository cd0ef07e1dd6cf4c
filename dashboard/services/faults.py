"""Fault report ingest: idempotent on external_id, located in a grid, grouped into work orders (研判)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard.domain import (ARRIVAL_LIMIT, DEFAULT_AREA_CLASS, GROUPABLE, OPEN_STATUSES, PRIORITY_RANK,
                              SCREEN_FIRST, AreaClass, OrderStatus, Priority)
from dashboard.errors import Conflict, Invalid
from dashboard.events import Change, EventBus
from dashboard.models import FaultReport, WorkOrder, WorkOrderEvent
from dashboard.schemas import FaultIn
from dashboard.services.batch import validation_error
from dashboard.services.changes import commit_and_publish
from dashboard.services.grid_catalog import GridCatalog
from dashboard.views import workorder_change
from geo.crs import to_wgs84
from geo.distance import haversine_km

GROUP_RADIUS_KM = 1.0
GROUP_WINDOW = timedelta(hours=2)
FUTURE_TOLERANCE = timedelta(minutes=10)


@dataclass
class FaultResult:
    id: int
    external_id: str
    grid_id: str | None
    workorder_id: int
    status: str
    created: bool

    def as_dict(self) -> dict:
        return {"id": self.id, "external_id": self.external_id, "grid_id": self.grid_id,
                "workorder_id": self.workorder_id, "status": self.status, "created": self.created}


def content_hash(fault: FaultIn) -> str:
    return hashlib.sha256(json.dumps(fault.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def ingest_fault(session: Session, bus: EventBus, catalog: GridCatalog, fault: FaultIn,
                 now: datetime) -> FaultResult:
    """Store one report and commit; raises Conflict on a reused external_id with other content."""
    result, changes = _store_once(session, catalog, fault, now)
    commit_and_publish(session, bus, changes, now)
    return result


def ingest_faults(session: Session, bus: EventBus, catalog: GridCatalog, items: list, now: datetime) -> list[dict]:
    """A batch: every good item is stored (one commit), every bad one is reported with its index."""
    results: list[dict] = []
    changes: dict[str, Change] = {}
    for index, raw in enumerate(items):
        try:
            fault = FaultIn.model_validate(raw)
            result, item_changes = _store_once(session, catalog, fault, now)
        except ValidationError as exc:
            results.append({"index": index, "status": 422, "error": validation_error(exc)})
            continue
        except (Conflict, Invalid) as exc:
            results.append({"index": index, "status": exc.status,
                            "error": {"code": exc.code, "message": exc.message, "details": exc.details}})
            continue
        for change in item_changes:
            changes[change.id] = change  # several items of one order: its last state only
        # "status" of a batch item is its HTTP-like code; the order's state moves to "workorder_status".
        item = result.as_dict()
        item["workorder_status"] = item.pop("status")
        results.append({"index": index, "status": 201 if result.created else 200} | item)
    commit_and_publish(session, bus, list(changes.values()), now)
    return results


def _store_once(session: Session, catalog: GridCatalog, fault: FaultIn, now: datetime) -> tuple[FaultResult, list]:
    """In a savepoint, so a failed item leaves the rest of a batch intact. A unique-key race with another
    writer (PostgreSQL) is retried once: the second try finds the stored report and replays it."""
    for attempt in range(2):
        try:
            with session.begin_nested():
                return _store(session, catalog, fault, now)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _store(session: Session, catalog: GridCatalog, fault: FaultIn, now: datetime) -> tuple[FaultResult, list]:
    if fault.reported_at > now + FUTURE_TOLERANCE:
        raise Invalid("reported_at is in the future", details=[{"field": "reported_at",
                                                                 "message": "later than the server clock"}])
    digest = content_hash(fault)
    existing = session.scalar(select(FaultReport).where(FaultReport.external_id == fault.external_id))
    if existing is not None:
        return _replay(session, existing, digest), []
    lon, lat = (float(v) for v in to_wgs84(fault.lon, fault.lat, fault.crs))
    grid_id = catalog.index.locate_point(lon, lat)
    info = catalog.info.get(grid_id) if grid_id else None
    report = FaultReport(
        external_id=fault.external_id, content_hash=digest, reported_at=fault.reported_at, received_at=now,
        lon=lon, lat=lat, crs=fault.crs, category=fault.category, priority=_priority(fault), channel=fault.channel,
        customer_id=fault.customer_id, customer_name=fault.customer_name, phone=fault.phone,
        address=fault.address, description=fault.description, customers_affected=fault.customers_affected,
        sensitive=fault.sensitive, grid_id=grid_id)
    order = _find_group(session, report) if grid_id and fault.category in GROUPABLE else None
    if order is None:
        order = _new_order(session, report, info, now)
    else:
        _link(session, order, report, now)
    report.workorder_id = order.id
    session.add(report)
    session.flush()
    result = FaultResult(report.id, report.external_id, grid_id, order.id, order.status, True)
    return result, [workorder_change(order)]


def _replay(session: Session, existing: FaultReport, digest: str) -> FaultResult:
    if existing.content_hash != digest:
        raise Conflict(f"external_id {existing.external_id!r} was already used for a different report",
                       code="idempotency_conflict")
    order = session.get(WorkOrder, existing.workorder_id)
    return FaultResult(existing.id, existing.external_id, existing.grid_id, existing.workorder_id,
                       order.status if order else "unknown", False)


def _priority(fault: FaultIn) -> str:
    # Vulnerable or important customers raise an order to at least "high".
    if fault.sensitive and PRIORITY_RANK[fault.priority] > PRIORITY_RANK[Priority.high]:
        return Priority.high
    return fault.priority


def _find_group(session: Session, report: FaultReport) -> WorkOrder | None:
    """An open order in the same grid, of a groupable category, near in space and time: the same outage."""
    candidates = session.scalars(
        select(WorkOrder).where(WorkOrder.grid_id == report.grid_id,
                                WorkOrder.status.in_([s.value for s in OPEN_STATUSES]),
                                WorkOrder.category.in_([c.value for c in GROUPABLE]),
                                WorkOrder.reported_at >= report.reported_at - GROUP_WINDOW)).all()
    best, best_km = None, GROUP_RADIUS_KM
    for order in candidates:
        km = float(haversine_km(order.lon, order.lat, report.lon, report.lat))
        if km <= best_km:
            best, best_km = order, km
    return best


def _new_order(session: Session, report: FaultReport, info, now: datetime) -> WorkOrder:
    area_class = AreaClass(info.area_class) if info else DEFAULT_AREA_CLASS
    order = WorkOrder(
        status=OrderStatus.received, version=1, category=report.category, priority=report.priority,
        channel=report.channel, grid_id=report.grid_id, district=info.district if info else None,
        area_class=area_class, outside_grid=report.grid_id is None,
        needs_screening=report.category in SCREEN_FIRST, lon=report.lon, lat=report.lat, address=report.address,
        customers_affected=report.customers_affected, sensitive=report.sensitive, report_count=1,
        reported_at=report.reported_at, arrival_due=report.reported_at + ARRIVAL_LIMIT[area_class],
        updated_at=now)
    session.add(order)
    session.flush()
    session.add(WorkOrderEvent(workorder_id=order.id, at=now, action="created", to_status=order.status,
                               actor="ingest", note=f"report {report.external_id}"))
    return order


def _link(session: Session, order: WorkOrder, report: FaultReport, now: datetime) -> None:
    order.report_count += 1
    order.customers_affected = max(order.customers_affected, report.customers_affected)
    order.sensitive = order.sensitive or report.sensitive
    if PRIORITY_RANK[report.priority] < PRIORITY_RANK[order.priority]:
        order.priority = report.priority
    if report.reported_at < order.reported_at:
        order.reported_at = report.reported_at
        order.arrival_due = report.reported_at + ARRIVAL_LIMIT[AreaClass(order.area_class)]
    order.version += 1
    order.updated_at = now
    session.add(WorkOrderEvent(workorder_id=order.id, at=now, action="link", actor="ingest",
                               note=f"report {report.external_id}"))
