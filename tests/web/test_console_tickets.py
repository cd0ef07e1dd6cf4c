"""The console's ticket callbacks check who is asking: a viewer's forged move is refused and changes nothing; a
dispatcher's moves the ticket, as them; cancelling needs a note."""
import json

import pytest

from tests.conftest import SAME_ORIGIN, auth, now_utc, sign_in

ING, DISP = auth("ingest"), auth("dispatcher")


def _ticket(client) -> int:
    body = {"external_id": "W-1", "kind": "complaint", "received_at": now_utc().isoformat(), "subject": "抢修太慢",
            "lon": 116.4075, "lat": 39.904}
    return client.post("/api/v1/tickets", json=body, headers=ING).json["id"]


def _move(app, client, tid: int, to: str, version: int = 1, note: str | None = None):
    output = next(k for k in app.callback_map if "console-ticket-done.data" in k and "console-message" in k)
    button = {"ticket": tid, "to": to, "type": "ticket-move", "version": version}
    body = {"output": output, "outputs": [{"id": "console-message", "property": "children"},
                                          {"id": "console-ticket-done", "property": "data"}],
            "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
            "state": [{"id": "console-ticket-note", "property": "value", "value": note},
                      {"id": "console-ticket-done", "property": "data", "value": 0}],
            "changedPropIds": [f"{json.dumps(button, separators=(',', ':'), sort_keys=True)}.n_clicks"]}
    return client.post("/_dash-update-component", data=json.dumps(body),
                       headers=SAME_ORIGIN | {"Content-Type": "application/json"})


@pytest.mark.parametrize("role", ["viewer", "executive"])
def test_a_forged_move_from_a_reader_is_refused(app, client, services, role):
    tid = _ticket(client)
    sign_in(client, services, role)
    r = _move(app, client, tid, "contacted")
    assert r.status_code == 403
    detail = client.get(f"/api/v1/tickets/{tid}", headers=DISP).json
    assert detail["status"] == "received" and detail["version"] == 1


def test_a_dispatcher_moves_a_ticket_and_a_cancel_needs_a_note(app, client, services):
    tid = _ticket(client)
    name = sign_in(client, services, "dispatcher")
    r = _move(app, client, tid, "contacted")
    assert r.status_code == 200 and f"#{tid}" in json.dumps(r.json, ensure_ascii=False)
    detail = client.get(f"/api/v1/tickets/{tid}", headers=DISP).json
    assert detail["status"] == "contacted" and detail["timeline"][-1]["actor"] == name
    stale = _move(app, client, tid, "closed", version=1)
    assert "未执行" in json.dumps(stale.json, ensure_ascii=False)
    r = _move(app, client, tid, "cancelled", version=2)
    assert "撤销需填写原因" in json.dumps(r.json, ensure_ascii=False)
    assert client.get(f"/api/v1/tickets/{tid}", headers=DISP).json["status"] == "contacted"
    _move(app, client, tid, "cancelled", version=2, note="客户撤诉")
    detail = client.get(f"/api/v1/tickets/{tid}", headers=DISP).json
    assert detail["status"] == "cancelled" and detail["timeline"][-1]["note"] == "客户撤诉"
