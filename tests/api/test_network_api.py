"""研判 over HTTP: the network, the customer register, automation events, outages and their desk, screening."""
from datetime import timedelta

import pytest

from tests.conftest import auth, make_fault, now_utc
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)

ING, DISP, VIEW = auth("ingest"), auth("dispatcher"), auth("viewer")
LON, LAT = 116.4075, 39.9040  # make_fault's point


def network(grid: str) -> list[dict]:
    """S → F1 → {SW1 → T1, T2; SW2 → T3}; transformers next to make_fault's point, 100 customers each."""
    devices = [{"id": "S", "kind": "station", "parent_id": None},
               {"id": "F1", "kind": "feeder", "parent_id": "S"},
               {"id": "SW1", "kind": "switch", "parent_id": "F1", "lon": LON, "lat": LAT},
               {"id": "SW2", "kind": "switch", "parent_id": "F1"}]
    for i, parent in ((1, "SW1"), (2, "SW1"), (3, "SW2")):
        devices.append({"id": f"T{i}", "kind": "transformer", "parent_id": parent, "grid_id": grid,
                        "lon": LON + 0.001 * i, "lat": LAT, "customers": 100})
    return devices


@pytest.fixture
def loaded(client, grid):
    answer = client.put("/api/v1/topology", json={"devices": network(grid)}, headers=ING)
    assert answer.status_code == 200, answer.json
    return answer.json


def fault(transformer: str | None = None, minutes_ago: float = 1, **extra) -> dict:
    body = make_fault(reported_at=(now_utc() - timedelta(minutes=minutes_ago)).isoformat(), **extra)
    if transformer:
        body["transformer_id"] = transformer
    return body


def post(client, body, headers=ING):
    answer = client.post("/api/v1/faults", json=body, headers=headers)
    assert answer.status_code == 201, answer.json
    return answer.json


def outages(client) -> list[dict]:
    return client.get("/api/v1/outages", headers=VIEW).json["items"]


def test_put_topology_then_read_it_back_with_states(client, loaded, grid):
    assert loaded["devices"] == 7 and loaded["version"]
    devices = {d["id"]: d for d in client.get("/api/v1/topology", headers=VIEW).json["devices"]}
    assert devices["F1"]["customers_below"] == 300 and devices["T1"]["state"] == "closed"
    below = client.get("/api/v1/topology?root=SW1", headers=VIEW).json["devices"]
    assert sorted(d["id"] for d in below) == ["SW1", "T1", "T2"]
    in_grid = client.get(f"/api/v1/topology?grid_id={grid}", headers=VIEW).json["devices"]
    assert {"T1", "SW1", "F1", "S"} <= {d["id"] for d in in_grid}


@pytest.mark.parametrize("change, named", [
    (lambda ds: ds.append({"id": "X", "kind": "switch", "parent_id": "NOPE"}), "X"),
    (lambda ds: ds.__setitem__(2, {"id": "SW1", "kind": "switch", "parent_id": "T1"}), "SW1"),
    (lambda ds: ds.append({"id": "T9", "kind": "transformer", "parent_id": "SW1", "customers": -5}), "T9"),
    (lambda ds: ds.append({"id": "T1", "kind": "transformer", "parent_id": "SW2"}), "T1"),
])
def test_a_bad_network_is_422_naming_the_device_and_changes_nothing(client, loaded, grid, change, named):
    devices = network(grid)
    change(devices)
    answer = client.put("/api/v1/topology", json={"devices": devices}, headers=ING)
    assert answer.status_code == 422
    assert named in {d["field"] for d in answer.json["error"]["details"]}
    assert client.get("/api/v1/topology", headers=VIEW).json["version"].startswith(loaded["version"])


