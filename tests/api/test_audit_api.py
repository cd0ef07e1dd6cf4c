"""Who did what: every change to an order, every sign-in (failed ones too) and every user or token change leaves
an audit row, written with the change; admins and executives read it, as JSON pages or CSV."""
import csv
import io

from tests.conftest import auth, make_fault, now_utc, post_login, sign_in

ING, DIS = auth("ingest"), auth("dispatcher")


def _setup(client):
    a = client.post("/api/v1/faults", json=make_fault(category="hazard"), headers=ING).json["workorder_id"]
    b = client.post("/api/v1/faults", json=make_fault(category="hazard", lon=116.41), headers=ING).json["workorder_id"]
    client.put("/api/v1/crews/C1", json={"name": "c", "team": "t", "skills": ["lv"], "members": 2, "on_duty": True},
               headers=ING)
    client.post("/api/v1/crews/positions", json={"items": [{"crew_id": "C1", "lon": 116.41, "lat": 39.91,
                                                             "at": now_utc().isoformat()}]}, headers=ING)
    return a, b


def _audit(client, query="", role="admin"):
    return client.get(f"/api/v1/audit{query}", headers=auth(role))


def test_every_change_to_an_order_leaves_a_row(client):
    a, b = _setup(client)
    version = client.get(f"/api/v1/workorders/{a}", headers=DIS).json["version"]
    assert client.post(f"/api/v1/workorders/{a}/assign", json={"crew_id": "C1", "version": version},
                       headers=DIS).status_code == 200
    assert client.post(f"/api/v1/workorders/{a}/transition", json={"to": "on_site"}, headers=ING).status_code == 200
    assert client.post(f"/api/v1/workorders/{b}/merge", json={"into": a}, headers=DIS).status_code == 200
    c = client.post("/api/v1/faults", json=make_fault(category="hazard", lon=116.42), headers=ING).json["workorder_id"]
    assert client.post(f"/api/v1/workorders/{c}/transition", json={"to": "cancelled", "note": "not ours"},
                       headers=DIS).status_code == 200
    items = _audit(client).json["items"]
    rows = [(i["action"], i["object_id"], i["actor"]) for i in items if i["object"] == "workorder"]
    assert rows == [("assigned", str(a), "config:dispatcher"), ("transition", str(a), "config:ingest"),
                    ("merged", str(b), "config:dispatcher"), ("cancelled", str(c), "config:dispatcher")]
    cancelled = next(i for i in items if i["action"] == "cancelled")
    assert cancelled["details"] == {"from": "received", "to": "cancelled", "note": "not ours"}
    # A refused change leaves none: a stale version changes nothing, and records nothing.
    before = len(_audit(client).json["items"])
    assert client.post(f"/api/v1/workorders/{c}/transition", json={"to": "closed"}, headers=DIS).status_code == 409
    assert len(_audit(client).json["items"]) == before


def test_sign_ins_failed_ones_too(app, client, services):
    name = sign_in(client, services, "dispatcher")
    post_login(app.server.test_client(), name, "wrong-password")
    items = _audit(client, "?action=sign_in_failed").json["items"]
    assert [(i["object_id"], i["actor"]) for i in items] == [(name, "anonymous")]
    assert [i["actor"] for i in _audit(client, "?action=sign_in").json["items"]] == [name]
    assert [i["action"] for i in _audit(client, f"?actor={name}").json["items"]] == ["sign_in"]


def test_who_may_read_it_paging_and_csv(client, services):
    for role, status in (("admin", 200), ("executive", 200), ("dispatcher", 403), ("viewer", 403), ("ingest", 403)):
        assert _audit(client, role=role).status_code == status
    for i in range(5):
        post_login(client, f'=HYPERLINK("http://evil")-{i}', "x")  # a name typed to attack a spreadsheet
    first = _audit(client, "?limit=2").json
    second = _audit(client, f"?limit=2&cursor={first['next']}").json
    assert len(first["items"]) == 2 and len(second["items"]) == 2 and first["items"] != second["items"]
    text = _audit(client, "?format=csv").data.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5 and all(r["object_id"].startswith("'=") for r in rows)
    assert set(rows[0]) == {"at", "actor", "role", "action", "object", "object_id", "details"}
    since = _audit(client, f"?from={now_utc().isoformat().replace('+', '%2B')}").json["items"]
    assert since == []
    for bad in ("?from=yesterday", "?cursor=abc", "?limit=0", "?format=xml"):
        assert _audit(client, bad).status_code == 422, bad
