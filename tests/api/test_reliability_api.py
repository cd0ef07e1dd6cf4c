"""GET /reliability over HTTP on SQLite and PostgreSQL: roles, bad periods, the district filter, outages ended (from
the roll-up) and under way (from their records), and the roll-up against a computation from the raw records."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from dashboard.api.answers import ReliabilityOut
from dashboard.figures.reliability import indices
from dashboard.models import Outage, ReliabilityPiece
from dashboard.services.reliability_rollup import COUNTED, grid_table, pieces_of
from dashboard.services.rollups import RebuildScope, rebuild
from tests.conftest import auth
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)

ING, EXEC = auth("ingest"), auth("executive")
TZ = "Asia/Shanghai"
NOW = datetime(2026, 6, 15, 4, 0, tzinfo=timezone.utc)  # 12:00 in Beijing
TODAY = NOW.astimezone(ZoneInfo(TZ)).date()
_ids = iter(range(10**6))


@pytest.fixture
def config(config):
    # The history is reported through the live API here, so it accepts outages that began long ago.
    return config.with_(max_report_age=timedelta(days=3 * 365))


@pytest.fixture
def clock(services):
    services.clock = lambda: NOW
    return NOW


def district_of(services, grid: str) -> str:
    return services.catalog.info[grid].district


def served(services, district: str | None) -> int:
    return sum(g.customers for g in services.catalog.info.values() if district is None or g.district == district)


def report_outage(client, grids: list[str], start: datetime, end: datetime | None, customers: int,
                  kind: str = "unplanned") -> int:
    answer = client.post("/api/v1/outages", headers=ING, json={
        "external_id": f"OUT-{next(_ids)}", "kind": kind, "grid_ids": grids, "start": start.isoformat(),
        "customers_affected": customers})
    assert answer.status_code == 201, answer.json
    oid = answer.json["id"]
    if end is not None:
        patched = client.patch(f"/api/v1/outages/{oid}", headers=ING, json={"end": end.isoformat()})
        assert patched.status_code == 200, patched.json
    return oid


def get(client, headers=EXEC, **params):
    return client.get("/api/v1/reliability", headers=headers, query_string=params)


@pytest.mark.parametrize("role, status", [("executive", 200), ("admin", 200), ("dispatcher", 200),
                                          ("viewer", 403), ("ingest", 403)])
def test_roles(client, clock, role, status):
    assert get(client, auth(role)).status_code == status
    assert client.get("/api/v1/reliability").status_code == 401


@pytest.mark.parametrize("params", [
    {"from": "2026-13-01"}, {"from": "yesterday"}, {"from": "2026-06-01", "to": "2026-06-01"},
    {"from": "2026-06-02", "to": "2026-06-01"}, {"from": "2019-01-01", "to": "2026-06-01"},
    {"from": "1999-01-01", "to": "2000-01-02"}, {"from": "2026-07-01", "to": "2026-08-01"},
    {"n": "-1"}, {"n": "three"}, {"district": "Atlantis"}, {"planned": "maybe"}, {"from": "2026-6-1"}])
def test_bad_periods_and_parameters_are_422(client, clock, params):
    answer = get(client, **params)
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["code"] == "validation_failed"


def test_an_ended_outage_counts_in_its_district_only(client, services, clock, grid):
    district = district_of(services, grid)
    start = NOW - timedelta(hours=3)
    report_outage(client, [grid], start, start + timedelta(minutes=120), 100)
    report_outage(client, [grid], start, start + timedelta(minutes=3), 400)  # momentary: not counted
    body = get(client, district=district, **{"from": (TODAY - timedelta(days=6)).isoformat()}).json
    ReliabilityOut.model_validate(body)  # the documented answer, no field more or less
    nt = served(services, district)
    assert body["customers_served"] == nt and body["district"] == district
    assert body["all"]["customer_interruptions"] == pytest.approx(100)
    assert body["all"]["customer_minutes"] == pytest.approx(12_000)
    assert body["all"]["saidi"] == pytest.approx(12_000 / nt)
    assert body["all"]["caidi"] == pytest.approx(120)
    assert body["period_minutes"] == pytest.approx(6 * 1440 + 12 * 60)  # six whole days and today until noon
    assert body["all"]["asai"] == pytest.approx(1 - 12_000 / nt / body["period_minutes"])
    mine = [g for g in services.catalog.info.values() if g.district == district]
    target = sum((0.999 if g.area_class == "urban" else 0.998) * g.customers for g in mine) / nt
    assert body["asai_target"] == pytest.approx(target)
    assert body["meets_target"] is (body["all"]["asai"] >= target)
    other = next(d for d in services.catalog.districts() if d != district)
    assert get(client, district=other).json["all"]["customer_interruptions"] == 0
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ReliabilityPiece)) == 2  # both, sustained or not


def test_an_outage_under_way_counts_up_to_now(client, services, clock, grid):
    report_outage(client, [grid], NOW - timedelta(minutes=30), None, 50)
    body = get(client, district=district_of(services, grid)).json
    assert body["all"]["customer_minutes"] == pytest.approx(50 * 30)
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ReliabilityPiece)) == 0  # not ended: not rolled up


def test_planned_outages_can_be_left_out(client, services, clock, grid):
    start = NOW - timedelta(hours=5)
    report_outage(client, [grid], start, start + timedelta(hours=1), 10, kind="planned")
    assert get(client).json["all"]["customer_interruptions"] == pytest.approx(10)
    assert get(client, planned="false").json["all"]["customer_interruptions"] == 0


def test_a_storm_day_is_a_major_event_day(client, services, clock, grid):
    district = district_of(services, grid)
    for i in range(1, 30):  # a calm month: one small outage a day
        start = NOW - timedelta(days=i, hours=1)
        report_outage(client, [grid], start, start + timedelta(minutes=30 + i), 20 + i)
    storm = NOW - timedelta(days=3, hours=2)
    report_outage(client, [grid], storm, storm + timedelta(hours=10), 5000)
    body = get(client, district=district, **{"from": (TODAY - timedelta(days=40)).isoformat()}).json
    med = body["med"]
    assert [d["date"] for d in med["days"]] == [(storm.astimezone(ZoneInfo(TZ))).date().isoformat()]
    assert med["days_in_history"] == 29 and med["threshold_min"] > 0
    assert body["excluding_med"]["customer_minutes"] < body["all"]["customer_minutes"]
    assert body["excluding_med"]["customer_minutes"] == pytest.approx(
        body["all"]["customer_minutes"] - 5000 * 600 - (20 + 3) * (30 + 3))


def test_roll_up_equals_a_computation_from_the_raw_records(client, services, clock):
    rng = random.Random(12)
    grids = sorted(services.catalog.info)[:6]
    for _ in range(25):
        start = NOW - timedelta(minutes=rng.uniform(0, 20 * 1440))
        end = None if rng.random() < 0.15 else min(start + timedelta(minutes=rng.expovariate(1 / 200)), NOW)
        report_outage(client, rng.sample(grids, rng.randint(1, 3)), start, end, rng.randint(1, 3000),
                      kind=rng.choice(["planned", "unplanned"]))
    first = (TODAY - timedelta(days=25)).isoformat()
    by_hook = get(client, n=1, **{"from": first}).json
    with services.db.write() as session:
        rebuild(session, RebuildScope(None, None, TZ, NOW))
    assert get(client, n=1, **{"from": first}).json == by_hook
    with services.db.read() as session:
        outages = session.scalars(select(Outage).where(*COUNTED)).all()
        raw = pieces_of(outages, grid_table(session), TZ, NOW)
    expected = indices(raw, served(services, None), by_hook["period_minutes"], n=1)
    for key, value in expected.as_dict().items():
        assert by_hook["all"][key] == pytest.approx(value), key
