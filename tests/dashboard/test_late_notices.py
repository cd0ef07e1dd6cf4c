"""The demo's late planned-outage announcements: through the outage service, below a real transformer, flagged late
by their rule, and their customers told through the customer notifier."""
import random

import pytest

from app import runtime_of
from dashboard.simulator.late_notices import LateNotices
from tests.conftest import auth
from tests.dashboard.notify.conftest import customer_network, notices, register


@pytest.fixture
def loaded(app, client, grid):
    runtime_of(app).notifier.stop()  # the rows are read, not sent
    assert client.put("/api/v1/topology", json={"devices": customer_network(grid)},
                      headers=auth("ingest")).status_code == 200
    return grid


def test_the_demo_announces_a_planned_outage_late_below_a_transformer(client, services, loaded):
    register(client, "T1", 4)
    register(client, "T2", 4)
    register(client, "T3", 4)
    jobs = []
    with services.db.read() as session:
        network = services.network.current(session)
    late = LateNotices(services, network, random.Random(3), lambda s, fn: jobs.append((s, fn)), "R", [loaded])
    late.start()
    for _ in range(3):
        late.announce()
    views = client.get("/api/v1/outages?status=scheduled", headers={"Authorization": "Bearer viewer-token"}).json
    assert len(views["items"]) == 3 and len(jobs) == 4  # the first, then each announcement schedules the next
    for view in views["items"]:
        assert view["kind"] == "planned" and view["notice_ok"] is False and len(view["device_ids"]) == 1
        assert view["notice_rule"] == {"temporary": "temporary_24h", "scheduled": "scheduled_7d"}[view["maintenance"]]
    told = [r for r in notices(services) if r.event == "customer_planned"]
    assert len(told) == 3 and all(len(r.recipients) == 4 for r in told)
    assert client.get("/api/v1/kpis", headers={"Authorization": "Bearer viewer-token"}).json["planned_notice_late"] == 3
