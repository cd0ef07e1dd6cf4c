"""The outbox: notices are written in the transaction of the change that calls for them, one row per notice and
channel, never two of one notice; a change rolled back queues nothing. Outages reported, predicted by 研判 or
confirmed by automation tell the grid's people; 催办 level 3 and 4 tell its manager."""
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from dashboard.models import Notification, Outage
from dashboard.notify.outbox import queue
from dashboard.notify.port import Recipient
from dashboard.notify.rules import Draft
from dashboard.schemas import FaultIn, OutageIn, OutagePatchIn
from dashboard.services.faults import ingest_fault
from dashboard.services.outages import create_outage, patch_outage
from tests.conftest import auth, make_fault, now_utc
from tests.dashboard.notify.conftest import notices, set_contacts


@pytest.fixture
def config(config):
    return config.with_(notify="webhook+http://127.0.0.1:9/sms,log:")


def _outage(services, grid, **extra) -> int:
    body = OutageIn.model_validate({"external_id": f"O-{now_utc().timestamp()}", "kind": "unplanned",
                                    "grid_ids": [grid], "start": (services.clock() - timedelta(minutes=5)).isoformat(),
                                    "etr": (services.clock() + timedelta(hours=2)).isoformat(),
                                    "customers_affected": 300, "sensitive_customers": 4, "cause": "外力破坏"} | extra)
    with services.db.write() as session:
        return create_outage(session, services.bus, services.catalog, body, services.clock())[0]["id"]


def _patch(services, outage_id, **body):
    with services.db.write() as session:
        patch_outage(session, services.bus, outage_id, OutagePatchIn.model_validate(body), services.clock())


def test_a_reported_outage_is_told_once_per_channel_then_its_etr_and_its_end(services, runtime, grid):
    set_contacts(services, grid, liaisons=2)
    outage_id = _outage(services, grid)
    rows = notices(services)
    assert [(r.channel, r.event, r.status, r.notice_id) for r in rows] == [
        ("webhook", "outage_opened", "pending", f"outage:{outage_id}:{grid}:opened"),
        ("log", "outage_opened", "pending", f"outage:{outage_id}:{grid}:opened")]
    assert [r["role"] for r in rows[0].recipients] == ["manager", "liaison", "liaison"]
    assert "影响300户，其中敏感用户4户" in rows[0].text and rows[0].data["customers_affected"] == 300
    etr = services.clock() + timedelta(hours=2)
    _patch(services, outage_id, etr=(etr + timedelta(minutes=20)).isoformat())  # not material: nothing
    assert len(notices(services)) == 2
    _patch(services, outage_id, etr=(etr + timedelta(minutes=60)).isoformat())  # 40 min past the one told
    assert [r.notice_id for r in notices(services, event="outage_etr")] == [f"outage:{outage_id}:{grid}:etr:1"] * 2
    _patch(services, outage_id, end=services.clock().isoformat())
    restored = notices(services, event="outage_restored")
    assert len(restored) == 2 and "恢复供电" in restored[0].text


def test_a_grid_with_nobody_set_gets_no_notice(services, runtime, grid):
    _outage(services, grid)
    assert notices(services) == []


def test_a_change_rolled_back_queues_nothing(services, runtime, grid):
    set_contacts(services, grid)

    def fail_after_the_outbox(session, changes, at):
        raise RuntimeError("the commit never happens")

    services.db.add_change_hook(fail_after_the_outbox)  # runs after the outbox wrote its rows, before the commit
    with pytest.raises(RuntimeError):
        _outage(services, grid)
    assert notices(services) == []
    with services.db.read() as session:
        assert session.query(Outage).count() == 0


def test_a_second_identical_notice_is_impossible(services, runtime, grid):
    draft = Draft("outage:1:G:opened", "outage_opened", "outage", 1, grid,
                  (Recipient("manager", "王建国", "13800000001"),), "text", {})
    for _ in range(2):  # queued twice (two processes on one change): one row per channel
        with services.db.write() as session:
            queue(session, [draft], ["webhook", "log"], services.clock())
    assert len(notices(services)) == 2
    with pytest.raises(IntegrityError):  # the unique constraint holds whatever writes the row
        with services.db.write() as session:
            session.add(Notification(notice_id=draft.notice_id, channel="log", event="x", subject="outage",
                                     subject_id=1, recipients=[], text="", data={}, status="pending", attempts=0,
                                     queued_at=services.clock(), next_at=services.clock()))


