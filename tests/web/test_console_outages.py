"""The console's 研判 callbacks on the server: the board (outages, screening lane, counts), the outage's desk, the
four decisions and the screening outcomes. A forged callback from a viewer is a 403 and changes nothing."""
import json
from datetime import timedelta

import pytest

from tests.api.test_network_api import ING, fault, network, outages, post
from tests.conftest import SAME_ORIGIN, auth, now_utc, sign_in

DISP = auth("dispatcher")


@pytest.fixture
def loaded(client, grid):
    answer = client.put("/api/v1/topology", json={"devices": network(grid)}, headers=ING)
    assert answer.status_code == 200, answer.json


def _callback_of(app, first_input: str | dict, output: str = "") -> tuple[str, dict]:
    """The server-side callback whose first input is `first_input` (an id, or a pattern's type) and whose outputs
    name `output`."""
    for key, cb in app.callback_map.items():
        if "callback" not in cb or output not in key:
            continue
        first = cb["inputs"][0]["id"]
        if first == first_input or (isinstance(first_input, dict) and first.startswith("{")
                                    and json.loads(first)["type"] == first_input["type"]):
            return key, cb
    raise AssertionError(f"no callback triggered by {first_input}")


def fire(app, client, trigger: str | dict, values: dict | None = None, pressed: list[dict] | None = None,
         output: str = ""):
    """Post the request Dash's renderer would send when `trigger` changes (a pattern trigger: the buttons in
    `pressed`, the first one clicked); `values` gives the inputs' and states' values by id."""
    values = values or {}
    key, cb = _callback_of(app, trigger, output)
    inputs, state = [], []
    for part, into in (("inputs", inputs), ("state", state)):
        for dep in cb[part]:
            if dep["id"].startswith("{"):
                into.append([{"id": b, "property": dep["property"], "value": 1 if i == 0 else None}
                             for i, b in enumerate(pressed or [])])
            else:
                into.append({"id": dep["id"], "property": dep["property"], "value": values.get(dep["id"])})
    outputs = [{"id": o.split("@")[0].rsplit(".", 1)[0], "property": o.split("@")[0].rsplit(".", 1)[1]}
               for o in key.strip(".").split("...")]
    first = json.dumps(pressed[0], separators=(",", ":"), sort_keys=True) if pressed else inputs[0]["id"]
    body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0], "inputs": inputs,
            "state": state, "changedPropIds": [f"{first}.{cb['inputs'][0]['property']}"]}
    return client.post("/_dash-update-component", data=json.dumps(body),
                       headers=SAME_ORIGIN | {"Content-Type": "application/json"})


def component(tree, component_id: str) -> dict | None:
    """The props of the component with `component_id` in a callback's answer (a Dash component tree)."""
    if isinstance(tree, list):
        return next((found for x in tree if (found := component(x, component_id)) is not None), None)
    if not isinstance(tree, dict):
        return None
    props = tree.get("props", {})
    if props.get("id") == component_id:
        return props
    return component(props.get("children"), component_id)


def text_of(answer) -> str:
    return json.dumps(answer.json, ensure_ascii=False)


def predicted(client) -> dict:
    post(client, fault("T1", 5))
    post(client, fault("T1", 2))
    (outage,) = outages(client)
    assert outage["status"] == "predicted"
    return outage


def outage_now(client, outage_id: int) -> dict:
    items = client.get("/api/v1/outages?status=predicted,confirmed,active,merged,restored",
                       headers=auth("viewer")).json["items"]
    return next(o for o in items if o["id"] == outage_id)


def audit(client, action: str) -> list[dict]:
    return client.get(f"/api/v1/audit?action={action}", headers=auth("admin")).json["items"]


