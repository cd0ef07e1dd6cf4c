"""What is told, when: pure rules over pushed views and what the outbox already holds; the texts."""
from datetime import datetime, timedelta, timezone

from dashboard.notify import texts
from dashboard.notify.port import Recipient
from dashboard.notify.rules import NoticeRule, Told, escalation_draft, opened_id, outage_drafts, outage_wanted

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=timezone.utc)  # 14:00 in Beijing
PEOPLE = {"G1": [Recipient("manager", "王建国", "13800000001"), Recipient("liaison", "李秀英", "13900000002")],
          "G2": [Recipient("manager", "赵伟", "13700000003")]}
NAMES = {"G1": "东城01网格", "G2": "东城02网格"}
RULE = NoticeRule()


def outage(**over) -> dict:
    view = {"id": 7, "kind": "unplanned", "status": "predicted", "grid_ids": ["G1", "G2", "G3"], "device_id": "T1",
            "device_kind": "transformer", "customers_affected": 120, "care_customers": 2,
            "etr": "2026-11-22T10:30:00Z", "start": "2026-11-22T05:50:00Z", "end": None, "districts": ["东城区"]}
    return view | over


def test_first_prediction_tells_every_grid_with_people_once():
    drafts = outage_drafts(outage(), Told(), PEOPLE, NAMES, "和平里3号", RULE, NOW)
    assert [(d.notice_id, d.grid_id, len(d.recipients)) for d in drafts] == [
        ("outage:7:G1:opened", "G1", 2), ("outage:7:G2:opened", "G2", 1)]  # G3 has nobody to tell
    assert drafts[0].text == "【停电通知】东城01网格：台区和平里3号研判停电，影响120户，其中敏感用户2户，预计18:30复电。停电#7"
    assert len(drafts[0].text) <= 70  # one SMS
    told = Told(ids={opened_id(7, "G1"), opened_id(7, "G2")},
                last_etr={(7, "G1"): "2026-11-22T10:30:00Z", (7, "G2"): "2026-11-22T10:30:00Z"})
    assert outage_drafts(outage(status="confirmed"), told, PEOPLE, NAMES, None, RULE, NOW) == []  # whichever first


def test_an_etr_is_told_again_only_when_it_moves_materially():
    told = Told(ids={opened_id(7, "G2")}, last_etr={(7, "G2"): "2026-11-22T10:30:00Z"})
    people = {"G2": PEOPLE["G2"]}
    assert outage_drafts(outage(etr="2026-11-22T10:59:00Z"), told, people, NAMES, None, RULE, NOW) == []
    [d] = outage_drafts(outage(etr="2026-11-22T11:00:00Z"), told, people, NAMES, None, RULE, NOW)
    assert (d.notice_id, d.event) == ("outage:7:G2:etr:1", "outage_etr")
    assert d.text == "【复电时间变更】东城02网格：停电#7（台区T1）预计复电时间由18:30改为19:00。"
    told.etr_notices[(7, "G2")] = 1
    earlier = outage_drafts(outage(etr="2026-11-22T09:00:00Z"), told, people, NAMES, None,
                            NoticeRule(etr_change=timedelta(minutes=90)), NOW)
    assert [d.notice_id for d in earlier] == ["outage:7:G2:etr:2"]  # 90 min earlier is as material as later


def test_restoration_is_told_where_the_outage_was():
    view = outage(status="restored", end="2026-11-22T07:05:00Z")
    assert outage_drafts(view, Told(), PEOPLE, NAMES, None, RULE, NOW) == []  # never told: no "power is back"
    [d] = outage_drafts(view, Told(ids={opened_id(7, "G1")}), PEOPLE, NAMES, None, RULE, NOW)
    assert d.notice_id == "outage:7:G1:restored"
    assert d.text == "【已复电】东城01网格：停电#7（台区T1）已于15:05恢复供电，停电1小时15分。"


def test_planned_outages_and_outages_without_grids_are_not_told_here():
    assert not outage_wanted(outage(kind="planned", status="active"))
    assert not outage_wanted(outage(grid_ids=[]))
    assert not outage_wanted(outage(status="merged"))
    assert outage_wanted(outage(status="confirmed", device_id=None))


def test_an_area_outage_names_its_districts_and_cause():
    assert texts.what_failed(outage(device_id=None, cause="外力破坏"), None) == "东城区（外力破坏）"


def test_escalation_level_3_and_4_go_to_the_grid_manager_once_per_limit_and_level():
    order = {"id": 42, "grid_id": "G1", "level": 3, "overdue": False, "arrived_at": None, "status": "dispatched",
             "due_at": "2026-11-22T06:20:00Z", "address": "安定门外大街1号", "category": "lv", "outage_id": None}
    managers = {"G1": [PEOPLE["G1"][0]]}
    d = escalation_draft(order, Told(), managers, NAMES, RULE, NOW)
    assert (d.notice_id, [r.name for r in d.recipients]) == ("workorder:42:arrival:level3", ["王建国"])
    assert d.text == "【催办3级】东城01网格：工单#42（安定门外大街1号）到场时限将于14:20到期，请督办。"
    assert escalation_draft(order, Told(ids={d.notice_id}), managers, NAMES, RULE, NOW) is None
    late = escalation_draft(order | {"level": 4, "overdue": True, "arrived_at": "2026-11-22T05:00:00Z"}, Told(),
                            managers, NAMES, RULE, NOW)
    assert late.notice_id == "workorder:42:restore:level4" and "修复时限已超时" in late.text


def test_times_on_another_day_carry_the_date():
    assert texts.clock_time(datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc), NOW, "Asia/Shanghai") == "11月23日09:00"
    assert texts.clock_time(None, NOW, "Asia/Shanghai") == "待定"


def test_an_outage_with_no_etr_says_so():
    [d] = outage_drafts(outage(etr=None, grid_ids=["G2"]), Told(), PEOPLE, NAMES, None, RULE, NOW)
    assert d.text.endswith("影响120户，其中敏感用户2户，复电时间待定。停电#7")


def test_a_ticket_at_level_3_goes_to_the_grid_manager_without_the_customers_words():
    from dashboard.notify.rules import ticket_escalation_draft, ticket_wanted
    ticket = {"id": 9, "grid_id": "G1", "kind": "complaint", "level": 3, "overdue": False, "contacted_at": None,
              "status": "received", "due_at": "2026-11-22T08:00:00Z", "subject": "投诉抢修太慢"}
    assert ticket_wanted(ticket) and not ticket_wanted(ticket | {"level": 2}) \
        and not ticket_wanted(ticket | {"status": "closed"})
    managers = {"G1": [PEOPLE["G1"][0]]}
    d = ticket_escalation_draft(ticket, Told(), managers, NAMES, RULE, NOW)
    assert (d.notice_id, d.subject, [r.name for r in d.recipients]) == ("ticket:9:contact:level3", "ticket", ["王建国"])
    assert d.text == "【催办3级】东城01网格：投诉工单#9联系客户时限将于16:00到期，请督办。"
    assert ticket_escalation_draft(ticket, Told(ids={d.notice_id}), managers, NAMES, RULE, NOW) is None
    closing = ticket_escalation_draft(ticket | {"contacted_at": "2026-11-22T05:00:00Z", "level": 4, "overdue": True},
                                      Told(), managers, NAMES, RULE, NOW)
    assert closing.notice_id == "ticket:9:close:level4" and "办结时限已超时" in closing.text
