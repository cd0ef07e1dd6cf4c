"""The generated history: its counts land, every row keeps the domain's rules, a day holding records is left alone,
a second run adds nothing, and the roll-ups cover it (SQLite and PostgreSQL)."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from dashboard.db import Database
from dashboard.domain import AreaClass
from dashboard.history.days import span
from dashboard.history.generate import META_KEY, generate_history
from dashboard.models import (Call, CallbackTask, FaultReport, GridRow, Meta, Outage, ReliabilityPiece, Ticket,
                              WorkOrder, WorkOrderEvent)
from dashboard.services import rollups
from dashboard.services.planned_notice import notice_ok
from dashboard.services.rollups import RebuildScope
from dashboard.time_limits import TimeLimits

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)  # 11:00 in Beijing
TZ = "Asia/Shanghai"


@pytest.fixture
def db(database_url):
    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


def _count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


def test_a_few_days_land_with_every_row_inside_the_rules(db):
    limits = TimeLimits()
    result = generate_history(db, now=NOW, tz=TZ, days=4, scale=0.1, seed=7)
    assert [d.isoformat() for d in result.days] == ["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"]
    with db.read() as s:
        counts = {m.__tablename__: _count(s, m) for m in (WorkOrder, WorkOrderEvent, Outage, FaultReport, Call,
                                                           Ticket, CallbackTask)}
        assert counts == result.rows
        # At scale 0.1 in November: about 120 orders, 12 outages, 260 calls a day.
        assert counts["work_orders"] > 150 and counts["outages"] > 8 and counts["calls"] > 300
        assert counts["fault_reports"] > counts["work_orders"]  # some calls joined an order, some made none
        grids = {g.id: (g.district, g.area_class) for g in s.execute(select(GridRow.id, GridRow.district,
                                                                           GridRow.area_class))}
        orders = s.scalars(select(WorkOrder)).all()
        outages = s.scalars(select(Outage)).all()
        reports = s.scalars(select(FaultReport)).all()
        calls = s.scalars(select(Call)).all()
        tickets = s.scalars(select(Ticket)).all()
        tasks = s.scalars(select(CallbackTask)).all()
        events = s.scalars(select(WorkOrderEvent)).all()
    first = datetime(2026, 11, 17, 16, 0, tzinfo=timezone.utc)  # 18 Nov, 00:00 in Beijing
    end = datetime(2026, 11, 21, 16, 0, tzinfo=timezone.utc)  # the start of 22 Nov (yesterday) in Beijing
    on_time = 0
    for o in orders:
        assert o.status == "closed" and o.grid_id in grids and (o.district, o.area_class) == grids[o.grid_id]
        assert first <= o.reported_at < end
        assert o.reported_at <= o.dispatched_at <= o.arrived_at <= o.restored_at <= o.closed_at <= NOW
        assert o.arrival_due == limits.arrival_due(o.reported_at, o.area_class)
        assert o.restore_due == limits.restore_due(o.arrived_at, o.area_class)
        on_time += o.arrived_at <= o.arrival_due
    assert 0.8 <= on_time / len(orders) < 1.0  # most on time, some late
    by_id = {o.id: o for o in orders}
    # The per-dispatcher figures' source: one assignment per order when it was dispatched; a 催办 per late one.
    assigns = {e.workorder_id: e for e in events if e.action == "assign"}
    assert len(assigns) == len(orders) == sum(e.action == "assign" for e in events)
    assert all(assigns[i].at == o.dispatched_at and assigns[i].actor for i, o in by_id.items())
    escalated = {e.workorder_id for e in events if e.action == "escalated"}
    assert escalated == {o.id for o in orders if o.arrived_at > o.arrival_due}
    for r in reports:
        assert r.grid_id in grids and first <= r.reported_at < end
        assert r.workorder_id is None or r.workorder_id in by_id
    unplanned = [o for o in outages if o.kind == "unplanned"]
    planned = [o for o in outages if o.kind == "planned"]
    assert unplanned and planned
    for o in outages:
        assert o.status == "restored" and o.start < o.end and o.customers_affected > 0
        assert set(o.grid_ids) <= set(grids) and o.districts == [grids[o.grid_ids[0]][0]]
    for o in unplanned:
        order = by_id[o.workorder_id]
        assert order.outage_id == o.id and o.start <= order.reported_at and o.end == order.restored_at
    outage_calls = [r for r in reports if r.outage_id is not None]
    assert len(outage_calls) / len({r.outage_id for r in outage_calls}) > 1  # calls per outage
    assert len(reports) > len({r.workorder_id for r in reports if r.workorder_id})  # crew trips saved
    assert all(o.maintenance in ("scheduled", "temporary") and o.notified_at < o.start for o in planned)
    assert sum(notice_ok(o.maintenance, o.start, o.notified_at) for o in planned) >= len(planned) * 0.8
    for c in calls:
        assert c.queue in ("repair", "enquiry", "complaint") and first <= c.offered_at < end
        if c.abandoned_at is not None:
            assert c.answered_at is None and c.ended_at is None and c.abandoned_at > c.offered_at
        else:
            assert c.offered_at <= c.answered_at < c.ended_at and c.seat_id
    answered = [c for c in calls if c.answered_at is not None]
    assert sum((c.answered_at - c.offered_at).total_seconds() <= 20 for c in answered) / len(answered) > 0.7
    assert all(t.status == "closed" and t.received_at <= t.contacted_at <= t.closed_at for t in tickets)
    assert all(t.contact_due > t.received_at and t.close_due >= t.contact_due for t in tickets)
    for t in tasks:
        assert t.subject_kind == "workorder" and t.subject_id in by_id and t.status in ("done", "unreachable")
        assert t.opened_at == by_id[t.subject_id].restored_at <= t.closed_at
        assert (t.result in ("satisfied", "not_satisfied")) == (t.status == "done")


def test_the_roll_ups_cover_the_generated_days(db):
    result = generate_history(db, now=NOW, tz=TZ, days=3, scale=0.05)
    with db.read() as s:
        written = _count(s, ReliabilityPiece)
        days = set(s.scalars(select(ReliabilityPiece.day).distinct()))
    # The generated days, and yesterday when an outage of the last one ran past midnight.
    assert written == result.rollups["reliability_daily"] > 0
    assert set(result.days) <= days <= set(result.days) | {result.days[-1] + timedelta(days=1)}
    with db.write() as s:  # the same as a rebuild of everything from the records
        again = rollups.rebuild(s, RebuildScope(None, None, TZ, NOW))
    assert again["reliability_daily"] == written


def test_a_day_holding_records_is_left_alone_and_a_second_run_adds_nothing(db):
    live_day = datetime(2026, 11, 19, 2, 0, tzinfo=timezone.utc)  # 19 Nov in Beijing
    with db.write() as s:
        s.add(FaultReport(external_id="live-1", content_hash="x", reported_at=live_day, received_at=live_day,
                          lon=116.4, lat=39.9, crs="wgs84", category="lv", priority="normal", channel="phone"))
    first = generate_history(db, now=NOW, tz=TZ, days=3, scale=0.02)
    assert [d.isoformat() for d in first.days] == ["2026-11-20", "2026-11-21"] and first.skipped == 1
    with db.read() as s:
        on_live_day = s.scalar(select(func.count()).select_from(FaultReport).where(
            FaultReport.reported_at >= live_day - timedelta(hours=10), FaultReport.reported_at < live_day
            + timedelta(hours=14)))
        before = {m.__tablename__: _count(s, m) for m in (WorkOrder, Outage, FaultReport, Call, Ticket)}
    assert on_live_day == 1
    second = generate_history(db, now=NOW, tz=TZ, days=3, scale=0.02)
    assert second.days == [] and second.rows == {} and second.skipped == 3
    with db.read() as s:
        assert {m.__tablename__: _count(s, m) for m in (WorkOrder, Outage, FaultReport, Call, Ticket)} == before
        assert len(__import__("json").loads(s.get(Meta, META_KEY).value)) == 1


def test_history_ids_leave_room_for_a_live_writer(db):
    """A live order stored after the history takes an id above it (the writer's id reservation)."""
    generate_history(db, now=NOW, tz=TZ, days=1, scale=0.02)
    with db.write() as s:
        top = s.scalar(select(func.max(WorkOrder.id)))
        live = WorkOrder(status="received", category="lv", priority="normal", channel="phone", area_class="urban",
                         lon=116.4, lat=39.9, reported_at=NOW, arrival_due=NOW + timedelta(minutes=45),
                         updated_at=NOW)
        s.add(live)
        s.flush()
        assert live.id > top


def test_the_span_ends_at_the_start_of_yesterday():
    days = span(NOW, TZ, 3)
    assert [d.isoformat() for d in days] == ["2026-11-19", "2026-11-20", "2026-11-21"]
    assert AreaClass("urban")  # the limits' vocabulary is the domain's


def test_a_run_stopped_half_way_is_finished_by_the_next_one(db):
    calls = iter(range(100))
    stopped = generate_history(db, now=NOW, tz=TZ, days=10, scale=0.02, stop=lambda: next(calls) >= 1)
    assert len(stopped.days) == 7 and stopped.rollups == {}  # one block of a week, then the stop
    with db.read() as s:
        assert s.get(Meta, META_KEY) is None and _count(s, ReliabilityPiece) == 0
    rest = generate_history(db, now=NOW, tz=TZ, days=10, scale=0.02)
    assert len(rest.days) == 3 and rest.skipped == 7
    with db.read() as s:
        written = _count(s, ReliabilityPiece)
        first_days = set(s.scalars(select(ReliabilityPiece.day).where(ReliabilityPiece.day <= stopped.days[-1])))
    assert first_days  # the roll-ups cover the first run's days too: as many rows as a rebuild of everything
    with db.write() as s:
        assert rollups.rebuild(s, RebuildScope(None, None, TZ, NOW))["reliability_daily"] == written
