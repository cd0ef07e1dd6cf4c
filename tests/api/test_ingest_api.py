"""Ingest endpoints over HTTP, including every kind of bad input: clear JSON errors, nothing stored."""
from datetime import timedelta

import pytest

from tests.conftest import auth, make_fault, now_utc

ING = auth("ingest")


def _count(client):
    return len(client.get("/api/v1/snapshot", headers=ING).json["workorders"])


def test_fault_created_then_replayed_then_conflict(client):
    body = make_fault()
    first = client.post("/api/v1/faults", json=body, headers=ING)
    assert first.status_code == 201
    assert set(first.json) == {"id", "external_id", "grid_id", "workorder_id", "status", "created"}
    again = client.post("/api/v1/faults", json=body, headers=ING)
    assert again.status_code == 200 and again.json == first.json | {"created": False}
    clash = client.post("/api/v1/faults", json=body | {"priority": "urgent"}, headers=ING)
    assert clash.status_code == 409 and clash.json["error"]["code"] == "idempotency_conflict"
    assert _count(client) == 1


@pytest.mark.parametrize("data, status, code", [
    ("{not json", 400, "malformed_body"),
    ("", 400, "malformed_body"),
    ('{"external_id": "a", "lat": NaN}', 400, "malformed_body"),
    ("[1, 2]", 422, "validation_failed"),
])
def test_malformed_bodies(client, data, status, code):
    r = client.post("/api/v1/faults", data=data, headers=ING | {"Content-Type": "application/json"})
    assert (r.status_code, r.json["error"]["code"]) == (status, code)
    assert _count(client) == 0


@pytest.mark.parametrize("override, field", [
    ({"lon": "116.4"}, "lon"), ({"lat": 95.0}, "lat"), ({"lon": -181}, "lon"), ({"category": "storm"}, "category"),
    ({"priority": "asap"}, "priority"), ({"channel": "fax"}, "channel"), ({"crs": "bd09"}, "crs"),
    ({"external_id": ""}, "external_id"), ({"external_id": "x" * 65}, "external_id"),
    ({"reported_at": "2026-11-22T10:00:00"}, "reported_at"), ({"reported_at": "yesterday"}, "reported_at"),
    ({"description": "x" * 2001}, "description"), ({"customers_affected": 0}, "customers_affected"),
    ({"sensitive": "yes"}, "sensitive"), ({"surprise": 1}, "surprise"), ({"external_id": "   "}, "external_id"),
])
def test_validation_names_the_field(client, override, field):
    r = client.post("/api/v1/faults", json=make_fault(**override), headers=ING)
    assert r.status_code == 422
    assert field in [d["field"] for d in r.json["error"]["details"]]
    assert _count(client) == 0


def test_future_report_is_422(client):
    r = client.post("/api/v1/faults", json=make_fault(reported_at=(now_utc() + timedelta(days=1)).isoformat()),
                    headers=ING)
    assert r.status_code == 422


def test_batch_partial_success_and_limits(client):
    good, dup = make_fault(), make_fault()
    r = client.post("/api/v1/faults", json={"items": [good, {"lon": 1}, dup, dup]}, headers=ING)
    assert r.status_code == 200
    statuses = [(x["index"], x["status"]) for x in r.json["results"]]
    assert statuses == [(0, 201), (1, 422), (2, 201), (3, 200)]
    assert r.json["results"][0]["workorder_status"] == "received"
    assert "error" in r.json["results"][1]
    assert client.post("/api/v1/faults", json={"items": []}, headers=ING).status_code == 422
    big = {"items": [make_fault() for _ in range(1001)]}
    assert client.post("/api/v1/faults", json=big, headers=ING).status_code == 422
    orders = client.get("/api/v1/snapshot", headers=ING).json["workorders"]
    assert sum(o["report_count"] for o in orders) == 2  # same spot: both joined one order


def test_oversized_body_is_413(client, app):
    app.server.config["MAX_CONTENT_LENGTH"] = 10_000
    r = client.post("/api/v1/faults", json=make_fault(description="x" * 20_000), headers=ING)
    assert r.status_code == 413 and r.json["error"]["code"] == "body_too_large"


