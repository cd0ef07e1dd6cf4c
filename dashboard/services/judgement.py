"""研判 in the database: a call is placed under its transformer, judged by the network engine, and linked to
the outage (and its one work order) the engine names; predictions are stored, moved up and merged here."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dashboard.domain import OPEN_STATUSES, OUTAGE_UNDER_WAY, OrderStatus, Priority
from dashboard.events import Change
from dashboard.models import Customer, Device, FaultReport, Outage, WorkOrder
from dashboard.network.etr import EtrRule, estimate_duration, etr_after
from dashboard.network.judge import CallSeen, KnownOutage, Rules, judge_call, link_verdict
from dashboard.network.tree import Network
from dashboard.services.audit import Actor, record
from dashboard.services.grid_catalog import GridCatalog
from dashboard.services.new_orders import link_report, open_order, raise_priority
from dashboard.services.workorders import merge_into
from dashboard.time_limits import TimeLimits
from dashboard.views import outage_change

ENGINE = Actor("研判", "system")
ARREARS = "arrears_disconnected"
_OPEN = [s.value for s in OPEN_STATUSES]
_UNDER_WAY = [s.value for s in OUTAGE_UNDER_WAY]


@dataclass
class Judging:
    """What placing a call needs besides the session: the network as it is now, the rules, the limits."""
    network: Network
    rules: Rules
    catalog: GridCatalog
    limits: TimeLimits
    etr: EtrRule = field(default_factory=EtrRule)


@dataclass
class Placed:
    """Where a call went: its order (None under an outage with no crew work), the timeline entries to write,
    and the changes to publish besides the order's."""
    order: WorkOrder | None
    timeline: list[tuple[WorkOrder, dict]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def customers_of(session: Session, ids: list[str]) -> dict[str, Customer]:
    ids = sorted({i for i in ids if i})
    found: dict[str, Customer] = {}
    for i in range(0, len(ids), 500):
        found.update((c.id, c) for c in session.scalars(select(Customer).where(Customer.id.in_(ids[i:i + 500]))))
    return found


def locate(judging: Judging, report: FaultReport, asked: str | None,
           customer: Customer | None) -> tuple[str | None, str | None]:
    """The transformer a call is under, and how that was found (`report`, `customer`, `nearest:<metres>`)."""
    net = judging.network
    if asked and asked in net.devices and net.kind(asked) == "transformer":
        return asked, "report"
    if customer is not None and customer.transformer_id in net.devices:
        return customer.transformer_id, "customer"
    nearest = net.nearest_transformer(report.grid_id, report.lon, report.lat, judging.rules.nearest_km)
    if nearest is not None:
        return nearest[0], f"nearest:{round(nearest[1] * 1000)}"
    return None, None


def located_note(report: FaultReport, asked: str | None) -> str:
    how = report.located_by or "none"
    t = report.transformer_id
    if how == "report":
        return f"under {t} (from the report)"
    if how == "customer":
        return f"under {t} (customer {report.customer_id} in the register)"
    if how.startswith("nearest"):
        metres = how.partition(":")[2]
        unknown = f"transformer {asked} unknown; " if asked else ""
        return f"{unknown}under {t}, the nearest transformer of grid {report.grid_id} ({metres} m)"
    return "no transformer found: grouped by distance and time"


def screening_reason(report: FaultReport, customer: Customer | None, account_status: str | None) -> str | None:
    """Why a call goes to the screening lane before any crew (None: it is judged as a grid fault)."""
    if report.category in ("customer_internal", "meter"):
        return report.category
    if account_status == ARREARS or (customer is not None and customer.account_status == ARREARS):
        return ARREARS
    return None


def under_way(session: Session) -> list[KnownOutage]:
    rows = session.execute(select(Outage.id, Outage.device_id, Outage.status, Outage.locked)
                           .where(Outage.status.in_(_UNDER_WAY), Outage.device_id.is_not(None))).all()
    return [KnownOutage(r.id, r.device_id, r.status, r.locked) for r in rows]


def reported_closed(session: Session, ids: list[str]) -> set[str]:
    return set(session.scalars(select(Device.id).where(Device.id.in_(ids), Device.reported_state == "closed")))


def recent_calls(session: Session, feeder: str | None, since: datetime,
                 live: set[int]) -> list[CallSeen]:
    """The feeder's calls of the window that still count: under an outage under way, or with an open order."""
    if feeder is None:
        return []
    rows = session.execute(
        select(FaultReport.id, FaultReport.transformer_id, FaultReport.customer_id, FaultReport.reported_at,
               FaultReport.outage_id, WorkOrder.status)
        .outerjoin(WorkOrder, WorkOrder.id == FaultReport.workorder_id)
        .where(FaultReport.feeder_id == feeder, FaultReport.reported_at >= since,
               FaultReport.screening.is_(None))).all()
    out = []
    for r in rows:
        if r.outage_id is not None and r.outage_id not in live:
            continue
        if r.outage_id is None and r.status not in _OPEN:
            continue
        out.append(CallSeen(r.id, r.transformer_id, r.customer_id or f"call:{r.id}", r.reported_at, r.outage_id))
    return out


def place_call(session: Session, judging: Judging, report: FaultReport, now: datetime) -> Placed:
    """Judge a call already located under a transformer (flushed: it has an id) and link it."""
    net, rules = judging.network, judging.rules
    outages = under_way(session)
    linked = link_verdict(net, report.transformer_id, outages)
    if linked is not None:  # decided before the feeder's recent calls are read: they cannot change it
        return _link_to_outage(session, judging, report, linked.outage_id, linked.reason, now)
    window_start = report.reported_at - rules.window
    call = CallSeen(report.id, report.transformer_id, report.customer_id or f"call:{report.id}", report.reported_at)
    recent = recent_calls(session, report.feeder_id, window_start, {o.id for o in outages})
    if all(c.id != call.id for c in recent):
        recent.append(call)
    verdict = judge_call(net, rules, call, recent, outages,
                         reported_closed(session, net.path(report.transformer_id)))
    if verdict.action == "link":
        return _link_to_outage(session, judging, report, verdict.outage_id, verdict.reason, now)
    if verdict.action == "predict":
        return _predict(session, judging, report, verdict, now)
    order = open_order(session, report, _info(judging, report.grid_id), now, judging.limits)
    report.workorder = order
    return Placed(order, [(order, {"action": "created", "to_status": order.status,
                                   "note": f"report {report.external_id}: {verdict.reason}"})])


def _info(judging: Judging, grid_id: str | None):
    return judging.catalog.info.get(grid_id) if grid_id else None


def open_order_of(session: Session, outage: Outage) -> WorkOrder | None:
    """The outage's order, following merges made by hand; None when it has none open."""
    order_id, seen = outage.workorder_id, set()
    while order_id is not None and order_id not in seen:
        seen.add(order_id)
        order = session.get(WorkOrder, order_id)
        if order is None:
            return None
        if order.status == OrderStatus.merged:
            order_id = order.merged_into
            continue
        return order if order.status in _OPEN else None
    return None


def _link_to_outage(session: Session, judging: Judging, report: FaultReport, outage_id: int, reason: str,
                    now: datetime) -> Placed:
    outage = session.get(Outage, outage_id)
    outage.calls += 1
    outage.updated_at = now
    report.outage_id = outage.id
    report.workorder = None
    placed = Placed(None, changes=[outage_change(outage)])
    order = open_order_of(session, outage)
    if order is None and outage.source in ("planned", "commanded"):
        return placed  # the outage is known and wanted: the caller is told, no crew goes
    note = f"report {report.external_id}: {reason}"
    if order is None:
        order = _order_for(session, judging, report, outage, now)
        placed.timeline.append((order, {"action": "created", "to_status": order.status, "note": note}))
    else:
        link_report(order, report, now, judging.limits)
        placed.timeline.append((order, {"action": "link", "to_status": None, "note": note}))
    report.workorder = order
    placed.order = order
    return placed


def _order_for(session: Session, judging: Judging, report: FaultReport, outage: Outage, now: datetime) -> WorkOrder:
    order = open_order(session, report, _info(judging, report.grid_id), now, judging.limits)
    session.flush()
    _attach(order, outage)
    return order


def _attach(order: WorkOrder, outage: Outage) -> None:
    """One outage, one order: the order carries the outage's customers and care."""
    order.outage_id = outage.id
    outage.workorder_id = order.id
    order.customers_affected = max(order.customers_affected, outage.customers_affected)
    if outage.care_customers:
        order.sensitive = True
        raise_priority(order, Priority.urgent)


def _predict(session: Session, judging: Judging, report: FaultReport, verdict, now: datetime) -> Placed:
    absorbed = session.scalars(select(Outage).where(Outage.id.in_(verdict.absorb))).all() if verdict.absorb else []
    lone = session.scalars(select(FaultReport).where(FaultReport.id.in_(verdict.lone_calls))).all() \
        if verdict.lone_calls else []
    lone_orders = open_orders_of(session, lone)
    outage = new_device_outage(session, judging, verdict.device_id, "predicted", "calls", verdict.reason,
                               min([report.reported_at] + [r.reported_at for r in lone]), now)
    keeper, changes = take_in(session, judging, outage, list(absorbed), now, ENGINE, verdict.reason, lone_orders)
    placed = Placed(None, changes=changes)
    if keeper is None:
        keeper = _order_for(session, judging, report, outage, now)
        placed.timeline.append((keeper, {"action": "created", "to_status": keeper.status,
                                         "note": f"report {report.external_id}"}))
    else:
        link_report(keeper, report, now, judging.limits)
        placed.timeline.append((keeper, {"action": "link", "to_status": None,
                                         "note": f"report {report.external_id}"}))
    report.workorder = keeper
    report.outage_id = outage.id
    if lone:
        session.execute(update(FaultReport).where(FaultReport.id.in_([r.id for r in lone]))
                        .values(outage_id=outage.id))
    outage.calls += 1 + len(lone)
    cover(session, judging.network, outage)
    moved = [x.id for x in absorbed]
    placed.timeline.append((keeper, {"action": "predicted", "to_status": None,
                                     "note": f"{verdict.device_id} predicted out: {verdict.reason}"
                                             + (f" (took in outages {', '.join(map(str, moved))})" if moved else "")}))
    record(session, ENGINE, "predicted", "outage", outage.id, now,
           {"device": verdict.device_id, "reason": verdict.reason, "absorbed": moved, "workorder": keeper.id})
    placed.order = keeper
    placed.changes.append(outage_change(outage))
    return placed


def open_orders_of(session: Session, reports: Sequence[FaultReport]) -> list[WorkOrder]:
    """The open orders the reports made, each once."""
    return [o for o in {r.workorder_id: session.get(WorkOrder, r.workorder_id) for r in reports
                        if r.workorder_id}.values() if o is not None and o.status in _OPEN]


def lone_calls_below(session: Session, judging: Judging, device_id: str, since: datetime,
                     live: set[int]) -> list[FaultReport]:
    """The calls of the window under the device that no outage holds yet (each made its own order): an outage
    found at the device now takes them in."""
    net = judging.network
    calls = recent_calls(session, net.feeder_of.get(device_id), since, live)
    ids = [c.id for c in calls if c.outage_id is None and c.transformer_id in net.devices
           and net.is_at_or_below(c.transformer_id, device_id)]
    return session.scalars(select(FaultReport).where(FaultReport.id.in_(ids))).all() if ids else []


def new_device_outage(session: Session, judging: Judging, device_id: str, status: str, source: str, reason: str,
                      start: datetime, now: datetime, cause: str | None = None) -> Outage:
    """An outage of a device: its customers and care customers from the network, its grids, an ETR at once."""
    net = judging.network
    grids = list(net.grids_below.get(device_id, ()))
    device = net.devices[device_id]
    home = device.grid_id or (grids[0] if grids else None)
    info = _info(judging, home)
    outage = Outage(kind="unplanned", status=status, source=source, device_id=device_id, locked=False,
                    geometry=None, districts=districts(judging.catalog, grids), start=start, cause=cause,
                    reason=reason, area_class=info.area_class if info else None, calls=0, updated_at=now)
    describe(outage, net)
    set_etr(session, judging, outage, now)
    session.add(outage)
    session.flush()
    return outage


def districts(catalog: GridCatalog, grids) -> list[str]:
    return sorted({catalog.info[g].district for g in grids if g in catalog.info})


def set_etr(session: Session, judging: Judging, outage: Outage, now: datetime) -> None:
    """An ETR at once, from the restorations of the same device kind, cause and area class."""
    rows = session.execute(select(Outage.start, Outage.end).where(
        Outage.status == "restored", Outage.device_kind == outage.device_kind, Outage.end.is_not(None),
        Outage.area_class.is_(None) if outage.area_class is None else Outage.area_class == outage.area_class,
        Outage.cause.is_(None) if outage.cause is None else Outage.cause == outage.cause)
        .order_by(Outage.end.desc()).limit(judging.etr.history)).all()
    duration, basis = estimate_duration([r.end - r.start for r in rows], judging.etr.default)
    outage.etr = etr_after(outage.start, duration, now)
    outage.etr_basis = basis


def cover(session: Session, net: Network, outage: Outage) -> None:
    """Outages under way below a new one (a person's, which 研判 leaves alone) count their customers there."""
    below = [o for o in session.scalars(select(Outage).where(Outage.status.in_(_UNDER_WAY),
                                                             Outage.device_id.is_not(None),
                                                             Outage.id != outage.id, Outage.covered_by.is_(None)))
             if o.device_id in net.devices and net.is_at_or_below(o.device_id, outage.device_id)]
    for o in below:
        o.covered_by = outage.id


def open_auto_order(session: Session, judging: Judging, outage: Outage, now: datetime) -> WorkOrder:
    """主动抢修: automation saw the device open before any customer called; the order starts at the trip."""
    device = judging.network.devices[outage.device_id]
    grid_id = device.grid_id or (outage.grid_ids[0] if outage.grid_ids else None)
    info = _info(judging, grid_id)
    area = info.area_class if info else "urban"
    order = WorkOrder(
        status=OrderStatus.received, version=1, category="lv" if device.kind == "transformer" else "hv",
        priority=Priority.high, channel="auto", grid_id=grid_id, district=info.district if info else None,
        area_class=area, outside_grid=grid_id is None, needs_screening=False,
        lon=device.lon if device.lon is not None else 0.0, lat=device.lat if device.lat is not None else 0.0,
        address=device.name, customers_affected=max(1, outage.customers_affected), sensitive=False, report_count=0,
        reported_at=outage.start, arrival_due=judging.limits.arrival_due(outage.start, area), level=0,
        overdue=False, updated_at=now)
    session.add(order)
    session.flush()
    _attach(order, outage)
    return order


def take_in(session: Session, judging: Judging, outage: Outage, absorb: list[Outage], now: datetime,
            by: Actor, note: str, orders: list[WorkOrder] = ()) -> tuple[WorkOrder | None, list[Change]]:
    """`outage` takes in other outages (their calls) and orders: all their orders merge into one, the one a crew
    already holds if any (fewest people re-told), else the one with most calls. Returns that order."""
    changes: list[Change] = []
    orders = list(orders) + [o for o in (open_order_of(session, x) for x in absorb) if o is not None]
    current = open_order_of(session, outage)
    if current is not None:
        orders.insert(0, current)
    keeper = None
    orders = list({o.id: o for o in orders}.values())
    if orders:
        orders.sort(key=lambda o: (o is not current, o.crew_id is None, -o.report_count, o.id))
        keeper = orders[0]
        for other in orders[1:]:
                changes += merge_into(session, other, keeper, now=now, by=by, catalog=judging.catalog,
                                      limits=judging.limits, note=note)
        _attach(keeper, outage)
    moved = [x.id for x in absorb]
    for x in absorb:
        x.status, x.merged_into, x.updated_at = "merged", outage.id, now
        changes.append(outage_change(x))
    if moved:
        session.execute(update(FaultReport).where(FaultReport.outage_id.in_(moved)).values(outage_id=outage.id))
        outage.calls = (outage.calls or 0) + sum(x.calls or 0 for x in absorb)
    return keeper, changes


def describe(outage: Outage, network: Network) -> None:
    """An outage's figures from the device it is at: customers, care customers, grids, place."""
    device = network.devices[outage.device_id]
    outage.customers_affected = network.customers_below.get(device.id, 0)
    outage.care_customers = outage.sensitive_customers = network.care_below.get(device.id, 0)
    outage.grid_ids = list(network.grids_below.get(device.id, ()))
    outage.device_kind, outage.lon, outage.lat = device.kind.value, device.lon, device.lat