def test_two_calls_under_a_transformer_predict_it_and_share_one_order(client, loaded):
    first = post(client, fault("T1", 5))
    assert "outage_id" not in first
    second = post(client, fault("T1", 1))
    assert second["workorder_id"] == first["workorder_id"] and second["outage_id"]
    (outage,) = outages(client)
    assert (outage["device_id"], outage["status"], outage["calls"], outage["customers_affected"]) == (
        "T1", "predicted", 2, 100)
    assert outage["workorder_id"] == first["workorder_id"] and outage["etr"] and outage["etr_basis"]
    detail = client.get(f"/api/v1/workorders/{first['workorder_id']}", headers=DISP).json
    assert detail["outage_id"] == outage["id"]
    assert any(e["action"] == "predicted" and "2 calls under T1" in e["note"] for e in detail["timeline"])
    assert any("under T1 (from the report)" in (e["note"] or "") for e in detail["timeline"])
    third = post(client, fault("T1", 0.5))  # a later call: linked, no other crew
    assert third["workorder_id"] == first["workorder_id"]


def test_predictions_under_one_switch_roll_up_and_merge_their_orders(client, loaded):
    a = [post(client, fault("T1", 9)), post(client, fault("T1", 8))]
    b = [post(client, fault("T2", 7)), post(client, fault("T2", 6))]
    (outage,) = outages(client)
    assert outage["device_id"] == "SW1" and outage["calls"] == 4 and outage["customers_affected"] == 200
    orders = client.get("/api/v1/workorders", headers=DISP).json["items"]
    assert len(orders) == 1 and orders[0]["report_count"] == 4
    assert {r["workorder_id"] for r in a + b} >= {orders[0]["id"]}


def test_customer_register_places_a_call_and_care_raises_the_priority(client, loaded):
    answer = client.post("/api/v1/customers", json={"items": [
        {"customer_id": "C1", "transformer_id": "T3", "care": "life_support", "name": "王"},
        {"customer_id": "C2", "transformer_id": "T3"},
        {"customer_id": "C9", "transformer_id": "NOPE"}]}, headers=ING)
    assert (answer.json["stored"], answer.json["rejected"]) == (2, 1)
    post(client, fault(customer_id="C2", minutes_ago=3))
    post(client, fault(customer_id="C1", minutes_ago=2))
    (outage,) = outages(client)
    assert outage["device_id"] == "T3" and outage["care_customers"] == 1
    order = client.get(f"/api/v1/workorders/{outage['workorder_id']}", headers=DISP).json
    assert order["priority"] == "urgent" and order["sensitive"] is True
    assert any("customer C2 in the register" in (e["note"] or "") for e in order["timeline"])


def test_a_call_with_neither_is_put_under_the_nearest_transformer(client, loaded):
    post(client, fault(lon=LON + 0.0021, lat=LAT))
    post(client, fault(lon=LON + 0.0019, lat=LAT))
    (outage,) = outages(client)
    assert outage["device_id"] == "T2"


