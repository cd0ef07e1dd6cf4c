"""/kpis counts a customer interruption as /reliability does: only outages longer than the configured sustained
threshold (GRIDCMD_SUSTAINED_MIN), not the library default."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dashboard.models import Outage
from tests.conftest import auth

NOW = datetime(2026, 6, 15, 4, 0, tzinfo=timezone.utc)  # 12:00 in Beijing
MIDNIGHT = datetime(2026, 6, 14, 16, 0, tzinfo=timezone.utc)


@pytest.fixture
def config(config):
    return config.with_(sustained_min=60.0)


def test_a_30_minute_outage_is_momentary_under_a_60_minute_threshold(client, services, grid):
    services.clock = lambda: NOW
    start = NOW - timedelta(hours=3)
    with services.db.write() as session:
        session.add(Outage(status="restored", kind="unplanned", grid_ids=[grid], districts=["东城区"], start=start,
                           end=start + timedelta(minutes=30), customers_affected=100, updated_at=NOW))
    period = {"from": MIDNIGHT.isoformat(), "to": NOW.isoformat()}
    kpis = client.get("/api/v1/kpis", headers=auth("executive"), query_string=period).json
    reliability = client.get("/api/v1/reliability", headers=auth("executive"),
                             query_string={"from": "2026-06-15", "to": "2026-06-16"}).json
    assert kpis["outages"]["outages"] == 1  # it happened ...
    assert kpis["outages"]["customer_interruptions"] == 0 and kpis["outages"]["customer_minutes"] == 0
    assert reliability["all"]["customer_interruptions"] == 0  # ... but neither counts it as an interruption
