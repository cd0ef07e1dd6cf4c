"""Customers told of outages: callers and the customers below the device hear "we know, crew on the way, ETR", a
material ETR move and "power is back", in batches on the customer channels (the SMS gateway), with ids that never
double; at most K messages per customer and outage, the last kept for "power is back"; no mobile, no message."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from dashboard.models import CustomerNotice
from dashboard.notify.customer_rules import CustomerRule, CustomersTold, Reached, mobile, plan
from dashboard.schemas import OutagePatchIn
from dashboard.services.outages import patch_outage
from tests.conftest import auth, make_fault, now_utc
from tests.dashboard.notify.conftest import notices, open_sw1, phone_of, register

ING, DISP, VIEW = auth("ingest"), auth("dispatcher"), auth("viewer")
LON, LAT = 116.4075, 39.9040


@pytest.fixture
def config(config):
    return config.with_(notify_customer_batch=40, notify_poll_s=60)


def customer_rows(services, **where):
    return [r for r in notices(services, **where) if r.channel.startswith("customer-")]


def test_the_customers_below_a_confirmed_outage_and_its_callers_are_told_in_batches(client, services, loaded):
    register(client, "T1", 50)
    register(client, "T2", 30)
    register(client, "T2", 5, start=100, phone=False)  # no phone: skipped, counted
    register(client, "T3", 10)  # under SW2: not out
    outage = open_sw1(client)
    call = make_fault(transformer_id="T1", phone="138-0000-7777", customer_name="报修人")
    assert client.post("/api/v1/faults", json=call, headers=ING).status_code == 201
    rows = customer_rows(services, event="customer_outage")
    first = [r for r in rows if r.notice_id.endswith(":1")]
    assert [r.notice_id for r in rows] == [f"outage:{outage['id']}:customers:opened:{n}" for n in (1, 2, 3)]
    assert [len(r.recipients) for r in rows] == [40, 40, 1]  # 80 below SW1 with a phone, then the caller
    assert {r.channel for r in rows} == {"customer-log"} and first[0].data["skipped_no_mobile"] == 5
    assert {p["role"] for r in rows for p in r.recipients} == {"customer"}
    assert "13800007777" in {p["phone"] for p in rows[-1].recipients}
    assert "我们已知晓" in rows[0].text and "抢修人员" in rows[0].text and "预计恢复供电时间" in rows[0].text
    told = {p["phone"] for r in rows for p in r.recipients}
    assert len(told) == 81 and not told & {phone_of("T3", k) for k in range(10)}
    # The same change again (another call, the outage pushed again): nobody is told twice.
    assert client.post("/api/v1/faults", json=make_fault(transformer_id="T2", phone="13800007777"),
                       headers=ING).status_code == 201
    assert len(customer_rows(services, event="customer_outage")) == 3
    assert notices(services, channel="log") == []  # the grid's people are a separate matter (none set here)


def test_a_predicted_outage_tells_its_callers_only_until_it_is_confirmed(client, services, loaded):
    register(client, "T1", 10)
    for phone in ("13700000001", "13700000002"):
        assert client.post("/api/v1/faults", json=make_fault(transformer_id="T1", phone=phone),
                           headers=ING).status_code == 201
    (outage,) = client.get("/api/v1/outages", headers=VIEW).json["items"]
    assert outage["status"] == "predicted"
    rows = customer_rows(services)
    assert sorted(p["phone"] for r in rows for p in r.recipients) == ["13700000001", "13700000002"]
    answer = client.post(f"/api/v1/outages/{outage['id']}/confirm", json={}, headers=DISP)
    assert answer.status_code == 200, answer.json
    phones = [p["phone"] for r in customer_rows(services) for p in r.recipients]
    assert len(phones) == len(set(phones)) == 12  # the register below T1 joins; the callers are not told again


def _patch(services, outage_id, **body):
    with services.db.write() as session:
        patch_outage(session, services.bus, outage_id, OutagePatchIn.model_validate(body), services.clock())


def test_etr_moves_are_throttled_and_power_is_back_always_goes(client, services, loaded):
    register(client, "T1", 3)
    outage = open_sw1(client)
    etr = now_utc() + timedelta(hours=2)
    _patch(services, outage["id"], etr=etr.isoformat())  # told the ETR: the first ETR message (2 of 3)
    _patch(services, outage["id"], etr=(etr + timedelta(minutes=10)).isoformat())  # not material
    _patch(services, outage["id"], etr=(etr + timedelta(hours=1)).isoformat())  # material, but the 3rd is kept
    keys = [r.data["key"] for r in customer_rows(services)]
    assert keys == ["opened", "etr:1"]
    assert "调整为" in customer_rows(services, event="customer_etr")[0].text
    _patch(services, outage["id"], end=now_utc().isoformat())
    restored = customer_rows(services, event="customer_restored")
    assert [r.notice_id for r in restored] == [f"outage:{outage['id']}:customers:restored:1"]
    assert len(restored[0].recipients) == 3 and "已恢复供电" in restored[0].text
    with services.db.read() as session:
        per_phone = {}
        for r in session.scalars(select(CustomerNotice)):
            per_phone[r.phone] = per_phone.get(r.phone, 0) + 1
    assert set(per_phone.values()) == {3}  # opened, one ETR, power back: never more than K = 3


def test_customer_phones_stay_out_of_the_log(client, services, loaded, runtime, caplog):
    import logging
    register(client, "T1", 5)
    caplog.set_level(logging.INFO)
    open_sw1(client)
    runtime.notify_worker.drain()
    text = caplog.text
    assert "5 customers" in text and not any(f"{k:06d}" in text for k in range(5))


# The rule itself, pure ------------------------------------------------------------------------------------------

VIEW_ = {"id": 7, "kind": "unplanned", "status": "confirmed", "etr": "2026-11-23T10:00:00+00:00",
         "start": "2026-11-23T08:00:00+00:00", "end": None}
NOW = now_utc()


def test_batches_are_numbered_after_those_already_queued_and_ids_are_deterministic():
    reached = [Reached(f"1380000{k:04d}", None, None) for k in range(7)] + [Reached("010-12345678"), Reached(None)]
    rule = CustomerRule(batch=3)
    first = plan(VIEW_, reached, CustomersTold(), rule, NOW)
    again = plan(VIEW_, reached, CustomersTold(), rule, NOW)
    assert [d.notice_id for d in first.drafts] == [d.notice_id for d in again.drafts] == [
        "outage:7:customers:opened:1", "outage:7:customers:opened:2", "outage:7:customers:opened:3"]
    assert first.skipped_no_mobile == 2  # a landline takes no SMS; no phone at all
    told = CustomersTold(counts={f"1380000{k:04d}": 1 for k in range(7)}, batches={"opened": 3},
                         last_etr=VIEW_["etr"])
    later = plan(VIEW_, reached + [Reached("13900000000")], told, rule, NOW)
    assert [d.notice_id for d in later.drafts] == ["outage:7:customers:opened:4"]


def test_mobile_numbers_only():
    assert mobile("+86 138-1234-5678") == "13812345678"
    assert mobile("010-12345678") is None and mobile("12345") is None and mobile(None) is None
