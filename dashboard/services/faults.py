"""Fault report ingest: idempotent on external_id, located in a grid, grouped into work orders (研判)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard.domain import (GROUPABLE, MAX_REPORT_AGE, OPEN_STATUSES)
from dashboard.errors import Conflict, Invalid, ServiceError
from dashboard.events import Change, EventBus
from dashboard.fingerprint import content_hash
from dashboard.models import FaultReport, WorkOrder, WorkOrderEvent
from dashboard.schemas import FaultIn
from dashboard.services.batch import validation_error
from dashboard.services.changes import commit_and_publish
from dashboard.services.escalation import escalation_note, refresh
from dashboard.services.grid_catalog import GridCatalog
from dashboard.services.judgement import (Judging, customers_of, locate, located_note, place_call,
                                          screening_reason)
from dashboard.services.new_orders import link_report, open_order, report_priority
from dashboard.services.planned_areas import PlannedArea, link_to_planned, planned_areas
from dashboard.time_limits import TimeLimits
from dashboard.views import outage_change, workorder_change
from geo.crs import to_wgs84
from geo.distance import haversine_km

GROUP_RADIUS_KM = 1.0
GROUP_WINDOW = timedelta(hours=2)
FUTURE_TOLERANCE = timedelta(minutes=10)
DEFAULT_LIMITS = TimeLimits()
_IN_CHUNK = 500  # bound the IN (...) list of one lookup
KNOWN_OUTAGE = "known_outage"  # the status answered for a call under an outage that sends no crew


@dataclass
class FaultResult:
    id: int
    external_id: str
    grid_id: str | None
    workorder_id: int | None  # None: under a known outage that needs no crew (planned, switching)
    status: str
    created: bool
    outage_id: int | None = None

    def as_dict(self) -> dict:
        # outage_id only when the call went under an outage: the contract's answer is otherwise as it was.
        return {"id": self.id, "external_id": self.external_id, "grid_id": self.grid_id,
                "workorder_id": self.workorder_id, "status": self.status, "created": self.created} | (
                    {"outage_id": self.outage_id} if self.outage_id is not None else {})


def ingest_fault(session: Session, bus: EventBus, catalog: GridCatalog, fault: FaultIn,
                 now: datetime, *, max_age: timedelta = MAX_REPORT_AGE,
                 limits: TimeLimits = DEFAULT_LIMITS, judging: Judging | None = None) -> FaultResult:
    """Store one report and commit; raises Conflict on a reused external_id with other content. With `judging`
    (a network is loaded) calls are judged on the network (研判); without, grouped by distance and time."""
    (outcome,) = _ingest(session, bus, catalog, [fault], now, max_age, limits, judging)
    if isinstance(outcome, ServiceError):
        raise outcome
    return outcome


def ingest_faults(session: Session, bus: EventBus, catalog: GridCatalog, items: list, now: datetime, *,
                  max_age: timedelta = MAX_REPORT_AGE, limits: TimeLimits = DEFAULT_LIMITS,
                  judging: Judging | None = None) -> list[dict]:
    """A batch: every good item is stored (one commit), every bad one is reported with its index."""
    results: dict[int, dict] = {}
    valid: list[tuple[int, FaultIn]] = []
    for index, raw in enumerate(items):
        try:
            valid.append((index, FaultIn.model_validate(raw)))
        except ValidationError as exc:
            results[index] = {"index": index, "status": 422, "error": validation_error(exc)}
    outcomes = _ingest(session, bus, catalog, [f for _, f in valid], now, max_age, limits, judging)
    for (index, _), outcome in zip(valid, outcomes):
        if isinstance(outcome, ServiceError):
            results[index] = {"index": index, "status": outcome.status,
                              "error": {"code": outcome.code, "message": outcome.message, "details": outcome.details}}
        else:
            # "status" of a batch item is its HTTP-like code; the order's state moves to "workorder_status".
            item = outcome.as_dict()
            item["workorder_status"] = item.pop("status")
            results[index] = {"index": index, "status": 201 if outcome.created else 200} | item
    return [results[i] for i in sorted(results)]


def _ingest(session: Session, bus: EventBus, catalog: GridCatalog, faults: list[FaultIn],
            now: datetime, max_age: timedelta, limits: TimeLimits,
            judging: Judging | None) -> list[FaultResult | ServiceError]:
    """All reports of a request in one transaction and one flush. A unique-key race with a concurrent writer
    (possible on PostgreSQL) rolls the attempt back; the retry then finds those reports and replays them."""
    for attempt in range(2):
        try:
            outcomes, orders, timeline, changes = _stage(session, catalog, faults, now, max_age, limits, judging)
            session.flush()
            _write_timeline(session, timeline, now)
        except IntegrityError:
            session.rollback()
            if attempt:
                raise
            continue
        results = [o if isinstance(o, ServiceError) else o() for o in outcomes]
        # Orders 研判 merged away are published as removed; the order a call went to, as it is now.
        gone = {c.id for c in changes if c.kind == "workorder"}
        commit_and_publish(session, bus, changes + [workorder_change(order) for order in orders.values()
                                                    if str(order.id) not in gone], now)
        return results
    raise AssertionError("unreachable")


def _stage(session: Session, catalog: GridCatalog, faults: list[FaultIn], now: datetime, max_age: timedelta,
           limits: TimeLimits, judging: Judging | None):
    """Add the new rows to the session; return per-report outcomes (results are callables, resolved after the
    flush has given the rows their ids), the orders that changed, their timeline entries (written in bulk once
    the orders have ids) and other changes to publish (outages, orders merged by 研判)."""
    stored = _existing(session, [f.external_id for f in faults])
    points = [to_wgs84(f.lon, f.lat, f.crs) for f in faults]
    grid_ids = catalog.index.locate_points([float(p[0]) for p in points], [float(p[1]) for p in points])
    customers = customers_of(session, [f.customer_id for f in faults if f.customer_id])
    outcomes: list = []
    orders: dict[int, WorkOrder] = {}
    staged: dict[str, tuple[str, FaultReport]] = {}
    timeline: list[tuple[WorkOrder, dict]] = []
    changes: list[Change] = []
    areas: list[PlannedArea] | None = None  # read at the first call that could be under one
    for fault, (lon, lat), grid_id in zip(faults, points, grid_ids):
        digest = content_hash(fault)
        if fault.reported_at > now + FUTURE_TOLERANCE:
            outcomes.append(Invalid("reported_at is in the future",
                                    details=[{"field": "reported_at", "message": "later than the server clock"}]))
            continue
        if fault.reported_at < now - max_age:
            outcomes.append(Invalid(f"reported_at is older than {max_age}", details=[
                {"field": "reported_at", "message": f"older than the accepted {max_age}"}]))
            continue
        known = stored.get(fault.external_id)
        if known is not None:
            outcomes.append(_replay(session, known, digest))
            continue
        if fault.external_id in staged:  # the same key twice in one batch
            first_digest, report = staged[fault.external_id]
            outcomes.append(_conflict(fault.external_id) if first_digest != digest else _result(report, False))
            continue
        report = _new_report(fault, digest, float(lon), float(lat), grid_id, now)
        customer = customers.get(fault.customer_id or "")
        report.screening = screening_reason(report, customer, fault.account_status)
        if report.screening is None and fault.category in GROUPABLE:
            areas = planned_areas(session) if areas is None else areas
            planned = link_to_planned(session, areas, report, now)
            if planned is not None:  # no power where the power is off on purpose: told, no crew
                changes.append(outage_change(planned))
                session.add(report)
                staged[fault.external_id] = (digest, report)
                outcomes.append(_result(report, True))
                continue
        if judging is not None and report.screening is None and fault.category in GROUPABLE:
            report.transformer_id, report.located_by = locate(judging, report, fault.transformer_id, customer)
            report.feeder_id = judging.network.feeder_of.get(report.transformer_id or "")
        if report.transformer_id is not None:
            order, entries = _judge(session, judging, report, fault, now, changes)
            timeline += entries
        else:
            order = _group_by_distance(session, catalog, report, now, limits, timeline)
        if order is not None:
            previous = order.level or 0
            if refresh(order, limits, now):  # reported late, or an earlier call moved its clock back
                timeline.append((order, {"action": "escalated", "to_status": None,
                                         "note": escalation_note("arrival", previous, order.level, order.overdue)}))
            orders[id(order)] = order
        session.add(report)
        staged[fault.external_id] = (digest, report)
        outcomes.append(_result(report, True))
    return outcomes, orders, timeline, changes


def _judge(session: Session, judging: Judging, report: FaultReport, fault: FaultIn, now: datetime,
           changes: list[Change]) -> tuple[WorkOrder | None, list[tuple[WorkOrder, dict]]]:
    """研判 on the network: the call needs an id before the engine can count it among the feeder's calls."""
    session.add(report)
    session.flush()
    placed = place_call(session, judging, report, now)
    changes += placed.changes
    where = located_note(report, fault.transformer_id)
    entries = [(o, e | {"note": f"{e['note']}; {where}"}) if i == 0 else (o, e)
               for i, (o, e) in enumerate(placed.timeline)]
    return placed.order, entries


