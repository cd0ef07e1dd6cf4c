"""Reports, workload and the duty roster over HTTP: the XLSX opens and holds the day's orders, customer-supplied
formula-like text comes out neutralised in XLSX and CSV, no customer names or phones; roles; bad days are 422."""
import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tests.conftest import auth, make_fault, now_utc
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)

ING, DIS = auth("ingest"), auth("dispatcher")
HOSTILE_ADDRESS = '=HYPERLINK("http://evil.example/","点我")'


def _today() -> str:
    return now_utc().astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()


def _dispatched_order(client, **fault) -> int:
    """A report ingested a minute ago, its order assigned to crew C1 and the crew on site."""
    body = make_fault(address=HOSTILE_ADDRESS, customer_name="张秘密", phone="13912345678", **fault)
    order = client.post("/api/v1/faults", json=body, headers=ING).json["workorder_id"]
    client.put("/api/v1/crews/C1", json={"name": "抢修一队", "team": "东城班", "skills": ["lv"], "members": 2,
                                         "on_duty": True}, headers=ING)
    client.post("/api/v1/crews/positions", json={"items": [{"crew_id": "C1", "lon": 116.41, "lat": 39.91,
                                                             "at": now_utc().isoformat()}]}, headers=ING)
    version = client.get(f"/api/v1/workorders/{order}", headers=DIS).json["version"]
    assert client.post(f"/api/v1/workorders/{order}/assign", json={"crew_id": "C1", "version": version},
                       headers=DIS).status_code == 200
    assert client.post(f"/api/v1/workorders/{order}/transition", json={"to": "on_site"}, headers=ING).status_code \
        == 200
    return order


