"""The demo storm, driven tick by tick on a controlled clock, through the real services and database."""
from datetime import timedelta

from sqlalchemy import select

from dashboard.models import CallbackTask, WorkOrder
from dashboard.services.snapshot import build_snapshot
from dashboard.simulator.callcenter import SEAT_GROUPS
from dashboard.simulator.storm import StormSimulator
from tests.conftest import now_utc

# The simulator only drives services; those run on PostgreSQL in their own tests.
SQLITE_ONLY = True


def test_a_storm_hour_fills_the_wall_and_moves_orders_through_the_lifecycle(services):
    clock = [now_utc()]
    services.clock = lambda: clock[0]
    seen_statuses = set()
    sim = StormSimulator(services, seed=7, speed=6)
    sim.setup()
    for _ in range(600):  # an hour of the storm at 6x, one second a step
        clock[0] += timedelta(seconds=1)
        sim.step()
        if sim.ticks % 30 == 0:
            with services.db.read() as s:
                seen_statuses |= {o["status"] for o in build_snapshot(s, services.bus, services.catalog, clock[0],
                                                                       services.rule)["workorders"]}
    with services.db.read() as s:
        snap = build_snapshot(s, services.bus, services.catalog, clock[0], services.rule)
    assert len(snap["seats"]) == sum(n for _, n in SEAT_GROUPS)
    assert len(snap["crews"]) >= 50 and all(c["lon"] is not None for c in snap["crews"])
    kinds = {o["kind"] for o in snap["outages"]}
    assert "planned" in kinds and "unplanned" in kinds  # feeder trips happened
    assert snap["kpis"]["received_today"] > 20
    assert {"received", "dispatched", "en_route"} & seen_statuses and seen_statuses - {"received"}
    assert snap["kpis"]["restored_today"] > 0  # crews got there and fixed things
    assert {q["id"] for q in snap["queues"]} == {g for g, _ in SEAT_GROUPS}
    assert sum(q["answered_today"] for q in snap["queues"]) > 0
    # 回访: the platform rang customers back; no order was archived without a reached callback or three tries.
    with services.db.read() as s:
        tasks = {t.subject_id: t for t in s.scalars(select(CallbackTask))}
        closed = s.scalars(select(WorkOrder.id).where(WorkOrder.status == "closed")).all()
        visited = s.scalars(select(WorkOrder.id).where(WorkOrder.status == "visited")).all()
    assert any(t.status == "done" for t in tasks.values()) and (closed or visited)
    assert all(tasks[o].status in ("done", "unreachable") for o in closed)
    assert all(tasks[o].status == "done" for o in visited)
    assert 0 < snap["kpis"]["callbacks_opened_today"] <= len(tasks) and snap["kpis"]["satisfaction_rate"] is not None


def _run(sim, clock, seconds):
    for _ in range(seconds):
        clock[0] += timedelta(seconds=1)
        sim.step()


def test_the_demo_starts_again_on_the_same_database_the_same_day(services):
    from sqlalchemy import func, select

    from dashboard.models import Call, Outage
    clock = [now_utc()]
    services.clock = lambda: clock[0]
    first = StormSimulator(services, seed=7, speed=5)
    first.setup()
    _run(first, clock, 120)
    with services.db.read() as s:
        outages, calls = s.scalar(select(func.count()).select_from(Outage)), s.scalar(
            select(func.count()).select_from(Call))
    clock[0] += timedelta(minutes=5)  # a restart, the same day
    second = StormSimulator(services, seed=7, speed=5)
    second.setup()  # raised a conflict on the planned outages' ids before
    _run(second, clock, 120)  # and on its first feeder trip
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Outage)) >= outages + 2
        assert s.scalar(select(func.count()).select_from(Call)) > calls  # new calls, not replays of old ids


def test_a_crew_made_through_the_api_without_a_position_is_driven_like_the_others(services):
    from dashboard.schemas import CrewIn, FaultIn
    from dashboard.services.crews import record_positions, upsert_crew
    from dashboard.services.faults import ingest_fault
    from tests.conftest import make_fault
    clock = [now_utc()]
    services.clock = lambda: clock[0]
    sim = StormSimulator(services, seed=3, speed=4)
    sim.setup()
    with services.db.write() as s:  # as PUT /crews/{id} makes it: no position yet
        upsert_crew(s, services.bus, services.catalog, "API-1", CrewIn(name="外部班", team="t", skills=["lv", "hv"],
                                                                        members=2, on_duty=True), clock[0])
    with services.db.write() as s:  # then its terminal reports, right where the fault will be
        record_positions(s, services.bus, services.catalog, [{"crew_id": "API-1", "lon": 116.4076, "lat": 39.9041,
                                                              "at": clock[0].isoformat()}], clock[0])
    with services.db.write() as s:
        order_id = ingest_fault(s, services.bus, services.catalog, FaultIn.model_validate(make_fault(
            reported_at=clock[0].isoformat(), category="hv")), clock[0]).workorder_id
    _run(sim, clock, 240)  # 891 tracebacks in 16 minutes before: the simulator knew no position for it
    with services.db.read() as s:
        from dashboard.models import WorkOrder
        order = s.get(WorkOrder, order_id)
    assert order.crew_id == "API-1" and order.arrived_at is not None


