"""The whole live picture in one read: what GET /snapshot and the socket `snapshot` ack return."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.domain import OPEN_STATUSES
from dashboard.events import EventBus
from dashboard.models import Crew, WorkOrder
from dashboard.services.callcenter import ServiceLevelRule, list_seats, queue_figures
from dashboard.services.grid_catalog import GridCatalog
from dashboard.services.kpis import compute_kpis
from dashboard.services.outages import active_outages
from dashboard.timeutil import iso
from dashboard.views import crew_view, workorder_view


def build_snapshot(session: Session, bus: EventBus, catalog: GridCatalog, now: datetime,
                   rule: ServiceLevelRule) -> dict:
    # seq is read before the data: whatever the data misses was committed later and so comes in seq+1 or
    # after; what it already has may come again, and clients apply upserts idempotently.
    seq = bus.current_seq()
    orders = session.scalars(select(WorkOrder).where(WorkOrder.status.in_([s.value for s in OPEN_STATUSES]))
                             .order_by(WorkOrder.id)).all()
    crews = session.scalars(select(Crew).order_by(Crew.id)).all()
    return {
        "seq": seq, "generated_at": iso(now), "grids_version": catalog.version,
        "workorders": [workorder_view(o) for o in orders], "crews": [crew_view(c) for c in crews],
        "outages": active_outages(session), "seats": list_seats(session),
        "queues": queue_figures(session, now, rule), "kpis": compute_kpis(session, now, rule),
    }
