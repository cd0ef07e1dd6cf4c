"""The console's server side checks who is asking: a viewer's browser cannot open it, read its list, or send a
forged assign, transition or merge callback; a dispatcher's can. Nothing changes on a refusal."""
import json

import pytest

from tests.conftest import SAME_ORIGIN, auth, make_fault, now_utc, sign_in

ING = auth("ingest")


def _order_and_crew(client) -> tuple[int, int]:
    oid = client.post("/api/v1/faults", json=make_fault(), headers=ING).json["workorder_id"]
    client.put("/api/v1/crews/C1", json={"name": "c", "team": "t", "skills": ["lv"], "members": 2, "on_duty": True},
               headers=ING)
    client.post("/api/v1/crews/positions", json={"items": [{"crew_id": "C1", "lon": 116.41, "lat": 39.91,
                                                             "at": now_utc().isoformat()}]}, headers=ING)
    return oid, client.get(f"/api/v1/workorders/{oid}", headers=auth("dispatcher")).json["version"]


def _callback(client, output: str, outputs, inputs, state=()):
    body = {"output": output, "outputs": outputs, "inputs": list(inputs), "state": list(state),
            "changedPropIds": [f"{json.dumps(inputs[0][0]['id'], separators=(',', ':'), sort_keys=True)}.n_clicks"
                               if isinstance(inputs[0], list) else f"{inputs[0]['id']}.{inputs[0]['property']}"]}
    return client.post("/_dash-update-component", data=json.dumps(body),
                       headers=SAME_ORIGIN | {"Content-Type": "application/json"})


def _assign(app, client, oid, version):
    output = next(k for k in app.callback_map if k.startswith("..console-message.children..."))
    button = {"crew": "C1", "type": "assign", "version": version}
    return _callback(client, output, [{"id": "console-message", "property": "children"},
                                      {"id": "console-refresh", "property": "data"}],
                     [[{"id": button, "property": "n_clicks", "value": 1}]],
                     [{"id": "console-selected", "property": "data", "value": oid},
                      {"id": "console-reason", "property": "value", "value": None},
                      {"id": "console-refresh", "property": "data", "value": 0}])


@pytest.mark.parametrize("role", ["viewer", "executive"])
def test_a_viewer_cannot_open_the_console_or_forge_its_callbacks(app, client, services, role):
    oid, version = _order_and_crew(client)
    sign_in(client, services, role)
    page = client.get("/console")
    assert page.status_code == 403 and "无权" in page.data.decode()
    r = _assign(app, client, oid, version)
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"
    detail = client.get(f"/api/v1/workorders/{oid}", headers=auth("dispatcher")).json
    assert detail["status"] == "received" and detail["version"] == version  # nothing changed


def test_a_dispatcher_assigns_through_the_console_callback(app, client, services):
    oid, version = _order_and_crew(client)
    name = sign_in(client, services, "dispatcher")
    assert client.get("/console").status_code == 200 and client.get("/").headers["Location"] == "/console"
    r = _assign(app, client, oid, version)
    assert r.status_code == 200 and "C1" in json.dumps(r.json, ensure_ascii=False)
    detail = client.get(f"/api/v1/workorders/{oid}", headers=auth("dispatcher")).json
    assert detail["status"] == "dispatched" and detail["timeline"][-1]["actor"] == name
    # The same click again (a second dispatcher with the old version): refused, said, nothing changed.
    again = _assign(app, client, oid, version)
    text = json.dumps(again.json, ensure_ascii=False)
    assert again.status_code == 200 and "未执行" in text and name in text
    assert client.get(f"/api/v1/workorders/{oid}", headers=auth("dispatcher")).json["version"] == version + 1


def test_every_callback_output_is_registered_once(app):
    # Two callbacks writing one output without allow_duplicate silently replace each other in Dash.
    assert len(app.callback_map) == len(app._callback_list)


def test_the_page_names_the_readers_language(client, services):
    sign_in(client, services, "dispatcher")
    assert '<html lang="zh-CN">' in client.get("/console").get_data(as_text=True)
    client.get("/lang/en?next=/console")
    assert '<html lang="en">' in client.get("/console").get_data(as_text=True)