def test_people_get_two_minutes_and_the_crews_they_send_drive_at_road_speed(services):
    from dashboard.models import Crew, WorkOrder
    from dashboard.schemas import FaultIn
    from dashboard.services.audit import Actor
    from dashboard.services.dispatch import rank_candidates
    from dashboard.services.faults import ingest_fault
    from dashboard.services.workorders import assign_crew
    from dashboard.simulator.storm import DISPATCH_AFTER_S
    from tests.conftest import make_fault
    clock = [now_utc()]
    services.clock = lambda: clock[0]
    sim = StormSimulator(services, seed=5, speed=1)
    sim.setup()
    sim.stormy = lambda: False  # only the two orders below matter here
    with services.db.write() as s:
        mine, theirs = (ingest_fault(s, services.bus, services.catalog, FaultIn.model_validate(make_fault(
            reported_at=clock[0].isoformat(), category="lv", lon=lon)), clock[0]).workorder_id
            for lon in (116.40, 116.30))
    _run(sim, clock, DISPATCH_AFTER_S - 10)
    with services.db.read() as s:
        assert s.get(WorkOrder, theirs).status == "received"  # still the people's to dispatch
        crew = rank_candidates(s, mine, limit=1)[0]
        version = s.get(WorkOrder, mine).version
    with services.db.write() as s:
        assign_crew(s, services.bus, mine, crew["crew_id"], version=version, now=clock[0], by=Actor("li", "dispatcher"))
    _run(sim, clock, 30)
    with services.db.read() as s:
        assert s.get(WorkOrder, theirs).status == "dispatched"  # after its two minutes, the simulator's
    positions = []
    for _ in range(20):  # twenty simulated minutes: it accepts, turns out and drives
        _run(sim, clock, 60)
        with services.db.read() as s:
            c = s.get(Crew, crew["crew_id"])
            positions.append((c.lon, c.lat, c.speed_kmh))
            if s.get(WorkOrder, mine).arrived_at is not None:
                break
    moving = [p for p in positions if p[2]]
    assert moving, "the crew a person sent never set off"
    assert all(p[2] <= 45 for p in moving)  # a road speed, not 900 km/h
    with services.db.read() as s:
        order = s.get(WorkOrder, mine)
    minutes = (order.arrived_at - order.dispatched_at).total_seconds() / 60 if order.arrived_at else None
    assert minutes is None or minutes >= 3 + crew["distance_km"] * 1.35 / 45 * 60 * 0.9  # accept, turn out, drive


def test_on_the_demo_network_storms_break_real_devices_and_one_crew_goes_to_each(services):
    from sqlalchemy import func, select

    from dashboard.demo_network import seed_demo_network
    from dashboard.models import Device, FaultReport, Outage, WorkOrder
    clock = [now_utc()]
    services.clock = lambda: clock[0]
    assert seed_demo_network(services.db, clock[0])
    sim = StormSimulator(services, seed=7, speed=6)
    sim.setup()
    assert sim.trips is not None
    _run(sim, clock, 900)  # 90 simulated minutes: the storm blows, crews arrive and restore
    with services.db.read() as s:
        sources = dict(s.execute(select(Outage.source, func.count()).where(Outage.device_id.is_not(None))
                                 .group_by(Outage.source)).all())
        assert sources.get("automation", 0) > 0 and sources.get("calls", 0) > 0
        assert s.scalar(select(func.count()).where(Outage.status == "restored", Outage.device_id.is_not(None))) > 0
        located = dict(s.execute(select(FaultReport.located_by, func.count()).group_by(FaultReport.located_by)).all())
        assert located.get("customer", 0) > 0 and located.get("report", 0) > 0
        assert any(k and k.startswith("nearest") for k in located)
        # Calls under a failure made fewer orders than calls: one crew per failure.
        linked = s.scalar(select(func.count()).select_from(FaultReport).where(FaultReport.outage_id.is_not(None)))
        orders = s.scalar(select(func.count(func.distinct(Outage.workorder_id))).where(Outage.device_id.is_not(None)))
        assert linked > orders > 0
        # Every device automation reports open lies at or below an outage under way.
        net = services.network.current(s)
        under_way = [d for d, in s.execute(select(Outage.device_id).where(
            Outage.status.in_(("predicted", "confirmed", "active")), Outage.device_id.is_not(None)))]
        for device in s.scalars(select(Device.id).where(Device.reported_state == "open")):
            assert any(net.is_at_or_below(device, d) for d in under_way), device
        auto = s.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.channel == "auto",
                                                                          WorkOrder.outage_id.is_not(None)))
        assert auto > 0  # 主动抢修: orders before anyone called