def test_the_xlsx_opens_holds_the_order_and_neutralises_the_address(client):
    order = _dispatched_order(client)
    r = client.get(f"/api/v1/reports/daily?date={_today()}", headers=auth("executive"))
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    assert r.headers["Content-Disposition"] == f"attachment; filename=gridcommand-{_today()}.xlsx"
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["工单 orders", "停电 outages", "指标 KPIs", "话务 call center", "座席工作量 agents",
                               "调度工作量 dispatchers"]
    rows = list(book["工单 orders"].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == order
    assert rows[1][6] == "'" + HOSTILE_ADDRESS  # shown as text, never evaluated
    assert rows[1][13] == "是" and rows[1][15] == "C1"  # arrived within the limit, by crew C1
    kpis = {r[0]: r[2] for r in book["指标 KPIs"].iter_rows(min_row=2, values_only=True)}
    assert kpis["received"] == 1 and kpis["arrived"] == 1 and kpis["on_time_arrival_rate"] == 1
    dispatchers = list(book["调度工作量 dispatchers"].iter_rows(min_row=2, values_only=True))
    assert [d[1] for d in dispatchers] == [1]
    every = [c for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row]
    assert "张秘密" not in every and "13912345678" not in every  # no customer's name or phone
    assert all(c.data_type != "f" for s in book.worksheets for row in s.iter_rows() for c in row)


def test_the_csv_neutralises_too(client):
    client.post("/api/v1/faults", json=make_fault(address="@SUM(1)"), headers=ING)
    r = client.get(f"/api/v1/reports/daily?date={_today()}&format=csv", headers=DIS)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"].endswith(f"gridcommand-{_today()}.csv")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0] == ["[工单 orders]"] and rows[2][6] == "'@SUM(1)"


def test_a_period_and_the_assessment(client):
    _dispatched_order(client)
    today = now_utc().astimezone(ZoneInfo("Asia/Shanghai")).date()
    r = client.get(f"/api/v1/reports/daily?from={today - timedelta(days=2)}&to={today}", headers=auth("admin"))
    assert r.status_code == 200 and f"_{today}.xlsx" in r.headers["Content-Disposition"]
    r = client.get(f"/api/v1/reports/assessment?month={today:%Y-%m}", headers=auth("executive"))
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["抢修 东城班", "调度 dispatchers"]
    crew = list(book["抢修 东城班"].iter_rows(min_row=2, values_only=True))
    assert crew == [("C1", "抢修一队", "东城班", 1, 1, 1, 0, 1)]


@pytest.mark.parametrize("query", ["date=2026-13-01", "date=yesterday", "date=1999-01-01", "date=2026-1-1",
                                   "format=pdf", "from=2026-11-20&to=2026-11-19", "from=2026-01-01&to=2026-12-31",
                                   "date=2026-11-20&from=2026-11-19"])
def test_bad_queries_are_422(client, query):
    r = client.get(f"/api/v1/reports/daily?{query}", headers=auth("admin"))
    assert r.status_code == 422 and r.is_json and r.json["error"]["code"] == "validation_failed"


@pytest.mark.parametrize("path", ["/reports/daily", "/reports/assessment", "/workload"])
def test_viewers_and_machines_may_not_read_reports(client, path):
    for role in ("viewer", "ingest"):
        r = client.get(f"/api/v1{path}", headers=auth(role))
        assert r.status_code == 403 and r.is_json


def test_bad_month_is_422(client):
    assert client.get("/api/v1/reports/assessment?month=2026-13", headers=DIS).status_code == 422


def test_workload_over_http(client):
    base = now_utc() - timedelta(minutes=40)
    t = lambda m: (base + timedelta(minutes=m)).isoformat()  # noqa: E731
    seats = [{"seat_id": "S1", "agent": "张三", "group": "repair", "state": s, "at": t(m)}
             for s, m in [("available", 0), ("talking", 10), ("wrap_up", 16), ("available", 18)]]
    for item in seats:  # one event a batch: the log keeps each state
        assert client.post("/api/v1/seats/events", json={"items": [item]}, headers=ING).json["stored"] == 1
    calls = [{"call_id": "K1", "queue": "repair", "event": e, "at": t(m), "seat_id": "S1"}
             for e, m in [("offered", 9.5), ("answered", 10), ("ended", 16)]]
    assert client.post("/api/v1/calls/events", json={"items": calls}, headers=ING).json["stored"] == 3
    r = client.get("/api/v1/workload", query_string={"from": t(0), "to": t(30)}, headers=auth("executive"))
    assert r.status_code == 200, r.json
    [agent] = r.json["agents"]
    # 30 min: talking 6 min, wrap-up 2 min, available 10 + 12 min: AHT (360 + 120) / 1, occupancy 480 / 1800.
    assert (agent["agent"], agent["calls_answered"], agent["aht_s"], agent["occupancy"]) == ("张三", 1, 480.0,
                                                                                             round(480 / 1800, 4))
    assert client.get("/api/v1/workload?from=2026-11-20&to=2026-11-19", headers=DIS).status_code == 422
    assert client.get("/api/v1/workload?from=now", headers=DIS).status_code == 422


def _shift(**over) -> dict:
    return {"day": "2026-11-20", "shift": "day", "start": "2026-11-20T08:00:00+08:00",
            "end": "2026-11-20T20:00:00+08:00", "role": "dispatcher", "person": "刘调度"} | over


def test_roster_replaced_and_read(client):
    body = {"from": "2026-11-20", "to": "2026-11-21", "shifts": [
        _shift(role="duty_chief", person="王建国", phone="13800138000"), _shift(),
        _shift(role="seat", person="李秀英", team="repair"),
        _shift(day="2026-11-21", start="2026-11-21T08:00:00+08:00", end="2026-11-21T20:00:00+08:00")]}
    r = client.put("/api/v1/roster", json=body, headers=auth("admin"))
    assert r.status_code == 200 and r.json == {"from": "2026-11-20", "to": "2026-11-21", "shifts": 4, "removed": 0}
    r = client.get("/api/v1/roster?at=2026-11-20T12:00:00%2B08:00", headers=auth("viewer"))
    assert r.status_code == 200 and r.json["counts"] == {"duty_chief": 1, "dispatcher": 1, "seat": 1, "crew": 0}
    assert r.json["duty_chief"][0]["person"] == "王建国" and r.json["duty_chief"][0]["phone"] is None  # a viewer
    chief = client.get("/api/v1/roster?at=2026-11-20T12:00:00%2B08:00", headers=DIS).json["duty_chief"][0]
    assert chief["phone"] == "13800138000"
    # Replacing the 20th alone leaves the 21st.
    r = client.put("/api/v1/roster", json={"from": "2026-11-20", "to": "2026-11-20", "shifts": []},
                   headers=auth("admin"))
    assert r.json["removed"] == 3
    assert client.get("/api/v1/roster?at=2026-11-21T12:00:00%2B08:00", headers=DIS).json["counts"]["dispatcher"] == 1


@pytest.mark.parametrize("shift, field", [({"role": "boss"}, "shifts.0.role"), ({"person": ""}, "shifts.0.person"),
                                          ({"end": "2026-11-20T07:00:00+08:00"}, "shifts.0"),
                                          ({"start": "2026-11-20T08:00:00"}, "shifts.0.start")])
def test_a_bad_shift_is_422_naming_it_and_nothing_changes(client, shift, field):
    body = {"from": "2026-11-20", "to": "2026-11-20", "shifts": [_shift(**shift)]}
    r = client.put("/api/v1/roster", json=body, headers=auth("admin"))
    assert r.status_code == 422, r.json
    assert field in {d["field"] for d in r.json["error"]["details"]}


def test_a_shift_outside_the_range_is_422(client):
    body = {"from": "2026-11-21", "to": "2026-11-21", "shifts": [_shift()]}
    r = client.put("/api/v1/roster", json=body, headers=auth("admin"))
    assert r.status_code == 422 and "shifts.0.day" in str(r.json["error"]["details"])


def test_only_admins_replace_the_roster(client):
    body = {"from": "2026-11-20", "to": "2026-11-20", "shifts": [_shift()]}
    for role in ("dispatcher", "executive", "viewer"):
        assert client.put("/api/v1/roster", json=body, headers=auth(role)).status_code == 403
    r = client.get("/api/v1/roster?at=2026-11-20T12:00:00%2B08:00", headers=DIS)
    assert r.json["counts"]["dispatcher"] == 0


def test_the_call_center_sheet_holds_the_period_figures_per_queue_and_in_total(client):
    from datetime import timedelta

    from tests.conftest import now_utc
    at = now_utc() - timedelta(minutes=10)
    events = [{"call_id": "R1", "queue": "repair", "event": "offered", "at": at.isoformat()},
              {"call_id": "R1", "queue": "repair", "event": "answered", "at": (at + timedelta(seconds=8)).isoformat()},
              {"call_id": "R1", "queue": "repair", "event": "ended", "at": (at + timedelta(seconds=128)).isoformat()},
              {"call_id": "R2", "queue": "repair", "event": "offered", "at": at.isoformat()},
              {"call_id": "R2", "queue": "repair", "event": "abandoned", "at": (at + timedelta(seconds=40)).isoformat()},
              {"call_id": "C1", "queue": "complaint", "event": "offered", "at": at.isoformat()}]
    assert client.post("/api/v1/calls/events", json={"items": events}, headers=ING).json["stored"] == 6
    r = client.get(f"/api/v1/reports/daily?date={_today()}", headers=auth("executive"))
    rows = {row[0]: row for row in load_workbook(io.BytesIO(r.data))["话务 call center"].iter_rows(
        min_row=2, values_only=True)}
    # queue, offered, answered, abandoned, short, service level, answer rate, abandon rate, ASA, talk
    assert rows["repair"][:10] == ("repair", 2, 1, 1, 0, 0.5, 0.5, 0.5, 8, 120)
    assert rows["合计 total"][1:3] == (3, 1)
