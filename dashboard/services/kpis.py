"""Today's headline KPIs against the State Grid commitments, computed from the stored orders and calls."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from dashboard.domain import (OPEN_STATUSES, OUTAGE_UNDER_WAY, CallbackResult, CallbackStatus, CrewStatus,
                              OrderStatus, OutageKind, OutageStatus)
from dashboard.models import CallbackTask, Crew, FaultReport, Outage, WorkOrder
from dashboard.services.callcenter import ServiceLevelRule, queue_figures
from dashboard.services.outages import UPCOMING
from dashboard.services.planned_notice import notice_ok
from dashboard.services.roster import duty_figures
from dashboard.services.sqltime import seconds_between
from dashboard.services.staffing import live_staffing
from dashboard.services.ticket_list import open_by_level
from dashboard.timeutil import iso, local_day_start


def compute_kpis(session: Session, now: datetime, rule: ServiceLevelRule, ticket_levels: int = 4) -> dict:
    day = local_day_start(now, rule.timezone)
    open_values = [s.value for s in OPEN_STATUSES]
    is_open = WorkOrder.status.in_(open_values)
    arrived_today = and_(WorkOrder.arrived_at.is_not(None), WorkOrder.arrived_at >= day)
    count = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    row = session.execute(select(
        count(and_(WorkOrder.reported_at >= day, WorkOrder.status != OrderStatus.merged)),
        count(is_open),
        count(and_(is_open, WorkOrder.arrived_at.is_(None), WorkOrder.arrival_due < now)),
        count(arrived_today),
        count(and_(arrived_today, WorkOrder.arrived_at <= WorkOrder.arrival_due)),
        func.avg(case((arrived_today, seconds_between(session, WorkOrder.arrived_at, WorkOrder.reported_at) / 60.0))),
        count(and_(WorkOrder.restored_at.is_not(None), WorkOrder.restored_at >= day)),
        count(and_(is_open, WorkOrder.sensitive.is_(True))),
    )).one()
    received, open_, overdue, arrived, on_time, avg_arrival, restored, sensitive_open = row
    under_way = Outage.status.in_([st.value for st in OUTAGE_UNDER_WAY])
    # An outage under a larger one (covered_by) counts its customers there, not twice.
    out = session.execute(select(
        func.coalesce(func.sum(case((Outage.covered_by.is_(None), Outage.customers_affected), else_=0)), 0),
        count(Outage.care_customers > 0),
        count(Outage.status == OutageStatus.predicted),
    ).where(under_way)).one()
    customers_out, care_outages, predicted = out
    upcoming = session.scalar(select(func.count()).select_from(Outage).where(
        Outage.status == OutageStatus.scheduled, Outage.start <= now + UPCOMING))
    calls_today, outage_calls_today, orders_today = session.execute(select(
        func.count(), count(FaultReport.outage_id.is_not(None)),
        func.count(func.distinct(FaultReport.workorder_id))).where(FaultReport.reported_at >= day)).one()
    outages_today = session.scalar(select(func.count(func.distinct(FaultReport.outage_id)))
                                   .where(FaultReport.reported_at >= day, FaultReport.outage_id.is_not(None)))
    late, planned = planned_notices(session, day)
    screening = session.scalar(select(func.count()).select_from(WorkOrder).where(
        WorkOrder.needs_screening.is_(True), WorkOrder.status == OrderStatus.received))
    crews = dict(session.execute(select(Crew.status, func.count()).group_by(Crew.status)).all())
    callbacks = callback_figures(session, day)
    queues = queue_figures(session, now, rule)
    by_level = open_by_level(session, ticket_levels)
    answered_t = sum(q["answered_in_target_today"] for q in queues)
    counted = sum(q["answered_today"] + q["abandoned_today"] - q["short_abandoned_today"] for q in queues)
    return {
        "id": "today", "at": iso(now), "day_start": iso(day),
        "received_today": int(received or 0), "open": int(open_ or 0), "overdue": int(overdue or 0),
        "arrived_today": int(arrived or 0), "restored_today": int(restored or 0),
        "avg_arrival_min": round(float(avg_arrival), 1) if avg_arrival is not None else None,
        "on_time_arrival_rate": round(on_time / arrived, 4) if arrived else None,
        "customers_out": int(customers_out or 0), "sensitive_open": int(sensitive_open or 0),
        "crews_available": int(crews.get(CrewStatus.available, 0)),
        "crews_busy": sum(int(crews.get(s, 0)) for s in (CrewStatus.dispatched, CrewStatus.en_route,
                                                          CrewStatus.on_site)),
        "calls_waiting": sum(q["waiting"] for q in queues),
        "outage_customers_care": int(care_outages or 0), "outages_predicted": int(predicted or 0),
        "outages_upcoming": int(upcoming or 0), "screening": int(screening or 0),
        # 研判: calls today per outage they were linked to, and crew trips saved (calls that made no order).
        "calls_per_outage": round(outage_calls_today / outages_today, 2) if outages_today else None,
        "trips_saved_today": int((calls_today or 0) - (orders_today or 0)),
        "service_level": round(answered_t / counted, 4) if counted else None,
        # Service tickets (投诉, 举报, 咨询, 业务) still open, and how many at each 催办 level (the wall's tile).
        "tickets_open": sum(by_level), "tickets_by_level": by_level,
        # The planned-outage notice rule: planned outages from today on, and those noticed late (accepted, flagged).
        "planned_outages": planned, "planned_notice_late": late,
        "planned_notice_late_rate": round(late / planned, 4) if planned else None,
        # Erlang C per queue from the trailing window: agents needed now against those logged in (the wall's line).
        "staffing": live_staffing(session, now, rule),
    } | callbacks | duty_figures(session, now)


def callback_figures(session: Session, day: datetime) -> dict:
    """回访 KPIs of the day (docs/callbacks.md). Completion: of the tasks opened today, the share done or
    unreachable now. Satisfaction: of the customers reached today (tasks done today), the share satisfied."""
    count = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    opened, completed = session.execute(select(
        func.count(), count(CallbackTask.status != CallbackStatus.pending)).where(CallbackTask.opened_at >= day)).one()
    reached, satisfied = session.execute(select(
        func.count(), count(CallbackTask.result == CallbackResult.satisfied)).where(
        CallbackTask.status == CallbackStatus.done, CallbackTask.closed_at >= day)).one()
    opened, completed, reached, satisfied = (int(x or 0) for x in (opened, completed, reached, satisfied))
    return {"callbacks_opened_today": opened, "callbacks_completed_today": completed,
            "callback_completion": round(completed / opened, 4) if opened else None,
            "callbacks_reached_today": reached,
            "satisfaction_rate": round(satisfied / reached, 4) if reached else None}


def planned_notices(session: Session, day: datetime) -> tuple[int, int]:
    """(late, all): the planned outages starting from `day` on, and how many were noticed later than their rule
    asks (a handful a day: the rule is applied here, in one place, not in SQL)."""
    rows = session.execute(select(Outage.maintenance, Outage.start, Outage.notified_at).where(
        Outage.kind == OutageKind.planned, Outage.start >= day, Outage.status != OutageStatus.merged)).all()
    return sum(not notice_ok(r.maintenance, r.start, r.notified_at) for r in rows), len(rows)

