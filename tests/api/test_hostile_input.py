"""Input a fuzzer or a careless client sends: huge integers, absurd dates, deep geometry, NUL bytes, duplicate
keys, forged Dash callbacks. Each answers a clear 4xx and stores nothing, on SQLite and on PostgreSQL."""
import json

import pytest

from tests.conftest import auth, make_fault, now_utc, sign_in

ING, DIS, ADM = auth("ingest"), auth("dispatcher"), auth("admin")
HUGE = 9223372036854775808  # 2**63: past SQLite's integers
INT4 = 2147483648  # 2**31: past PostgreSQL's `integer`


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", [pytest.param("sqlite", id="sqlite"), pytest.param(
            "postgres", id="postgres", marks=pytest.mark.postgres)], indirect=True)


def _orders(client) -> int:
    return len(client.get("/api/v1/snapshot", headers=ING).json["workorders"])


def _order(client) -> dict:
    oid = client.post("/api/v1/faults", json=make_fault(), headers=ING).json["workorder_id"]
    return client.get(f"/api/v1/workorders/{oid}", headers=DIS).json


@pytest.mark.parametrize("number", [HUGE, INT4, 10 ** 40])
@pytest.mark.parametrize("method, path, body", [
    ("get", "/api/v1/workorders/{n}", None),
    ("get", "/api/v1/workorders/{n}/candidates", None),
    ("post", "/api/v1/workorders/{n}/assign", {"crew_id": "C1", "version": 1}),
    ("post", "/api/v1/workorders/{n}/transition", {"to": "cancelled"}),
    ("post", "/api/v1/workorders/{n}/merge", {"into": 1}),
    ("patch", "/api/v1/outages/{n}", {"etr": "2026-11-22T10:00:00+08:00"}),
])
def test_huge_ids_in_paths_are_404(client, number, method, path, body):
    r = getattr(client, method)(path.format(n=number), json=body, headers=ADM)
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


@pytest.mark.parametrize("field, number", [("into", HUGE), ("into", INT4), ("version", HUGE), ("version", INT4)])
def test_huge_ids_in_bodies_are_422(client, field, number):
    order = _order(client)
    if field == "into":
        r = client.post(f"/api/v1/workorders/{order['id']}/merge", json={"into": number}, headers=DIS)
    else:
        r = client.post(f"/api/v1/workorders/{order['id']}/assign", json={"crew_id": "C1", "version": number},
                        headers=DIS)
    assert r.status_code == 422 and field in [d["field"] for d in r.json["error"]["details"]]
    assert client.get(f"/api/v1/workorders/{order['id']}", headers=DIS).json["version"] == order["version"]


@pytest.mark.parametrize("reported_at", ["0001-01-01T00:00:00+00:00", "0001-01-01T00:10:00+14:00",
                                         "9999-12-31T23:59:59-12:00", "1970-01-01T00:00:00Z"])
def test_absurd_report_dates_are_422(client, reported_at):
    r = client.post("/api/v1/faults", json=make_fault(reported_at=reported_at), headers=ING)
    assert r.status_code == 422 and "reported_at" in [d["field"] for d in r.json["error"]["details"]]
    assert _orders(client) == 0


def test_a_batch_with_one_absurd_date_keeps_its_good_items(client):
    items = [make_fault(category="meter"), make_fault(reported_at="0001-01-01T00:00:00+00:00"),
             make_fault(category="meter")]
    r = client.post("/api/v1/faults", json={"items": items}, headers=ING)
    assert r.status_code == 200
    assert [x["status"] for x in r.json["results"]] == [201, 422, 201]
    assert _orders(client) == 2


def test_reports_older_than_the_configured_age_are_422(client, services):
    from datetime import timedelta
    old = (now_utc() - timedelta(days=8)).isoformat()
    r = client.post("/api/v1/faults", json=make_fault(reported_at=old), headers=ING)
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "reported_at"
    recent = (now_utc() - timedelta(days=6)).isoformat()
    assert client.post("/api/v1/faults", json=make_fault(reported_at=recent), headers=ING).status_code == 201


def test_the_report_age_limit_is_configuration(config):
    from datetime import timedelta

    from app import create_app, runtime_of
    app = create_app(config.with_(max_report_age=timedelta(hours=1)))
    try:
        client = app.server.test_client()
        two_hours = (now_utc() - timedelta(hours=2)).isoformat()
        assert client.post("/api/v1/faults", json=make_fault(reported_at=two_hours), headers=ING).status_code == 422
    finally:
        runtime_of(app).stop()


@pytest.mark.parametrize("field, value", [
    ("start", "0001-01-01T00:00:00+00:00"), ("etr", "9999-12-31T00:00:00+00:00"),
    ("notified_at", "0001-01-01T08:00:00+08:00")])
def test_absurd_outage_dates_are_422(client, field, value):
    body = {"external_id": "O-1", "kind": "unplanned", "grid_ids": ["110101-001"],
            "start": now_utc().isoformat(), "customers_affected": 10, field: value}
    r = client.post("/api/v1/outages", json=body, headers=ING)
    assert r.status_code == 422
    assert client.get("/api/v1/snapshot", headers=ING).json["outages"] == []


def test_absurd_dates_elsewhere_are_422(client):
    at = "0001-01-01T00:00:00+00:00"
    r = client.post("/api/v1/crews/positions", json={"items": [{"crew_id": "C1", "lon": 116.4, "lat": 39.9,
                                                                  "at": at}]}, headers=ING)
    assert r.status_code == 200 and r.json["rejected"] == 1
    order = _order(client)
    r = client.post(f"/api/v1/workorders/{order['id']}/transition", json={"to": "cancelled", "at": at}, headers=DIS)
    assert r.status_code == 422