def test_the_board_lists_the_predicted_outage_and_the_lane_then_sends_only_what_changed(app, client, services,
                                                                                       loaded):
    outage = predicted(client)
    post(client, fault(category="meter", customer_name="张三", phone="13800000000", lon=116.43))
    sign_in(client, services, "dispatcher")
    first = fire(app, client, "console-board-tick", {"console-board-tick": 1})
    assert first.status_code == 200, first.json
    answer = first.json["response"]
    (row,) = answer["console-outage-grid"]["rowData"]
    assert (row["id"], row["device_id"], row["status"], row["calls"], row["customers"], row["row_id"]) == (
        outage["id"], "T1", "predicted", 2, 100, str(outage["id"]))
    assert "phone" not in row and "customer_name" not in row
    lane = json.dumps(answer["console-lane"]["children"], ensure_ascii=False)
    assert "张三" in lane and "13800000000" in lane and '"outcome": "send_crew"' in lane
    counts = json.dumps(answer["console-tab"]["options"], ensure_ascii=False)
    assert "tab-count-outages" in counts and '"children": "1"' in counts
    seen = answer["console-board-seen"]["data"]
    again = fire(app, client, "console-board-tick", {"console-board-tick": 2, "console-board-seen": seen})
    assert set(again.json["response"]) == {"console-board-seen"}  # nothing moved: nothing redrawn
    post(client, fault("T1", 1))  # a third call under the outage
    moved = fire(app, client, "console-board-tick", {"console-board-tick": 3, "console-board-seen": seen})
    assert moved.json["response"]["console-outage-grid"]["rowData"][0]["calls"] == 3
    assert "console-lane" not in moved.json["response"]


def test_the_outage_desk_shows_its_facts_order_and_the_feeders_diagram(app, client, services, loaded):
    outage = predicted(client)
    sign_in(client, services, "dispatcher")
    answer = fire(app, client, "console-outage-selected", {"console-outage-selected": outage["id"]})
    assert answer.status_code == 200
    detail = json.dumps(answer.json["response"]["console-outage-detail"], ensure_ascii=False)
    diagram = json.dumps(answer.json["response"]["console-outage-diagram"], ensure_ascii=False)
    assert "2 calls under T1" in detail and f"打开工单 #{outage['workorder_id']}" in detail
    assert '"data-device": "F1"' in diagram and '"data-device": "T3"' in diagram  # the whole feeder
    assert "ol-here ol-dark ol-has-calls" in diagram and "☎2" in diagram
    actions = fire(app, client, "console-outage-selected", {"console-outage-selected": outage["id"]},
                   output="console-outage-actions")
    buttons = json.dumps(actions.json["response"]["console-outage-actions"], ensure_ascii=False)
    assert all(i in buttons for i in ("console-outage-confirm", "console-outage-move-go", "console-outage-merge-go"))
    assert '"value": "SW2"' in buttons  # anywhere on the feeder may be the place


def _decisions(outage_id: int) -> list[tuple[str, dict]]:
    base = {"console-outage-selected": outage_id}
    return [("console-outage-confirm", base | {"console-outage-confirm": 1}),
            ("console-outage-move-go", base | {"console-outage-move-go": 1, "console-outage-move-to": "SW1"}),
            ("console-outage-split-go", base | {"console-outage-split-go": 1, "console-outage-split-pick": ["T1"]}),
            ("console-outage-merge-go", base | {"console-outage-merge-go": 1, "console-outage-merge-into": 999})]


@pytest.mark.parametrize("role", ["viewer", "executive"])
def test_a_forged_decision_or_screening_from_another_role_is_403_and_changes_nothing(app, client, services, loaded,
                                                                                    role):
    outage = predicted(client)
    meter = post(client, fault(category="meter", lon=116.43))
    sign_in(client, services, role)
    for trigger, values in _decisions(outage["id"]):
        answer = fire(app, client, trigger, values)
        assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden", trigger
    button = {"type": "screen", "order": meter["workorder_id"], "version": 1, "outcome": "not_grid_fault"}
    assert fire(app, client, {"type": "screen"}, pressed=[button]).status_code == 403
    for reading in ("console-board-tick", "console-outage-selected"):  # the lane carries callers' names
        assert fire(app, client, reading, {reading: 1, "console-outage-selected": outage["id"]}).status_code == 403
    after = outage_now(client, outage["id"])
    assert (after["status"], after["device_id"], after["locked"]) == ("predicted", "T1", False)
    order = client.get(f"/api/v1/workorders/{meter['workorder_id']}", headers=DISP).json
    assert order["needs_screening"] is True and order["status"] == "received"
    assert audit(client, "confirmed") == audit(client, "moved") == audit(client, "screened") == []


