"""Seeds the live KPIs' held state from the database and reads the few figures the changes do not carry."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dashboard.domain import OPEN_STATUSES, OUTAGE_UNDER_WAY, OutageKind, OutageStatus
from dashboard.events import Change
from dashboard.figures.live_kpis import LiveKpis
from dashboard.models import Crew, FaultReport, Outage, Ticket, WorkOrder
from dashboard.services.callcenter import ServiceLevelRule, queue_figures
from dashboard.services.kpis import callback_figures
from dashboard.services.roster import duty_figures
from dashboard.services.staffing import live_staffing
from dashboard.ticket_views import ticket_change
from dashboard.tickets.kinds import OPEN_TICKET_STATUSES
from dashboard.timeutil import iso, local_day_start
from dashboard.views import crew_view, outage_view, workorder_view

# The order fields the held state reads (a seed of thousands of open orders builds only these).
SEED_ORDER_FIELDS = ("id", "status", "version", "reported_at", "arrival_due", "arrived_at", "restored_at",
                     "sensitive", "needs_screening")


def seed_live_kpis(session: Session, now: datetime, rule: ServiceLevelRule, ticket_levels: int = 4) -> LiveKpis:
    """The held state as the database has it now: open orders and today's, outages under way, scheduled or
    planned from today, every crew, open tickets, and every queue's figures of the day."""
    day = local_day_start(now, rule.timezone)
    state = LiveKpis(day, ticket_levels)
    columns = [getattr(WorkOrder, f) for f in SEED_ORDER_FIELDS]
    orders = session.execute(select(*columns).where(or_(
        WorkOrder.status.in_([s.value for s in OPEN_STATUSES]), WorkOrder.reported_at >= day,
        WorkOrder.arrived_at >= day, WorkOrder.restored_at >= day)))
    state.apply(Change("workorder", "upsert", str(r.id), workorder_view(r, SEED_ORDER_FIELDS)) for r in orders)
    outages = session.scalars(select(Outage).where(or_(
        Outage.status.in_([s.value for s in OUTAGE_UNDER_WAY] + [OutageStatus.scheduled.value]),
        (Outage.kind == OutageKind.planned) & (Outage.start >= day))).order_by(Outage.id))
    state.apply(Change("outage", "upsert", str(o.id), outage_view(o)) for o in outages)
    state.apply(Change("crew", "upsert", c.id, crew_view(c)) for c in session.scalars(select(Crew)))
    state.apply(ticket_change(t) for t in session.scalars(select(Ticket).where(
        Ticket.status.in_([s.value for s in OPEN_TICKET_STATUSES]))))
    state.apply(Change("queue", "upsert", q["id"], q) for q in queue_figures(session, now, rule))
    return state


def queried_figures(session: Session, now: datetime, rule: ServiceLevelRule, day: datetime) -> dict:
    """The figures no change carries, each a bounded read (docs/figures.md, "Live KPIs"): 研判's calls today
    (fault reports are not published), callbacks (no change kind), the roster on duty now, live staffing (a
    trailing window of calls, which slides with time)."""
    calls_today, outage_calls_today, orders_today, outages_today = session.execute(select(
        func.count(), func.count(FaultReport.outage_id), func.count(func.distinct(FaultReport.workorder_id)),
        func.count(func.distinct(FaultReport.outage_id))).where(FaultReport.reported_at >= day)).one()
    return {
        "calls_per_outage": round(outage_calls_today / outages_today, 2) if outages_today else None,
        "trips_saved_today": int((calls_today or 0) - (orders_today or 0)),
        "staffing": live_staffing(session, now, rule),
    } | callback_figures(session, day) | duty_figures(session, now)


# compute_kpis's keys in its order: the published payload keeps exactly these (the wall and console read them).
def kpi_payload(state: LiveKpis, queried: dict, now: datetime) -> dict:
    merged = state.figures(now) | queried
    return {"id": "today", "at": iso(now), "day_start": iso(state.day)} | {k: merged[k] for k in KPI_KEYS}


KPI_KEYS = ("received_today", "open", "overdue", "arrived_today", "restored_today", "avg_arrival_min",
            "on_time_arrival_rate", "customers_out", "sensitive_open", "crews_available", "crews_busy",
            "calls_waiting", "outage_customers_care", "outages_predicted", "outages_upcoming", "screening",
            "calls_per_outage", "trips_saved_today", "service_level", "tickets_open", "tickets_by_level",
            "planned_outages", "planned_notice_late", "planned_notice_late_rate", "staffing",
            "callbacks_opened_today", "callbacks_completed_today", "callback_completion",
            "callbacks_reached_today", "satisfaction_rate", "on_duty", "seats_rostered_now")
