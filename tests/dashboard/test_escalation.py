"""催办 on the server: levels kept on the orders, moved by the sweep as the clock runs, recorded in the timeline
and the audit log, pushed; arrival starts the restoration limit; finished orders leave the sweep."""
from datetime import timedelta

from sqlalchemy import func, select

from dashboard.models import AuditEntry, WorkOrder
from dashboard.schemas import FaultIn
from dashboard.services import escalation, workorders
from dashboard.services.faults import ingest_fault
from tests.conftest import make_fault, now_utc


def _order(services, minutes_ago: float) -> int:
    reported = services.clock() - timedelta(minutes=minutes_ago)
    with services.db.write() as s:
        return ingest_fault(s, services.bus, services.catalog, FaultIn.model_validate(make_fault(
            reported_at=reported.isoformat(), category="meter")), services.clock(), limits=services.limits).workorder_id


def _sweep(services) -> int:
    with services.db.write() as s:
        return escalation.sweep(s, services.bus, services.limits, services.clock())


def _get(services, order_id: int) -> dict:
    with services.db.read() as s:
        return workorders.order_detail(s, order_id)


def test_the_sweep_moves_orders_up_as_the_clock_runs(services):
    start = now_utc()
    services.clock = lambda: start
    fresh, late = _order(services, 1), _order(services, 50)
    assert (_get(services, fresh)["level"], _get(services, late)["level"]) == (0, 4)  # born late: level 4 at once
    assert _get(services, late)["overdue"] and _get(services, late)["timeline"][-1]["action"] == "escalated"
    pushed = []
    services.bus.subscribe(lambda changes: pushed.extend(c for c in changes if c.kind == "workorder"))
    assert _sweep(services) == 0  # nothing is due yet
    services.clock = lambda: start + timedelta(minutes=25)  # 26 min of 45: level 1
    assert _sweep(services) == 1
    order = _get(services, fresh)
    assert (order["level"], order["overdue"]) == (1, False)
    assert [p.data["level"] for p in pushed] == [1]
    assert order["timeline"][-1] | {"at": None} == {"at": None, "action": "escalated", "from": None, "to": None,
                                                     "actor": "system", "note": "到达时限 arrival limit: 级别 level 0 → 1"}
    services.clock = lambda: start + timedelta(minutes=50)
    assert _sweep(services) == 1 and _get(services, fresh)["overdue"]
    with services.db.read() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == "escalated")).all()
    assert [(r.object_id, r.details["to"]) for r in rows] == [(str(fresh), 1), (str(fresh), 4)]
    assert _sweep(services) == 0  # overdue is as far as it goes until the order moves


def test_arrival_starts_the_restoration_limit_and_restoring_ends_it(services):
    from dashboard.services.audit import Actor
    start = now_utc()
    services.clock = lambda: start
    order_id = _order(services, 42)  # 42 of 45 minutes: past 90 %
    assert _get(services, order_id)["level"] == 3
    with services.db.write() as s:
        workorders.transition(s, services.bus, order_id, "cancelled", now=start, by=Actor("li", "dispatcher"),
                              note="duplicate call", limits=services.limits)
    cancelled = _get(services, order_id)
    assert (cancelled["level"], cancelled["overdue"]) == (0, False)
    other = _order(services, 40)
    with services.db.write() as s:
        order = s.get(WorkOrder, other)
        order.status, order.arrived_at = "on_site", start  # as a crew terminal reports it
        escalation.refresh(order, services.limits, start)
    arrived = _get(services, other)
    assert arrived["restore_due"] and arrived["level"] == 0
    services.clock = lambda: start + timedelta(hours=3)
    assert _sweep(services) == 1 and _get(services, other)["overdue"]


def test_the_sweep_finds_due_orders_through_an_index(services):
    from sqlalchemy import text
    start = now_utc()
    services.clock = lambda: start
    for minutes in (1, 30, 50):
        _order(services, minutes)
    with services.db.read() as s:
        due = s.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.escalate_at <= start))
        if s.get_bind().dialect.name == "sqlite":
            plan = " ".join(str(r) for r in s.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM work_orders WHERE escalate_at <= :now "
                "ORDER BY escalate_at LIMIT 10"), {"now": start.replace(tzinfo=None)}))
            assert "ix_work_orders_escalate_at" in plan
    assert due == 0  # every order says when it next changes: nothing is due the moment it was stored
