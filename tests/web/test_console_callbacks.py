"""The console's callbacks (回访) check who is asking on the server: a viewer's forged "record a result" changes
nothing (403); a dispatcher's records it, and the order is called back (visited). The worklist is theirs only."""
import json

import pytest

from tests.conftest import SAME_ORIGIN, auth, make_fault, now_utc, sign_in

ING, DIS = auth("ingest"), auth("dispatcher")


def _restored(client) -> tuple[int, int]:
    oid = client.post("/api/v1/faults", json=make_fault(phone="13800138000"), headers=ING).json["workorder_id"]
    client.put("/api/v1/crews/C1", json={"name": "c", "team": "t", "skills": ["lv"], "members": 2, "on_duty": True},
               headers=ING)
    client.post("/api/v1/crews/positions", json={"items": [{"crew_id": "C1", "lon": 116.41, "lat": 39.91,
                                                             "at": now_utc().isoformat()}]}, headers=ING)
    version = client.get(f"/api/v1/workorders/{oid}", headers=DIS).json["version"]
    client.post(f"/api/v1/workorders/{oid}/assign", json={"crew_id": "C1", "version": version}, headers=DIS)
    for to in ("on_site", "restored"):
        assert client.post(f"/api/v1/workorders/{oid}/transition", json={"to": to}, headers=ING).status_code == 200
    return oid, client.get(f"/api/v1/workorders/{oid}", headers=DIS).json["callback"]["id"]


def _post(client, body):
    return client.post("/_dash-update-component", data=json.dumps(body),
                       headers=SAME_ORIGIN | {"Content-Type": "application/json"})


def _record(app, client, oid: int, task: int, result: str = "satisfied", seen: int = 0):
    output = next(k for k, v in app.callback_map.items()
                  if any("cb-record" in str(i["id"]) for i in v["inputs"]))
    button = {"result": result, "seen": seen, "task": task, "type": "cb-record"}
    return _post(client, {
        "output": output, "outputs": [{"id": "console-message", "property": "children"},
                                      {"id": "console-refresh", "property": "data"}],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [{"id": "console-selected", "property": "data", "value": oid},
                  {"id": "console-callback-note", "property": "value", "value": "客户满意"},
                  {"id": "console-refresh", "property": "data", "value": 0}],
        "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"]})


def _worklist(client):
    return _post(client, {
        "output": "console-callbacks-pane.children", "outputs": {"id": "console-callbacks-pane",
                                                                  "property": "children"},
        "inputs": [{"id": "console-board-tick", "property": "data", "value": 1},
                   {"id": "console-refresh", "property": "data", "value": 0},
                   {"id": "console-tab", "property": "value", "value": "callbacks"}],
        "state": [], "changedPropIds": ["console-board-tick.data"]})


@pytest.mark.parametrize("role", ["viewer", "executive"])
def test_a_forged_callback_result_from_a_viewer_changes_nothing(app, client, services, role):
    oid, task = _restored(client)
    sign_in(client, services, role)
    r = _record(app, client, oid, task)
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"
    assert _worklist(client).status_code == 403
    detail = client.get(f"/api/v1/workorders/{oid}", headers=DIS).json
    assert detail["status"] == "restored" and detail["callback"]["status"] == "pending"
    assert detail["callback"]["attempts"] == []


def test_a_dispatcher_records_a_result_and_the_order_is_visited(app, client, services):
    oid, task = _restored(client)
    name = sign_in(client, services, "dispatcher")
    listed = json.dumps(_worklist(client).json, ensure_ascii=False)
    assert f"#{oid}" in listed and "13800138000" in listed
    r = _record(app, client, oid, task)
    assert r.status_code == 200 and "满意" in json.dumps(r.json, ensure_ascii=False)
    detail = client.get(f"/api/v1/workorders/{oid}", headers=DIS).json
    assert detail["status"] == "visited" and detail["callback"]["attempts"][0]["actor"] == name
    assert detail["callback"]["attempts"][0]["note"] == "客户满意"
    again = _record(app, client, oid, task)  # already done: said, nothing more stored
    assert again.status_code == 200 and "未执行" in json.dumps(again.json, ensure_ascii=False)
    assert len(client.get(f"/api/v1/workorders/{oid}", headers=DIS).json["callback"]["attempts"]) == 1


def test_a_second_press_on_what_the_desk_showed_is_not_a_second_ring(app, client, services):
    oid, task = _restored(client)
    sign_in(client, services, "dispatcher")
    assert _record(app, client, oid, task, "not_reached", seen=0).status_code == 200
    again = _record(app, client, oid, task, "not_reached", seen=0)  # the same button, pressed twice
    assert again.status_code == 200 and "未执行" in json.dumps(again.json, ensure_ascii=False)
    assert _record(app, client, oid, task, "not_reached", seen=1).status_code == 200  # the desk redrawn: a new ring
    callback = client.get(f"/api/v1/workorders/{oid}", headers=DIS).json["callback"]
    assert len(callback["attempts"]) == 2 and callback["status"] == "pending"