def test_automation_open_confirms_at_once_with_an_order_and_close_restores_everything(client, loaded):
    at = now_utc() - timedelta(minutes=2)
    lone = post(client, fault("T3", 4))  # one call under SW2: an order of its own, no outage yet
    answer = client.post("/api/v1/devices/events", json={"items": [
        {"device_id": "SW1", "state": "open", "at": at.isoformat()},
        {"device_id": "GHOST", "state": "open", "at": at.isoformat()}]}, headers=ING)
    assert (answer.json["stored"], answer.json["rejected"]) == (1, 1)
    (outage,) = outages(client)
    assert (outage["device_id"], outage["status"], outage["source"]) == ("SW1", "confirmed", "automation")
    order = client.get(f"/api/v1/workorders/{outage['workorder_id']}", headers=DISP).json
    assert order["channel"] == "auto" and order["report_count"] == 0  # 主动抢修: before any call
    call = post(client, fault("T2", 1))
    assert call["workorder_id"] == outage["workorder_id"]
    older = client.post("/api/v1/devices/events", json={"items": [
        {"device_id": "SW1", "state": "closed", "at": (at - timedelta(minutes=1)).isoformat()}]}, headers=ING)
    assert older.json["ignored"] == 1 and outages(client)
    client.post("/api/v1/devices/events", json={"items": [
        {"device_id": "F1", "state": "open", "at": (at + timedelta(seconds=30)).isoformat()}]}, headers=ING)
    feeder = next(o for o in outages(client) if o["device_id"] == "F1")
    # The lone call below F1 is the feeder outage's now: its order is the feeder's, no second crew (automatic) order.
    assert feeder["workorder_id"] == lone["workorder_id"] and feeder["calls"] == 1
    client.post("/api/v1/devices/events", json={"items": [
        {"device_id": "F1", "state": "closed", "at": (at + timedelta(seconds=60)).isoformat()}]}, headers=ING)
    assert outages(client) == []
    left = client.get("/api/v1/workorders", headers=DISP).json["items"]
    assert len(left) == 2 and {o["status"] for o in left} == {"restored"}, "closing F1 leaves no order open below"
    assert client.get(f"/api/v1/workorders/{lone['workorder_id']}", headers=DISP).json["status"] == "restored"


def test_automation_closed_device_is_never_predicted(client, loaded):
    at = (now_utc() - timedelta(minutes=10)).isoformat()
    client.post("/api/v1/devices/events", json={"items": [{"device_id": "T1", "state": "closed", "at": at}]},
                headers=ING)
    post(client, fault("T1", 3))
    post(client, fault("T1", 2))
    (outage,) = outages(client)
    assert outage["device_id"] == "SW1" and "T1 reported closed by automation" in outage["reason"]


def test_dispatcher_confirms_moves_splits_and_merges(client, loaded):
    post(client, fault("T1", 5))
    post(client, fault("T1", 4))
    post(client, fault("T3", 3))
    post(client, fault("T3", 2))
    by_device = {o["device_id"]: o for o in outages(client)}
    if "F1" in by_device:  # two switches out rolled the prediction up to F1: split it back
        split = client.post(f"/api/v1/outages/{by_device['F1']['id']}/split", json={"device_ids": ["SW2"]},
                            headers=DISP)
        assert split.status_code == 200, split.json
        by_device = {o["device_id"]: o for o in outages(client)}
    t1, t3 = by_device.get("T1") or by_device.get("F1"), by_device.get("T3") or by_device.get("SW2")
    viewer = client.post(f"/api/v1/outages/{t1['id']}/confirm", json={}, headers=VIEW)
    assert viewer.status_code == 403
    confirmed = client.post(f"/api/v1/outages/{t1['id']}/confirm", json={"note": "crew saw it"}, headers=DISP)
    assert confirmed.json["status"] == "confirmed" and confirmed.json["locked"] is True
    moved = client.post(f"/api/v1/outages/{t1['id']}/move", json={"device_id": "SW1"}, headers=DISP)
    assert moved.json["device_id"] == "SW1" and moved.json["customers_affected"] == 200
    assert client.post(f"/api/v1/outages/{t1['id']}/move", json={"device_id": "NOPE"}, headers=DISP).status_code == 404
    merged = client.post(f"/api/v1/outages/{t3['id']}/merge", json={"into": t1["id"]}, headers=DISP)
    assert merged.status_code == 200 and merged.json["calls"] == 4
    assert [o["id"] for o in outages(client)] == [t1["id"]]
    assert len(client.get("/api/v1/workorders?status=received", headers=DISP).json["items"]) == 1
    audit = client.get("/api/v1/audit?action=merged", headers=auth("admin")).json["items"]
    assert any(e["object"] == "outage" for e in audit)


