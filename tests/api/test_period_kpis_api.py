"""GET /kpis?from=&to=&district= over HTTP on SQLite and PostgreSQL: roles, bad periods, the shape and a few
orders reported through the live API."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dashboard.api.answers.period_kpis import PeriodKpisOut
from dashboard.api.answers import KpisOut
from tests.conftest import auth, make_fault
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)

EXEC = auth("executive")
NOW = datetime(2026, 6, 15, 4, 0, tzinfo=timezone.utc)  # 12:00 in Beijing


@pytest.fixture
def clock(services):
    services.clock = lambda: NOW
    return NOW


def get(client, headers=EXEC, **params):
    return client.get("/api/v1/kpis", headers=headers, query_string=params)


@pytest.mark.parametrize("role, status", [("executive", 200), ("admin", 200), ("dispatcher", 200),
                                          ("viewer", 403), ("ingest", 403)])
def test_roles(client, clock, role, status):
    assert get(client, auth(role), **{"from": "2026-06-01", "to": "2026-06-14"}).status_code == status
    assert client.get("/api/v1/kpis", query_string={"from": "2026-06-01"}).status_code == 401


def test_without_parameters_today_as_before(client, clock):
    answer = get(client, auth("viewer"))
    assert answer.status_code == 200
    KpisOut.model_validate(answer.json)


@pytest.mark.parametrize("params, field", [
    ({"from": "2026-13-01"}, "from"), ({"from": "yesterday"}, "from"), ({"to": "2026-02-30"}, "to"),
    ({"from": "2026-06-02", "to": "2026-06-01"}, "from"), ({"from": "2025-01-01", "to": "2026-06-01"}, "to"),
    ({"from": "1999-01-01", "to": "1999-01-02"}, "from"), ({"from": "2026-07-01", "to": "2026-07-02"}, "from"),
    ({"from": "2026-06-01T00:00:00"}, "from"), ({"from": "2026-06-10T00:00:00+08:00",
                                                 "to": "2026-06-10T00:00:00+08:00"}, "from"),
    ({"district": "Atlantis"}, "district"), ({"from": "2026-6-1"}, "from")])
def test_bad_periods_are_422_naming_the_field(client, clock, params, field):
    answer = get(client, **params)
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["details"][0]["field"] == field


def test_a_period_answers_the_shape_with_orders(client, clock, services, grid):
    for i in range(3):
        fault = make_fault(external_id=f"P-{i}", reported_at=(NOW - timedelta(hours=5 + i)).isoformat())
        assert client.post("/api/v1/faults", headers=auth("ingest"), json=fault).status_code in (200, 201)
    answer = get(client, **{"from": "2026-06-14", "to": "2026-06-15"})
    assert answer.status_code == 200, answer.json
    body = PeriodKpisOut.model_validate(answer.json)
    assert body.series.step == "hour" and len(body.series.points) == 48
    assert body.outages.calls == 3
    assert body.orders.received >= 1
    assert sum(p.received for p in body.series.points) == body.orders.received
    ranks = [d.rank for d in body.by_district]
    assert ranks == sorted(ranks) and ranks[0] == 1