def _group_by_distance(session: Session, catalog: GridCatalog, report: FaultReport, now: datetime,
                       limits: TimeLimits, timeline: list) -> WorkOrder:
    """No network to judge on: an open order near in space and time is the same outage, else a new order."""
    grid_id = report.grid_id
    order = (_find_group(session, report) if grid_id and report.category in GROUPABLE
             and report.screening is None else None)
    if order is None:
        order = open_order(session, report, catalog.info.get(grid_id) if grid_id else None, now, limits)
        timeline.append((order, {"action": "created", "to_status": order.status,
                                 "note": f"report {report.external_id}"
                                         + (f": to screening ({report.screening})" if report.screening else "")}))
    else:
        link_report(order, report, now, limits)
        timeline.append((order, {"action": "link", "to_status": None, "note": f"report {report.external_id}"}))
    report.workorder = order
    return order


def _write_timeline(session: Session, timeline: list[tuple[WorkOrder, dict]], now: datetime) -> None:
    # One bulk INSERT instead of an ORM object per entry: a quarter of the ingest time at storm rates.
    if timeline:
        session.execute(insert(WorkOrderEvent),
                        [{"workorder_id": order.id, "at": now, "actor": "ingest"} | entry for order, entry in timeline])


def _existing(session: Session, external_ids: list[str]) -> dict[str, FaultReport]:
    found: dict[str, FaultReport] = {}
    unique = sorted(set(external_ids))
    for i in range(0, len(unique), _IN_CHUNK):
        chunk = unique[i:i + _IN_CHUNK]
        found.update((r.external_id, r) for r in
                     session.scalars(select(FaultReport).where(FaultReport.external_id.in_(chunk))))
    return found


