"""The console's 研判 board read from the database: the outage rows, the screening lane, an outage's choices and its
feeder's one-line diagram (states, calls per transformer, the outages on it)."""
from datetime import timedelta

import pytest

from dashboard.services.one_line import feeder_diagram
from dashboard.services.outage_board import board, outage_card, outage_choices, outage_rows, screening_lane
from tests.api.test_network_api import ING, fault, network, outages, post
from tests.conftest import auth, now_utc

DISP = auth("dispatcher")


@pytest.fixture
def loaded(client, grid):
    devices = network(grid) + [{"id": "F2", "kind": "feeder", "parent_id": "S"},
                               {"id": "T9", "kind": "transformer", "parent_id": "F2", "grid_id": grid,
                                "customers": 40}]
    assert client.put("/api/v1/topology", json={"devices": devices}, headers=ING).status_code == 200


def read(services, fn, *args):
    with services.db.read() as s:
        return fn(s, services.network.current(s), *args)


def nodes(tree: dict) -> dict[str, dict]:
    out, stack = {}, [tree]
    while stack:
        node = stack.pop()
        out[node["id"]] = node
        stack.extend(node["children"])
    return out


def test_the_diagram_is_the_feeder_with_states_calls_and_outages(client, services, loaded):
    post(client, fault("T1", 5))
    post(client, fault("T1", 3))
    post(client, fault("T3", 2))  # a lone call: an order of its own, still counted where it sits
    post(client, fault(category="meter", transformer_id="T3"))  # in the screening lane: not a grid call
    at = (now_utc() - timedelta(minutes=1)).isoformat()
    client.post("/api/v1/devices/events", json={"items": [{"device_id": "SW2", "state": "open", "at": at}]},
                headers=ING)
    t1 = next(o for o in outages(client) if o["device_id"] == "T1")
    with services.db.read() as s:
        data = feeder_diagram(s, services.network.current(s), "T1", now_utc())
    assert data["root"]["id"] == "F1" and data["device_id"] == "T1" and not data["truncated"]
    by_id = nodes(data["root"])
    assert set(by_id) == {"F1", "SW1", "SW2", "T1", "T2", "T3"}  # the feeder only: not F2's T9
    assert [c["id"] for c in by_id["SW1"]["children"]] == ["T1", "T2"]
    assert (by_id["T1"]["calls"], by_id["T2"]["calls"], by_id["T3"]["calls"]) == (2, 0, 1)
    assert by_id["SW1"]["calls"] == 2 and by_id["F1"]["calls"] == 3
    assert by_id["T1"]["outage"] == {"id": t1["id"], "status": "predicted"}
    assert by_id["SW2"]["state"] == "open" and by_id["SW2"]["outage"]["status"] == "confirmed"
    assert by_id["T1"]["dark"] and not by_id["T2"]["dark"] and not by_id["SW1"]["dark"]
    assert by_id["F1"]["customers"] == 300 and by_id["SW1"]["customers"] == 200
    with services.db.read() as s:
        assert feeder_diagram(s, services.network.current(s), "NOPE", now_utc()) is None
        assert feeder_diagram(s, services.network.current(s), None, now_utc()) is None


