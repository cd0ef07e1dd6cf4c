"""Callbacks (回访): a task opens when an order is restored (however it is), attempts close it, and the order can be
neither visited nor archived without one; on SQLite and PostgreSQL."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dashboard.domain import CallbackResult, OrderStatus
from dashboard.errors import Conflict, Invalid, NotFound
from dashboard.models import AuditEntry, CallbackAttempt, CallbackTask, WorkOrder
from dashboard.schemas import CrewIn, FaultIn
from dashboard.services import crews, workorders
from dashboard.services.audit import Actor
from dashboard.services.callback_attempts import record_attempt, record_for_order
from dashboard.services.callbacks import open_callback, task_for
from dashboard.services.faults import ingest_fault
from tests.conftest import make_fault, now_utc

R = CallbackResult
AGENT = Actor("agent-1", "dispatcher")


def _order(services, **kw) -> int:
    with services.db.write() as s:
        return ingest_fault(s, services.bus, services.catalog, FaultIn.model_validate(make_fault(**kw)),
                            now_utc()).workorder_id


def _go(services, order_id, to, **kw):
    with services.db.write() as s:
        return workorders.transition(s, services.bus, order_id, OrderStatus(to), now=now_utc(),
                                     limits=services.limits, **kw)


def _restored(services, **kw) -> int:
    order = _order(services, **kw)
    crew = f"C{order}"
    now = now_utc()
    with services.db.write() as s:
        crews.upsert_crew(s, services.bus, services.catalog, crew,
                          CrewIn(name=crew, team="t", skills=["lv"], members=2, on_duty=True), now)
    with services.db.write() as s:
        crews.record_positions(s, services.bus, services.catalog,
                               [{"crew_id": crew, "lon": 116.41, "lat": 39.905, "at": now.isoformat()}], now)
    with services.db.write() as s:
        workorders.assign_crew(s, services.bus, order, crew, version=s.get(WorkOrder, order).version, now=now_utc())
    for to in ("on_site", "restored"):
        _go(services, order, to)
    return order


def _attempt(services, order_id, result, **kw) -> dict:
    with services.db.write() as s:
        return record_for_order(s, services.bus, order_id, R(result), now=now_utc(), by=AGENT,
                                catalog=services.catalog, limits=services.limits, **kw)


def _task(services, order_id) -> CallbackTask | None:
    with services.db.read() as s:
        return task_for(s, "workorder", order_id)


def _status(services, order_id) -> str:
    with services.db.read() as s:
        return s.get(WorkOrder, order_id).status


def test_a_restored_order_gets_one_task_with_the_callers_phone(services):
    order = _restored(services, customer_name="张三", phone="13800138000")
    task = _task(services, order)
    assert task.status == "pending" and task.attempts == 0
    assert (task.customer_name, task.phone) == ("张三", "13800138000")
    assert task.due_at - task.opened_at == services.limits.callback_window == timedelta(hours=24)
    with services.db.write() as s:  # idempotent: the same task, no second row
        again = open_callback(s, "workorder", order, now_utc() + timedelta(hours=1))
        s.commit()
        assert again.id == task.id
        assert s.scalar(select(func.count()).select_from(CallbackTask)) == 1
    assert _task(services, _order(services, lon=116.30, lat=39.98)) is None  # not restored yet: none


def test_an_order_restored_by_its_outage_ending_gets_a_task_too(services):
    order = _order(services)
    with services.db.write() as s:
        changes = workorders.restore_order(s, s.get(WorkOrder, order), now_utc(), now_utc(), AGENT, services.catalog,
                                           "outage 1 restored", services.limits)
        s.commit()
    assert changes and _task(services, order).status == "pending"


def test_open_callback_takes_tickets_and_refuses_other_subjects(services):
    now = now_utc()
    with services.db.write() as s:
        task = open_callback(s, "ticket", 42, now, phone="13900000001", customer_name="李四")
        s.commit()
        assert (task.subject_kind, task.subject_id, task.phone, task.status) == ("ticket", 42, "13900000001", "pending")
        assert open_callback(s, "ticket", 42, now).id == task.id
        with pytest.raises(Invalid, match="workorder, ticket"):
            open_callback(s, "complaint", 1, now)
        with pytest.raises(NotFound):
            open_callback(s, "workorder", 999_999, now)


def test_a_reached_customer_moves_the_order_to_visited_then_it_may_be_archived(services):
    order = _restored(services)
    with pytest.raises(Conflict) as refused:  # neither visited nor archived without a callback
        _go(services, order, "visited")
    assert refused.value.code == "callback_required"
    with pytest.raises(Conflict) as refused:
        _go(services, order, "closed")
    assert refused.value.code == "callback_required"
    view = _attempt(services, order, "not_satisfied", note="抢修太慢")
    assert view["status"] == "done" and view["result"] == "not_satisfied" and view["created"]
    assert [a["result"] for a in view["attempts"]] == ["not_satisfied"]
    assert view["attempts"][0]["actor"] == "agent-1"
    assert _status(services, order) == "visited"
    with services.db.read() as s:
        detail = workorders.order_detail(s, order)
        audit = s.scalars(select(AuditEntry.action).where(AuditEntry.object.in_(("callback", "workorder")))
                          .order_by(AuditEntry.id)).all()
    assert [(e["action"], e["to"]) for e in detail["timeline"][-2:]] == [("callback", None), ("transition", "visited")]
    assert detail["timeline"][-2]["note"] == "not_satisfied: 抢修太慢"
    assert audit[-2:] == ["callback", "transition"]
    with pytest.raises(Conflict) as refused:  # the task is done: no more attempts
        _attempt(services, order, "satisfied")
    assert refused.value.code == "callback_closed"
    _go(services, order, "closed")
    assert _status(services, order) == "closed"


def test_three_times_not_reached_makes_it_unreachable_and_the_order_may_be_archived(services):
    order = _restored(services)
    for n in (1, 2):
        view = _attempt(services, order, "not_reached", note=f"无人接听 {n}")
        assert view["status"] == "pending" and view["attempt_count"] == n
        with pytest.raises(Conflict):
            _go(services, order, "closed")
    view = _attempt(services, order, "not_reached")
    assert view["status"] == "unreachable" and view["closed_at"] and view["result"] is None
    assert _status(services, order) == "restored"  # not visited: nobody was reached
    with pytest.raises(Conflict) as refused:
        _go(services, order, "visited")
    assert refused.value.code == "callback_required"
    with pytest.raises(Conflict) as refused:
        _attempt(services, order, "satisfied")
    assert refused.value.code == "callback_closed"
    _go(services, order, "closed")
    with services.db.read() as s:
        detail = workorders.order_detail(s, order)
    assert detail["status"] == "closed" and len(detail["callback"]["attempts"]) == 3
    assert "unreachable" in detail["timeline"][-2]["note"]


def test_the_platforms_external_id_makes_an_attempt_idempotent(services):
    order = _restored(services)
    first = _attempt(services, order, "not_reached", external_id="CB-1", note="关机")
    again = _attempt(services, order, "not_reached", external_id="CB-1", note="关机")
    assert first["created"] and not again["created"] and again["attempt"]["id"] == first["attempt"]["id"]
    with pytest.raises(Conflict) as refused:
        _attempt(services, order, "satisfied", external_id="CB-1")
    assert refused.value.code == "idempotency_conflict"
    done = _attempt(services, order, "satisfied", external_id="CB-2")
    # Replayed after the task closed, the same attempt still answers the same, not 409.
    assert not _attempt(services, order, "satisfied", external_id="CB-2")["created"]
    assert done["status"] == "done"
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(CallbackAttempt)) == 2


def test_bad_times_and_orders_with_no_callback_store_nothing(services):
    order = _restored(services)
    task = _task(services, order)
    with pytest.raises(Invalid, match="future"):
        _attempt(services, order, "satisfied", at=now_utc() + timedelta(minutes=5))
    with pytest.raises(Invalid, match="before the callback"):
        _attempt(services, order, "satisfied", at=task.opened_at - timedelta(minutes=5))
    open_order = _order(services, lon=116.30, lat=39.98)
    with pytest.raises(Conflict) as refused:
        _attempt(services, open_order, "satisfied")
    assert refused.value.code == "no_callback"
    with pytest.raises(NotFound), services.db.write() as s:
        record_attempt(s, services.bus, 999_999, R.satisfied, now=now_utc())
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(CallbackAttempt)) == 0
    assert _task(services, order).status == "pending" and _status(services, order) == "restored"


def test_an_order_restored_before_callbacks_existed_gets_its_task_when_one_is_recorded(services):
    order = _restored(services)
    with services.db.write() as s:  # as if restored before the migration: no task
        s.delete(s.get(CallbackTask, _task(services, order).id))
        s.commit()
    view = _attempt(services, order, "satisfied")
    assert view["status"] == "done" and _status(services, order) == "visited"