def test_screening_lane_keeps_non_faults_from_crews_until_a_dispatcher_decides(client, loaded):
    meter = post(client, fault(category="meter"))
    arrears = post(client, fault("T1", account_status="arrears_disconnected"))
    assert outages(client) == []
    kpis = client.get("/api/v1/kpis", headers=VIEW).json
    assert kpis["screening"] == 2
    crew = client.put("/api/v1/crews/C-1", json={"name": "一班", "team": "东城", "skills": ["lv"], "members": 2,
                                                 "on_duty": True}, headers=ING)
    assert crew.status_code in (200, 201)
    client.post("/api/v1/crews/positions", json={"items": [
        {"crew_id": "C-1", "lon": LON, "lat": LAT, "at": now_utc().isoformat()}]}, headers=ING)
    other = post(client, fault(category="customer_internal", lon=LON + 0.01))
    version = client.get(f"/api/v1/workorders/{other['workorder_id']}", headers=DISP).json["version"]
    sent = client.post(f"/api/v1/workorders/{other['workorder_id']}/assign",
                       json={"crew_id": "C-1", "version": version}, headers=DISP)  # assigning is "send a crew"
    assert sent.status_code == 200 and sent.json["needs_screening"] is False
    done = client.post(f"/api/v1/workorders/{meter['workorder_id']}/screen",
                       json={"outcome": "not_grid_fault", "note": "meter fine"}, headers=DISP)
    assert done.json["status"] == "cancelled"
    sent = client.post(f"/api/v1/workorders/{arrears['workorder_id']}/screen", json={"outcome": "send_crew"},
                       headers=DISP)
    assert sent.json["status"] == "received" and sent.json["needs_screening"] is False
    again = client.post(f"/api/v1/workorders/{arrears['workorder_id']}/screen", json={"outcome": "send_crew"},
                        headers=DISP)
    assert again.status_code == 409
    audit = client.get("/api/v1/audit?action=screened", headers=auth("admin")).json["items"]
    assert len(audit) == 3


def test_planned_outage_next_week_is_scheduled_and_counted_nowhere(client):
    start = now_utc() + timedelta(days=7)
    answer = client.post("/api/v1/outages", json={
        "external_id": "P-1", "kind": "planned", "grid_ids": [], "geometry": None,
        "start": start.isoformat(), "customers_affected": 500,
        "notified_at": (now_utc() - timedelta(days=1)).isoformat()} | {"grid_ids": None, "geometry": {
            "type": "Polygon", "coordinates": [[[116.40, 39.90], [116.41, 39.90], [116.41, 39.91], [116.40, 39.90]]]}},
        headers=ING)
    assert answer.status_code == 201, answer.json
    assert answer.json["status"] == "scheduled" and answer.json["active"] is False
    assert answer.json["notice_ok"] is True
    snap = client.get("/api/v1/snapshot", headers=VIEW).json
    assert snap["outages"] == [] and snap["kpis"]["customers_out"] == 0
    assert outages(client) == []


def test_no_network_loaded_falls_back_to_grouping_by_distance(client):
    a, b = post(client, fault(minutes_ago=3)), post(client, fault(minutes_ago=2))
    assert a["workorder_id"] == b["workorder_id"] and outages(client) == []
    events = client.post("/api/v1/devices/events", json={"items": [
        {"device_id": "F1", "state": "open", "at": now_utc().isoformat()}]}, headers=ING)
    assert events.json["rejected"] == 1


def _crew_on(client, order_id: int) -> None:
    client.put("/api/v1/crews/C-1", json={"name": "一班", "team": "东城", "skills": ["lv"], "members": 2,
                                          "on_duty": True}, headers=ING)
    client.post("/api/v1/crews/positions", json={"items": [
        {"crew_id": "C-1", "lon": LON, "lat": LAT, "at": now_utc().isoformat()}]}, headers=ING)
    version = client.get(f"/api/v1/workorders/{order_id}", headers=DISP).json["version"]
    sent = client.post(f"/api/v1/workorders/{order_id}/assign", json={"crew_id": "C-1", "version": version},
                       headers=DISP)
    assert sent.status_code == 200, sent.json