def test_a_dispatcher_confirms_then_moves_the_outage_through_the_console(app, client, services, loaded):
    outage = predicted(client)
    name = sign_in(client, services, "dispatcher")
    done = fire(app, client, "console-outage-confirm", {"console-outage-confirm": 1,
                                                        "console-outage-selected": outage["id"],
                                                        "console-outage-note": "  crew saw it  ",
                                                        "console-outage-done": 4})
    assert done.status_code == 200
    assert f"停电 #{outage['id']} 已确认" in text_of(done) and done.json["response"]["console-outage-done"]["data"] == 5
    after = outage_now(client, outage["id"])
    assert after["status"] == "confirmed" and after["locked"] is True
    (entry,) = audit(client, "confirmed")
    assert entry["actor"] == name and entry["details"]["note"] == "crew saw it"
    moved = fire(app, client, "console-outage-move-go", {"console-outage-move-go": 1, "console-outage-move-to": "SW1",
                                                         "console-outage-selected": outage["id"]})
    assert "已移至 SW1" in text_of(moved)
    assert outage_now(client, outage["id"])["device_id"] == "SW1"
    nowhere = fire(app, client, "console-outage-move-go", {"console-outage-move-go": 1,
                                                           "console-outage-move-to": "NOPE",
                                                           "console-outage-selected": outage["id"]})
    assert nowhere.status_code == 200 and "未执行" in text_of(nowhere) and "NOPE" in text_of(nowhere)
    unpicked = fire(app, client, "console-outage-move-go", {"console-outage-move-go": 1,
                                                            "console-outage-selected": outage["id"]})
    assert "选择设备" in text_of(unpicked)
    assert outage_now(client, outage["id"])["device_id"] == "SW1"


def test_a_dispatcher_splits_an_outage_rolled_up_to_a_switch(app, client, services, loaded):
    for transformer, minutes in (("T1", 9), ("T1", 8), ("T2", 7), ("T2", 6)):
        post(client, fault(transformer, minutes))
    (outage,) = outages(client)
    assert outage["device_id"] == "SW1" and outage["calls"] == 4
    sign_in(client, services, "dispatcher")
    choices = fire(app, client, "console-outage-selected", {"console-outage-selected": outage["id"]},
                   output="console-outage-actions")
    actions = choices.json["response"]["console-outage-actions"]["children"]
    move = [o["value"] for o in component(actions, "console-outage-move-to")["options"]]
    split = [o["value"] for o in component(actions, "console-outage-split-pick")["options"]]
    assert sorted(move) == ["F1", "SW1", "SW2", "T1", "T2", "T3"] and sorted(split) == ["T1", "T2"]
    done = fire(app, client, "console-outage-split-go", {"console-outage-split-go": 1,
                                                         "console-outage-split-pick": ["T2"],
                                                         "console-outage-selected": outage["id"]})
    assert "拆分出 1 条" in text_of(done)
    parts = {o["device_id"]: o for o in outages(client)}
    assert set(parts) == {"SW1", "T2"} and parts["T2"]["calls"] == 2 and parts["SW1"]["calls"] == 2
    wrong = fire(app, client, "console-outage-split-go", {"console-outage-split-go": 1,
                                                          "console-outage-split-pick": ["T3"],
                                                          "console-outage-selected": outage["id"]})
    assert "未执行" in text_of(wrong) and "T3 is not below SW1" in text_of(wrong)