def _result(report: FaultReport, created: bool):
    def result() -> FaultResult:
        order = report.workorder
        return FaultResult(report.id, report.external_id, report.grid_id, order.id if order else None,
                           order.status if order else KNOWN_OUTAGE, created, report.outage_id)
    return result


def _conflict(external_id: str) -> Conflict:
    return Conflict(f"external_id {external_id!r} was already used for a different report",
                    code="idempotency_conflict")


def _replay(session: Session, existing: FaultReport, digest: str):
    if existing.content_hash != digest:
        return _conflict(existing.external_id)
    order = session.get(WorkOrder, existing.workorder_id) if existing.workorder_id is not None else None
    status = order.status if order else KNOWN_OUTAGE
    return lambda: FaultResult(existing.id, existing.external_id, existing.grid_id, existing.workorder_id,
                               status, False, existing.outage_id)


def _new_report(fault: FaultIn, digest: str, lon: float, lat: float, grid_id: str | None,
                now: datetime) -> FaultReport:
    return FaultReport(
        external_id=fault.external_id, content_hash=digest, reported_at=fault.reported_at, received_at=now,
        lon=lon, lat=lat, crs=fault.crs, category=fault.category, priority=report_priority(fault.priority, fault.sensitive), channel=fault.channel,
        customer_id=fault.customer_id, customer_name=fault.customer_name, phone=fault.phone,
        address=fault.address, description=fault.description, customers_affected=fault.customers_affected,
        sensitive=fault.sensitive, grid_id=grid_id)



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