def test_rows_put_predicted_first_and_follow_the_crew_through_a_merged_order(client, services, loaded, grid):
    post(client, fault("T1", 5))
    post(client, fault("T1", 3))
    at = (now_utc() - timedelta(minutes=1)).isoformat()
    client.post("/api/v1/devices/events", json={"items": [{"device_id": "T9", "state": "open", "at": at}]},
                headers=ING)
    planned = client.post("/api/v1/outages", json={"external_id": "P-1", "kind": "planned", "grid_ids": [grid],
                                                   "start": (now_utc() + timedelta(days=2)).isoformat(),
                                                   "customers_affected": 10}, headers=ING)
    assert planned.status_code == 201, planned.json
    rows = read(services, outage_rows)
    assert [(r["status"], r["device_id"] or r["external_id"]) for r in rows] == [
        ("predicted", "T1"), ("confirmed", "T9"), ("scheduled", "P-1")]
    t1, t9 = rows[0], rows[1]
    assert t1["device_kind"] == "transformer" and t1["calls"] == 2 and t1["customers"] == 100
    assert t1["crew_id"] is None and t1["workorder_id"]
    # The T9 order is merged into T1's by hand, and a crew goes to that one: T9's row names that crew.
    client.put("/api/v1/crews/C1", json={"name": "c", "team": "t", "skills": ["lv"], "members": 2,
                                         "on_duty": True}, headers=ING)
    client.post("/api/v1/crews/positions", json={"items": [{"crew_id": "C1", "lon": 116.41, "lat": 39.91,
                                                             "at": now_utc().isoformat()}]}, headers=ING)
    merged = client.post(f"/api/v1/workorders/{t9['workorder_id']}/merge", json={"into": t1["workorder_id"]},
                         headers=DISP)
    assert merged.status_code == 200, merged.json
    version = client.get(f"/api/v1/workorders/{t1['workorder_id']}", headers=DISP).json["version"]
    assert client.post(f"/api/v1/workorders/{t1['workorder_id']}/assign", json={"crew_id": "C1", "version": version},
                       headers=DISP).status_code == 200
    rows = {r["device_id"]: r for r in read(services, outage_rows)}
    assert rows["T1"]["crew_id"] == "C1" and rows["T9"]["crew_id"] == "C1"
    assert rows["T9"]["workorder_id"] == t1["workorder_id"]
    counts = read(services, board)["counts"]
    assert counts == {"orders": 1, "outages": 2, "screening": 0, "tickets": 0, "callbacks": 0}


def test_the_lane_lists_waiting_calls_oldest_first_with_why_and_who(client, services, loaded):
    client.post("/api/v1/customers", json={"items": [{"customer_id": "C-9", "transformer_id": "T3",
                                                      "account_status": "arrears_disconnected"}]}, headers=ING)
    meter = post(client, fault(category="meter", minutes_ago=9, customer_name="张三", phone="13800000000"))
    arrears = post(client, fault(customer_id="C-9", minutes_ago=5))
    post(client, fault("T2", 4))  # a grid fault: not in the lane
    with services.db.read() as s:
        lane = screening_lane(s)
        short = screening_lane(s, limit=1)
    assert lane["count"] == 2 and [i["id"] for i in lane["items"]] == [meter["workorder_id"], arrears["workorder_id"]]
    assert (lane["items"][0]["why"], lane["items"][0]["customer_name"], lane["items"][0]["phone"]) == (
        "meter", "张三", "13800000000")
    assert lane["items"][1]["why"] == "arrears_disconnected"
    assert short["count"] == 2 and len(short["items"]) == 1
    client.post(f"/api/v1/workorders/{meter['workorder_id']}/screen", json={"outcome": "send_crew"}, headers=DISP)
    with services.db.read() as s:
        assert [i["id"] for i in screening_lane(s)["items"]] == [arrears["workorder_id"]]


def test_choices_split_below_move_within_the_feeder_merge_same_feeder_first(client, services, loaded):
    for transformer, minutes in (("T1", 9), ("T1", 8), ("T2", 7), ("T2", 6)):
        post(client, fault(transformer, minutes))
    at = (now_utc() - timedelta(minutes=1)).isoformat()
    client.post("/api/v1/devices/events", json={"items": [{"device_id": "T9", "state": "open", "at": at},
                                                          {"device_id": "T3", "state": "open", "at": at}]},
                headers=ING)
    by_device = {o["device_id"]: o for o in outages(client)}
    sw1 = by_device["SW1"]
    choices = read(services, outage_choices, sw1["id"])
    assert choices["under_way"] and choices["outage"]["device_id"] == "SW1"
    assert sorted(c["value"] for c in choices["move"]) == ["F1", "SW1", "SW2", "T1", "T2", "T3"]
    assert sorted(c["value"] for c in choices["split"]) == ["T1", "T2"]
    assert [(m["value"], m["same_feeder"]) for m in choices["merge"]] == [
        (by_device["T3"]["id"], True), (by_device["T9"]["id"], False)]
    card = read(services, outage_card, sw1["id"], now_utc())
    assert card["outage"]["device_name"] is None and card["outage"]["device_kind"] == "switch"
    assert card["order"]["report_count"] == 4 and card["order"]["timeline"][0]["action"] in ("predicted", "link")
    assert card["diagram"]["root"]["id"] == "F1"