def _move(client, order_id: int, to: str):
    answer = client.post(f"/api/v1/workorders/{order_id}/transition", json={"to": to}, headers=ING)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_the_crew_on_site_revises_the_etr_and_its_restoration_ends_the_outage(client, loaded):
    post(client, fault("T1", 20))
    order_id = post(client, fault("T1", 19))["workorder_id"]
    before = outages(client)[0]
    assert before["etr_basis"].startswith("default")
    _crew_on(client, order_id)
    for to in ("accepted", "en_route", "on_site"):
        _move(client, order_id, to)
    on_site = outages(client)[0]
    assert on_site["etr_basis"].startswith("crew on site") and on_site["etr"] != before["etr"]
    _move(client, order_id, "restored")
    assert outages(client) == []
    restored = client.get("/api/v1/outages?status=restored", headers=VIEW).json["items"]
    assert [o["id"] for o in restored] == [before["id"]] and restored[0]["end"]
    assert client.get("/api/v1/kpis", headers=VIEW).json["customers_out"] == 0


def test_an_etr_a_person_set_stands_when_the_crew_arrives(client, loaded):
    post(client, fault("T1", 20))
    order_id = post(client, fault("T1", 19))["workorder_id"]
    outage = outages(client)[0]
    etr = (now_utc() + timedelta(hours=5)).isoformat()
    patched = client.patch(f"/api/v1/outages/{outage['id']}", json={"etr": etr}, headers=ING)
    assert patched.status_code == 200 and patched.json["etr_basis"].startswith("set by")
    _crew_on(client, order_id)
    for to in ("accepted", "en_route", "on_site"):
        _move(client, order_id, to)
    assert outages(client)[0]["etr_basis"] == patched.json["etr_basis"]


def test_calls_from_inside_a_planned_outage_under_way_send_no_crew(client):
    square = {"type": "Polygon", "coordinates": [[[LON - 0.01, LAT - 0.01], [LON + 0.01, LAT - 0.01],
                                                  [LON + 0.01, LAT + 0.01], [LON - 0.01, LAT + 0.01],
                                                  [LON - 0.01, LAT - 0.01]]]}
    planned = client.post("/api/v1/outages", json={
        "external_id": "P-NOW", "kind": "planned", "geometry": square, "customers_affected": 800,
        "start": (now_utc() - timedelta(hours=1)).isoformat(), "cause": "检修",
        "notified_at": (now_utc() - timedelta(days=8)).isoformat()}, headers=ING)
    assert planned.status_code == 201 and planned.json["status"] == "active"
    inside = [post(client, fault(minutes_ago=3 - i)) for i in range(2)]
    assert all(r["status"] == "known_outage" and r["workorder_id"] is None for r in inside)
    assert all(r["outage_id"] == planned.json["id"] for r in inside)
    hazard = post(client, fault(category="hazard"))  # a fallen wire inside it is still a crew's work
    outside = post(client, fault(lon=LON + 0.05))
    assert hazard["workorder_id"] and outside["workorder_id"]
    assert outages(client)[0]["calls"] == 2


def test_an_automation_open_takes_in_the_lone_calls_below_it(client, loaded):
    first, second = post(client, fault("T1", 5)), post(client, fault("T3", 4))  # one call each: two orders
    assert first["workorder_id"] != second["workorder_id"]
    client.post("/api/v1/devices/events", json={"items": [
        {"device_id": "F1", "state": "open", "at": (now_utc() - timedelta(minutes=3)).isoformat()}]}, headers=ING)
    (outage,) = outages(client)
    assert outage["calls"] == 2 and outage["workorder_id"] in (first["workorder_id"], second["workorder_id"])
    open_orders = [o for o in client.get("/api/v1/workorders", headers=DISP).json["items"] if o["status"] == "received"]
    assert [o["id"] for o in open_orders] == [outage["workorder_id"]]  # one crew for the feeder
