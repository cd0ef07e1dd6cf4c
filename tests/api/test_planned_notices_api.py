"""The planned-outage notice rule over HTTP: scheduled maintenance noticed ≥ 7 days ahead, temporary ≥ 24 h; a late
notice is accepted (201), flagged with its rule, counted in the KPIs and kept for the wall's alarm; the customers
below the devices switched out are told through the customer notifier, and the care customers listed to phone."""
from datetime import timedelta

import pytest

from tests.conftest import auth, now_utc
from tests.dashboard.notify.conftest import customer_network as network, notices, register
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)

ING, DISP, VIEW, ADMIN = auth("ingest"), auth("dispatcher"), auth("viewer"), auth("admin")
START = (now_utc() + timedelta(days=10)).replace(microsecond=0)


def planned(client, ext: str, lead: timedelta, start=START, **extra):
    body = {"external_id": ext, "kind": "planned", "grid_ids": extra.pop("grid_ids"), "start": start.isoformat(),
            "etr": (start + timedelta(hours=6)).isoformat(), "customers_affected": 120, "cause": "线路改造",
            "notified_at": (start - lead).isoformat()} | extra
    return client.post("/api/v1/outages", json=body, headers=ING)


@pytest.mark.parametrize("maintenance,lead,ok,rule", [
    (None, timedelta(days=7), True, "scheduled_7d"),
    ("scheduled", timedelta(days=7) - timedelta(seconds=1), False, "scheduled_7d"),
    ("temporary", timedelta(hours=24), True, "temporary_24h"),
    ("temporary", timedelta(hours=24) - timedelta(seconds=1), False, "temporary_24h"),
])
def test_the_notice_rule_at_its_edge(client, grid, maintenance, lead, ok, rule):
    extra = {"maintenance": maintenance} if maintenance else {}
    answer = planned(client, "P-EDGE", lead, grid_ids=[grid], **extra)
    assert answer.status_code == 201, answer.json  # a late notice is accepted, never refused
    assert (answer.json["notice_ok"], answer.json["notice_rule"]) == (ok, rule)
    assert answer.json["maintenance"] == (maintenance or "scheduled")


def test_a_late_notice_is_flagged_counted_and_kept_for_the_alarm(client, grid):
    assert planned(client, "P-OK", timedelta(days=8), grid_ids=[grid]).json["notice_ok"] is True
    late = planned(client, "P-LATE", timedelta(days=2), grid_ids=[grid]).json
    assert late["notice_ok"] is False
    kpis = client.get("/api/v1/kpis", headers=VIEW).json
    assert (kpis["planned_outages"], kpis["planned_notice_late"], kpis["planned_notice_late_rate"]) == (2, 1, 0.5)
    snapshot = client.get("/api/v1/snapshot", headers=VIEW).json
    assert snapshot["kpis"]["planned_notice_late"] == 1
    # Ten days ahead: not "upcoming", but a late notice stays on the wall (its alarm) until the outage ends.
    assert [o["id"] for o in snapshot["upcoming"]] == [late["id"]]
    replay = planned(client, "P-LATE", timedelta(days=2), grid_ids=[grid])
    assert replay.status_code == 200 and replay.json["created"] is False


def test_an_outage_stored_before_maintenance_existed_replays_as_itself(client, grid):
    first = planned(client, "P-OLD", timedelta(days=9), grid_ids=[grid])
    again = planned(client, "P-OLD", timedelta(days=9), grid_ids=[grid])
    assert (first.status_code, again.status_code) == (201, 200)
    other = planned(client, "P-OLD", timedelta(days=9), grid_ids=[grid], maintenance="temporary")
    assert other.status_code == 409


@pytest.mark.parametrize("extra,field", [
    ({"device_ids": ["NOPE"]}, "device_ids"),
    ({"device_ids": []}, "device_ids"),
    ({"maintenance": "urgent"}, "maintenance"),
])
def test_bad_devices_or_maintenance_are_422_and_nothing_is_stored(client, grid, extra, field):
    client.put("/api/v1/topology", json={"devices": network(grid)}, headers=ING)
    answer = planned(client, "P-BAD", timedelta(days=8), grid_ids=[grid], **extra)
    assert answer.status_code == 422 and field in str(answer.json["error"])
    assert client.get("/api/v1/outages?status=scheduled", headers=VIEW).json["items"] == []


def test_devices_are_for_planned_outages_only(client, grid):
    body = {"external_id": "U-1", "kind": "unplanned", "grid_ids": [grid], "start": now_utc().isoformat(),
            "customers_affected": 5, "device_ids": ["T1"]}
    assert client.post("/api/v1/outages", json=body, headers=ING).status_code == 422


def test_customers_below_the_devices_are_told_at_once_and_care_customers_listed(client, services, grid):
    assert client.put("/api/v1/topology", json={"devices": network(grid)}, headers=ING).status_code == 200
    register(client, "T1", 30, care_every=10)
    register(client, "T3", 20)
    important = client.post("/api/v1/customers", json={"items": [  # temporary maintenance: important users first
        {"customer_id": "C-WORKS", "transformer_id": "T2", "name": "水厂", "phone": "13912340000",
         "care": "important"}]}, headers=ING)
    assert important.json["stored"] == 1
    answer = planned(client, "P-DEV", timedelta(hours=30), grid_ids=[grid], device_ids=["SW1"],
                     maintenance="temporary")
    assert answer.status_code == 201 and answer.json["device_ids"] == ["SW1"] and answer.json["notice_ok"] is True
    rows = [r for r in notices(services) if r.event == "customer_planned"]
    assert [r.notice_id for r in rows] == [f"outage:{answer.json['id']}:customers:planned:1"]
    assert len(rows[0].recipients) == 31 and "临时检修" in rows[0].text and "计划停电通知" in rows[0].text
    assert [r for r in notices(services) if r.event.startswith("outage_")] == []  # the grid's people: not for planned
    path = f"/api/v1/outages/{answer.json['id']}/care-customers"
    assert client.get(path, headers=VIEW).status_code == 403
    assert client.get(path, headers=ING).status_code == 403
    care = client.get(path, headers=DISP)
    assert care.status_code == 200 and care.json["device_ids"] == ["SW1"]
    assert [c["customer_id"] for c in care.json["items"]] == ["C-WORKS", "CT1-0", "CT1-10", "CT1-20"]
    assert [c["care"] for c in care.json["items"]] == ["important"] + ["vulnerable"] * 3
    assert care.json["items"][0]["phone"] == "13912340000"
    assert client.get("/api/v1/outages/999999/care-customers", headers=ADMIN).status_code == 404