@pytest.mark.parametrize("depth", [3, 100, 300, 5000])
def test_deep_geometry_is_rejected_clearly(client, depth):
    body = {"external_id": "O-deep", "kind": "unplanned", "start": now_utc().isoformat(), "customers_affected": 1,
            "geometry": {"type": "Polygon", "coordinates": "@"}}
    nested = "[" * depth + "116.4, 39.9" + "]" * depth  # written out: json.dumps itself gives up at 5000
    data = json.dumps(body).replace('"@"', nested)
    r = client.post("/api/v1/outages", data=data, headers=ING | {"Content-Type": "application/json"})
    assert r.status_code in (400, 422)
    error = r.json["error"]
    text = json.dumps(error)
    # Our own words, naming the place: no Python or numpy message passed through.
    assert "sequence" not in text and "array" not in text and "Error" not in text
    if r.status_code == 422:
        assert error["details"][0]["field"].startswith("geometry")
    assert client.get("/api/v1/snapshot", headers=ING).json["outages"] == []


def test_valid_geometry_still_works_with_integer_coordinates(client):
    ring = [[116, 39], [117, 39], [117, 40], [116, 40], [116, 39]]
    body = {"external_id": "O-ok", "kind": "unplanned", "start": now_utc().isoformat(), "customers_affected": 1,
            "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]}}
    r = client.post("/api/v1/outages", json=body, headers=ING)
    assert r.status_code == 201, r.json
    assert r.json["geometry"]["type"] == "MultiPolygon" and r.json["grid_ids"]


def test_duplicate_json_keys_are_400(client):
    data = '{"external_id": "dup-1", "external_id": "dup-2", "reported_at": "%s", "lon": 116.4, "lat": 39.9, ' \
           '"category": "lv"}' % now_utc().isoformat()
    r = client.post("/api/v1/faults", data=data, headers=ING | {"Content-Type": "application/json"})
    assert r.status_code == 400 and "external_id" in r.json["error"]["message"]
    nested = '{"items": [{"a": 1, "a": 2}]}'
    r = client.post("/api/v1/faults", data=nested, headers=ING | {"Content-Type": "application/json"})
    assert r.status_code == 400
    assert _orders(client) == 0


def test_deeply_nested_json_is_400(client):
    data = "[" * 200 + "]" * 200
    r = client.post("/api/v1/faults", data=data, headers=ING | {"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["error"]["code"] == "malformed_body"


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "ok\udfff"])
def test_nul_and_lone_surrogates_are_422(client, text):
    r = client.post("/api/v1/faults", data=json.dumps(make_fault(address=text)), headers=ING | {
        "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "address"
    r = client.put("/api/v1/crews/C1", data=json.dumps({"name": text, "team": "t", "skills": [], "members": 1,
                                                        "on_duty": True}),
                   headers=ING | {"Content-Type": "application/json"})
    assert r.status_code == 422
    assert _orders(client) == 0


@pytest.mark.parametrize("path", ["/api/v1/workorders?grid_id=a%00b", "/api/v1/crews/a%00b",
                                  "/api/v1/workorders?status=received%00"])
def test_nul_in_query_and_path_is_4xx(client, path):
    method = client.put if path.startswith("/api/v1/crews") else client.get
    body = {"name": "n", "team": "t", "skills": [], "members": 1, "on_duty": True}
    r = method(path, json=body if method == client.put else None, headers=ADM)
    assert 400 <= r.status_code < 500 and r.json["error"]["code"] == "validation_failed"


FORGED = [
    {},
    {"output": "nothing.children"},
    {"output": "nothing.children", "outputs": {"id": "nothing", "property": "children"}, "inputs": []},
    {"output": "live-clock.children", "outputs": {"id": "live-clock", "property": "children"},
     "inputs": [{"id": "live-tick", "property": "n_intervals", "value": 1}], "changedPropIds": ["live-tick.n_intervals"]},
    {"output": ["a"], "inputs": "x", "state": 5},
    {"output": "..x.children...y.data..", "outputs": [{"id": 1}], "inputs": [[[[]]]], "changedPropIds": [None]},
    [1, 2, 3],
    "text",
]


@pytest.mark.parametrize("body", FORGED)
def test_forged_dash_callbacks_are_4xx(client, services, body):
    sign_in(client, services, "viewer")
    r = client.post("/_dash-update-component", data=json.dumps(body),
                    headers={"Content-Type": "application/json", "Origin": "http://localhost"})
    assert 400 <= r.status_code < 500 and r.status_code != 401, r.data[:200]


def test_a_ring_mixing_2d_and_3d_positions_is_422(client):
    """Found by tests/api/test_fuzz.py: shapely cannot build such a ring, and the outage answered 500."""
    ring = [[116.3, 39.8], [116.5, 39.8, 40.0], [116.5, 40.0], [116.3, 39.8]]
    body = {"external_id": "O-mixed", "kind": "unplanned", "start": now_utc().isoformat(), "customers_affected": 1,
            "geometry": {"type": "Polygon", "coordinates": [ring]}}
    r = client.post("/api/v1/outages", json=body, headers=ING)
    assert r.status_code == 422, r.json
    assert r.json["error"]["details"][0]["field"].startswith("geometry")
    assert "same" in r.json["error"]["details"][0]["message"]
    assert client.get("/api/v1/snapshot", headers=ING).json["outages"] == []
    # Rings of one dimension each are still fine, 3-D ones too.
    body["geometry"]["coordinates"] = [[p[:2] + [40.0] for p in ring]]
    assert client.post("/api/v1/outages", json=body, headers=ING).status_code == 201
