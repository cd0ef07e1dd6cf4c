"""The demo storm, driven tick by tick on a controlled clock, through the real services and database."""
from datetime import timedelta

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
    sim = StormSimulator(services, seed=7)
    sim.setup()
    for _ in range(600):  # ten simulated minutes, one second a step
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