def test_outside_every_grid_is_201_with_null_grid(client):
    r = client.post("/api/v1/faults", json=make_fault(lon=2.35, lat=48.85), headers=ING)
    assert r.status_code == 201 and r.json["grid_id"] is None


def test_crews_positions_and_ignoring_older_positions(client):
    crew = {"name": "海淀抢修1班", "team": "海淀", "skills": ["lv"], "members": 3, "on_duty": True,
            "base_grid_id": "110108-001"}
    assert client.put("/api/v1/crews/C1", json=crew, headers=ING).status_code == 201
    assert client.put("/api/v1/crews/C1", json=crew | {"members": 4}, headers=ING).json["members"] == 4
    bad = client.put("/api/v1/crews/C2", json=crew | {"base_grid_id": "nope"}, headers=ING)
    assert bad.status_code == 422
    t0 = now_utc() - timedelta(minutes=1)
    items = [{"crew_id": "C1", "lon": 116.3, "lat": 39.98, "at": t0.isoformat(), "speed_kmh": 30.0},
             {"crew_id": "C1", "lon": 116.0, "lat": 39.00, "at": (t0 - timedelta(minutes=5)).isoformat()},
             {"crew_id": "ghost", "lon": 116.3, "lat": 39.9, "at": t0.isoformat()},
             {"crew_id": "C1", "lon": 500, "lat": 39.9, "at": t0.isoformat()}]
    r = client.post("/api/v1/crews/positions", json={"items": items}, headers=ING)
    assert r.status_code == 200 and (r.json["stored"], r.json["ignored"], r.json["rejected"]) == (1, 1, 2)
    (stored,) = client.get("/api/v1/snapshot", headers=ING).json["crews"]
    assert (stored["lon"], stored["lat"], stored["grid_id"][:6]) == (116.3, 39.98, "110108")


def test_seat_call_and_outage_endpoints(client):
    at = (now_utc() - timedelta(seconds=30)).isoformat()
    r = client.post("/api/v1/seats/events", json={"items": [{"seat_id": "S1", "group": "repair",
                                                             "state": "available", "at": at}]}, headers=ING)
    assert r.json["stored"] == 1
    r = client.post("/api/v1/calls/events", json={"items": [{"call_id": "K1", "queue": "repair",
                                                             "event": "offered", "at": at}]}, headers=ING)
    assert r.json["stored"] == 1
    snap = client.get("/api/v1/snapshot", headers=ING).json
    assert snap["seats"][0]["state"] == "available" and snap["queues"][0]["waiting"] == 1
    outage = {"external_id": "O1", "kind": "planned", "grid_ids": ["110108-001"], "start": at,
              "customers_affected": 1200, "notified_at": at}
    created = client.post("/api/v1/outages", json=outage, headers=ING)
    assert created.status_code == 201 and created.json["districts"] == ["海淀区"]
    assert client.post("/api/v1/outages", json=outage, headers=ING).status_code == 200
    assert client.post("/api/v1/outages", json=outage | {"grid_ids": None}, headers=ING).status_code == 422
    oid = created.json["id"]
    assert client.patch(f"/api/v1/outages/{oid}", json={"customers_affected": 900}, headers=ING).json[
        "customers_affected"] == 900
    assert client.patch(f"/api/v1/outages/{oid}", json={"end": "1999-01-01T00:00:00Z"}, headers=ING).status_code \
        == 422
    assert client.patch(f"/api/v1/outages/{oid}", json={"end": at}, headers=ING).json["active"] is False
    assert client.patch(f"/api/v1/outages/{oid}", json={"end": at}, headers=ING).status_code == 409
    assert client.patch("/api/v1/outages/424242", json={"end": at}, headers=ING).status_code == 404
    assert client.get("/api/v1/snapshot", headers=ING).json["outages"] == []


def test_an_outage_that_started_before_the_accepted_age_is_422_and_stores_nothing(client, services, grid):
    from dashboard.models import Outage
    old = (now_utc() - timedelta(days=8)).isoformat()
    r = client.post("/api/v1/outages", json={"external_id": "OLD-1", "kind": "unplanned", "grid_ids": [grid],
                                             "start": old, "customers_affected": 10}, headers=ING)
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "start"
    with services.db.read() as s:
        assert s.query(Outage).count() == 0