def test_a_dispatcher_merges_one_outage_into_another_and_the_desk_follows_it(app, client, services, loaded):
    outage = predicted(client)
    opened = client.post("/api/v1/devices/events", json={"items": [
        {"device_id": "SW2", "state": "open", "at": (now_utc() - timedelta(minutes=1)).isoformat()}]}, headers=ING)
    assert opened.json["stored"] == 1
    other = next(o for o in outages(client) if o["device_id"] == "SW2")
    sign_in(client, services, "dispatcher")
    choices = fire(app, client, "console-outage-selected", {"console-outage-selected": outage["id"]},
                   output="console-outage-actions")
    assert f'"value": {other["id"]}' in text_of(choices)
    done = fire(app, client, "console-outage-merge-go", {"console-outage-merge-go": 1,
                                                         "console-outage-merge-into": outage["id"],
                                                         "console-outage-selected": other["id"]})
    assert f"已并入 #{outage['id']}" in text_of(done)
    assert done.json["response"]["console-outage-selected"]["data"] == outage["id"]
    assert outage_now(client, other["id"])["status"] == "merged"
    again = fire(app, client, "console-outage-confirm", {"console-outage-confirm": 1,
                                                         "console-outage-selected": other["id"]})
    assert "未执行" in text_of(again) and "merged" in text_of(again)  # the ServiceError's message, said


@pytest.mark.parametrize("outcome, status", [("not_grid_fault", "cancelled"), ("customer_internal", "cancelled"),
                                             ("send_crew", "received")])
def test_a_dispatcher_screens_a_waiting_call_and_is_audited(app, client, services, loaded, outcome, status):
    waiting = post(client, fault(category="customer_internal", lon=116.43))
    name = sign_in(client, services, "dispatcher")
    button = {"type": "screen", "order": waiting["workorder_id"], "version": 1, "outcome": outcome}
    other = button | {"outcome": "send_crew" if outcome != "send_crew" else "not_grid_fault"}
    done = fire(app, client, {"type": "screen"}, {"console-refresh": 2}, pressed=[button, other])
    assert done.status_code == 200 and f"工单 #{waiting['workorder_id']}" in text_of(done)
    assert done.json["response"]["console-refresh"]["data"] == 3
    order = client.get(f"/api/v1/workorders/{waiting['workorder_id']}", headers=DISP).json
    assert order["status"] == status and order["needs_screening"] is False
    assert order["timeline"][-1]["action"] == "screened" and order["timeline"][-1]["actor"] == name
    (entry,) = audit(client, "screened")
    assert entry["actor"] == name and entry["details"]["outcome"] == outcome
    twice = fire(app, client, {"type": "screen"}, pressed=[button])
    assert "未执行" in text_of(twice) and len(audit(client, "screened")) == 1


def test_the_desk_lists_a_planned_outages_care_customers_to_phone_and_flags_a_late_notice(app, client, services,
                                                                                          loaded):
    answer = client.post("/api/v1/customers", json={"items": [
        {"customer_id": "C-OLD", "transformer_id": "T1", "name": "独居老人李奶奶", "phone": "13911112222",
         "care": "vulnerable"},
        {"customer_id": "C-HOSP", "transformer_id": "T3", "name": "社区医院", "phone": "13911113333",
         "care": "important"}]}, headers=ING)
    assert answer.json["stored"] == 2
    start = now_utc() + timedelta(days=2)
    planned = client.post("/api/v1/outages", json={
        "external_id": "P-DESK", "kind": "planned", "grid_ids": [outages_grid(client)], "start": start.isoformat(),
        "customers_affected": 200, "device_ids": ["SW1"], "notified_at": now_utc().isoformat()}, headers=ING).json
    sign_in(client, services, "dispatcher")
    detail = fire(app, client, "console-outage-selected", {"console-outage-selected": planned["id"]})
    text = json.dumps(detail.json["response"]["console-outage-detail"], ensure_ascii=False)
    assert "需电话告知的敏感客户 (1)" in text and "独居老人李奶奶" in text and "13911112222" in text
    assert "社区医院" not in text  # under SW2: not switched out
    assert "计划停电通知不及时" in text


def outages_grid(client) -> str:
    return next(d["grid_id"] for d in client.get("/api/v1/topology", headers=auth("viewer")).json["devices"]
                if d["grid_id"])