def test_escalation_to_level_3_tells_the_grid_manager_only(services, runtime, grid):
    set_contacts(services, grid, liaisons=2)
    reported = services.clock() - timedelta(minutes=42)  # 42 of 45 minutes: past 90 %, level 3 at once
    with services.db.write() as session:
        result = ingest_fault(session, services.bus, services.catalog, FaultIn.model_validate(make_fault(
            reported_at=reported.isoformat(), category="hazard")), services.clock(), limits=services.limits)
    [row, _] = notices(services, event="escalation")
    assert row.notice_id == f"workorder:{result.workorder_id}:arrival:level3"
    assert [r["role"] for r in row.recipients] == ["manager"] and "【催办3级】" in row.text


def test_automation_confirming_a_device_outage_tells_what_failed(services, client, runtime, grid):
    from tests.api.test_network_api import network
    set_contacts(services, grid)
    assert client.put("/api/v1/topology", json={"devices": network(grid)}, headers=auth("ingest")).status_code == 200
    event = {"device_id": "SW1", "state": "open", "at": (now_utc() - timedelta(seconds=10)).isoformat()}
    answer = client.post("/api/v1/devices/events", json={"items": [event]}, headers=auth("ingest"))
    assert answer.json["stored"] == 1
    [row] = notices(services, channel="log")
    assert row.event == "outage_opened" and row.data["device_id"] == "SW1"
    assert row.data["customers_affected"] == 200 and row.data["etr"]
    assert "开关SW1确认停电，影响200户" in row.text


def test_the_sweep_raising_an_order_to_levels_3_and_4_tells_the_manager_each_time(services, runtime, grid):
    from dashboard.services import escalation
    set_contacts(services, grid)
    start = now_utc()
    services.clock = lambda: start
    with services.db.write() as session:
        order_id = ingest_fault(session, services.bus, services.catalog, FaultIn.model_validate(make_fault(
            reported_at=(start - timedelta(minutes=1)).isoformat(), category="hazard")), start,
            limits=services.limits).workorder_id
    for minutes, level in ((30, None), (41, 3), (47, 4)):  # 31 of 45 min: level 2, nobody told; 42: 3; 48: 4
        with services.db.write() as session:
            escalation.sweep(session, services.bus, services.limits, start + timedelta(minutes=minutes))
        told = [r.notice_id for r in notices(services, event="escalation", channel="log")]
        expected = [f"workorder:{order_id}:arrival:level{n}" for n in (3, 4) if level and n <= level]
        assert told == expected


def test_a_complaint_chased_to_levels_3_and_4_tells_the_grid_manager_each_time(services, runtime, grid):
    from dashboard.schemas import TicketIn
    from dashboard.services.ticket_escalation import sweep_tickets
    from dashboard.services.tickets import create_ticket
    set_contacts(services, grid, liaisons=2)
    start = now_utc()
    services.clock = lambda: start
    body = TicketIn.model_validate({"external_id": "T-esc", "kind": "complaint", "subject": "投诉服务态度",
                                    "received_at": start.isoformat(), "lon": 116.4075, "lat": 39.904})
    with services.db.write() as session:
        ticket_id = create_ticket(session, services.bus, services.catalog, body, start,
                                  rules=services.tickets).ticket["id"]
    for hours, levels in ((18, ()), (21.6, (3,)), (24, (3, 4))):  # 24 h contact rule: 90 % → 3, due → 4
        with services.db.write() as session:
            sweep_tickets(session, services.bus, services.tickets, start + timedelta(hours=hours))
        rows = notices(services, event="escalation", channel="log")
        assert [r.notice_id for r in rows] == [f"ticket:{ticket_id}:contact:level{n}" for n in levels]
    assert all([r["role"] for r in row.recipients] == ["manager"] for row in rows)
    assert rows[-1].subject == "ticket" and rows[-1].text.startswith("【催办4级】")
    assert rows[-1].text.endswith(f"：投诉工单#{ticket_id}联系客户时限已超时，请督办。")
    assert "投诉服务态度" not in rows[-1].text  # the customer's words stay in the ticket
