"""Dispatch over HTTP: candidates, assign with versions, transitions by crews' terminals, merge."""
from tests.conftest import auth, make_fault, now_utc

ING, DIS = auth("ingest"), auth("dispatcher")


def _setup(client):
    order = client.post("/api/v1/faults", json=make_fault(), headers=ING).json["workorder_id"]
    client.put("/api/v1/crews/C1", json={"name": "c", "team": "t", "skills": ["lv"], "members": 2, "on_duty": True},
               headers=ING)
    client.post("/api/v1/crews/positions", json={"items": [{"crew_id": "C1", "lon": 116.41, "lat": 39.91,
                                                             "at": now_utc().isoformat()}]}, headers=ING)
    return order


def test_dispatch_flow(client):
    order = _setup(client)
    cands = client.get(f"/api/v1/workorders/{order}/candidates", headers=DIS).json["items"]
    assert cands[0]["crew_id"] == "C1" and cands[0]["eta_min"] > 0
    stale = client.post(f"/api/v1/workorders/{order}/assign", json={"crew_id": "C1", "version": 7}, headers=DIS)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    version = client.get(f"/api/v1/workorders/{order}", headers=DIS).json["version"]
    ok = client.post(f"/api/v1/workorders/{order}/assign", json={"crew_id": "C1", "version": version}, headers=DIS)
    assert ok.status_code == 200 and ok.json["status"] == "dispatched"
    # The crew's terminal reports its own progress with the ingest role.
    r = client.post(f"/api/v1/workorders/{order}/transition", json={"to": "on_site"}, headers=ING)
    assert r.status_code == 200 and r.json["arrived_at"]
    bad = client.post(f"/api/v1/workorders/{order}/transition", json={"to": "closed"}, headers=ING)
    assert bad.status_code == 409 and bad.json["error"]["code"] == "invalid_transition"
    assert client.post(f"/api/v1/workorders/{order}/transition", json={"to": "flying"}, headers=ING).status_code \
        == 422
    detail = client.get(f"/api/v1/workorders/{order}", headers=DIS).json
    assert [e["action"] for e in detail["timeline"]] == ["created", "assign", "transition"]


def test_merge_over_http(client):
    a = client.post("/api/v1/faults", json=make_fault(), headers=ING).json["workorder_id"]
    b = client.post("/api/v1/faults", json=make_fault(lon=116.30, lat=39.98), headers=ING).json["workorder_id"]
    r = client.post(f"/api/v1/workorders/{b}/merge", json={"into": a}, headers=DIS)
    assert r.status_code == 200 and r.json["report_count"] == 2
    assert client.post(f"/api/v1/workorders/{b}/merge", json={"into": a}, headers=DIS).status_code == 409
    assert client.post(f"/api/v1/workorders/{a}/merge", json={"into": 9999}, headers=DIS).status_code == 404
    assert client.post(f"/api/v1/workorders/{a}/merge", json={"into": "x"}, headers=DIS).status_code == 422
    listed = client.get("/api/v1/workorders?overdue=false", headers=DIS).json
    assert [o["id"] for o in listed["items"]] == [a]
    assert client.get("/api/v1/workorders?overdue=maybe", headers=DIS).status_code == 422
    assert client.get("/api/v1/workorders?status=nope", headers=DIS).status_code == 422
