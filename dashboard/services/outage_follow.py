"""What an outage's crew tells it: arrival on site revises its ETR, restoration ends it (复电)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dashboard.domain import OUTAGE_UNDER_WAY, OrderStatus, OutageStatus
from dashboard.events import Change
from dashboard.models import Outage, WorkOrder
from dashboard.network.etr import estimate_duration, etr_after
from dashboard.services.audit import Actor, record
from dashboard.views import outage_change

# A repair with no history like it: the crew is there, an hour is what a customer is told.
REPAIR_DEFAULT = timedelta(hours=1)
REPAIR_HISTORY = 20
_UNDER_WAY = [s.value for s in OUTAGE_UNDER_WAY]


def end_outage(session: Session, outage: Outage, end: datetime, now: datetime, by: Actor) -> None:
    """The outage is over, in the caller's transaction; outages it covered count on their own again."""
    outage.status = OutageStatus.restored
    outage.end = max(end, outage.start)
    outage.updated_at = now
    session.execute(update(Outage).where(Outage.covered_by == outage.id).values(covered_by=None))
    record(session, by, "restored", "outage", outage.id, now, {"device": outage.device_id} if outage.device_id else {})


def follow_order(session: Session, order: WorkOrder, to: OrderStatus, at: datetime, now: datetime,
                 by: Actor) -> list[Change]:
    """The outage this order repairs hears of its crew: on site → a new ETR from how long repairs like it take
    once the crew is there; restored → power is back for the outage's customers. In the caller's transaction."""
    if to not in (OrderStatus.on_site, OrderStatus.restored):
        return []
    outages = session.scalars(select(Outage).where(Outage.workorder_id == order.id,
                                                   Outage.status.in_(_UNDER_WAY))).all()
    for outage in outages:
        if to == OrderStatus.restored:
            end_outage(session, outage, at, now, by)
        else:
            revise_etr_on_site(session, outage, order, at, now)
    return [outage_change(o) for o in outages]


def revise_etr_on_site(session: Session, outage: Outage, order: WorkOrder, on_site: datetime, now: datetime) -> None:
    """The crew is there: arrival + the median time from arrival to restoration of the last orders of the same
    category and area class (a person's ETR stands: a dispatcher who set one knows something)."""
    if (outage.etr_basis or "").startswith("set by"):
        return
    rows = session.execute(select(WorkOrder.arrived_at, WorkOrder.restored_at).where(
        WorkOrder.category == order.category, WorkOrder.area_class == order.area_class,
        WorkOrder.arrived_at.is_not(None), WorkOrder.restored_at.is_not(None), WorkOrder.id != order.id)
        .order_by(WorkOrder.restored_at.desc()).limit(REPAIR_HISTORY)).all()
    duration, basis = estimate_duration([r.restored_at - r.arrived_at for r in rows], REPAIR_DEFAULT)
    outage.etr = etr_after(on_site, duration, now)
    outage.etr_basis = f"crew on site; repair time: {basis}"
    outage.updated_at = now
