"""Callbacks (回访) over HTTP: the worklist for dispatchers, attempts from dispatchers and the 95598 platform
(idempotent on external_id), the order's detail, the visited/closed gate, and who may do what; on SQLite and
PostgreSQL."""
from sqlalchemy import func, select

from dashboard.domain import Role
from dashboard.models import CallbackAttempt, CallbackTask
from dashboard.services.tokens import add_token
from tests.conftest import auth, make_fault, now_utc
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)

ING, DIS = auth("ingest"), auth("dispatcher")


def _restored(client, n: int = 0) -> int:
    """An order taken through the lifecycle to restored by its crew's terminal."""
    order = client.post("/api/v1/faults", json=make_fault(lon=116.40 + n / 1000, phone="13800138000",
                                                          customer_name="王芳"), headers=ING).json["workorder_id"]
    crew = f"C{order}"
    client.put(f"/api/v1/crews/{crew}", json={"name": crew, "team": "t", "skills": ["lv"], "members": 2,
                                              "on_duty": True}, headers=ING)
    client.post("/api/v1/crews/positions", json={"items": [{"crew_id": crew, "lon": 116.41, "lat": 39.91,
                                                             "at": now_utc().isoformat()}]}, headers=ING)
    version = client.get(f"/api/v1/workorders/{order}", headers=DIS).json["version"]
    assert client.post(f"/api/v1/workorders/{order}/assign", json={"crew_id": crew, "version": version},
                       headers=DIS).status_code == 200
    for to in ("on_site", "restored"):
        assert client.post(f"/api/v1/workorders/{order}/transition", json={"to": to}, headers=ING).status_code == 200
    return order


def _detail(client, order: int) -> dict:
    return client.get(f"/api/v1/workorders/{order}", headers=DIS).json


def _counts(services) -> tuple[int, int]:
    with services.db.read() as s:
        return (s.scalar(select(func.count()).select_from(CallbackAttempt)),
                s.scalar(select(func.count()).select_from(CallbackTask).where(CallbackTask.status != "pending")))


def test_a_dispatcher_records_a_satisfied_callback_and_the_order_is_visited_then_archived(client):
    order = _restored(client)
    callback = _detail(client, order)["callback"]
    assert callback["status"] == "pending" and callback["attempts"] == []
    assert (callback["phone"], callback["customer_name"], callback["subject_id"]) == ("13800138000", "王芳", order)
    refused = client.post(f"/api/v1/workorders/{order}/transition", json={"to": "visited"}, headers=DIS)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "callback_required"
    refused = client.post(f"/api/v1/workorders/{order}/transition", json={"to": "closed"}, headers=DIS)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "callback_required"
    r = client.post(f"/api/v1/callbacks/{callback['id']}/attempts", json={"result": "satisfied", "note": "满意"},
                    headers=DIS)
    assert r.status_code == 201 and r.json["created"] and r.json["status"] == "done"
    assert r.json["attempt"]["actor"] == "config:dispatcher" and r.json["attempt"]["note"] == "满意"
    detail = _detail(client, order)
    assert detail["status"] == "visited" and detail["callback"]["result"] == "satisfied"
    assert [e["action"] for e in detail["timeline"][-2:]] == ["callback", "transition"]
    again = client.post(f"/api/v1/callbacks/{callback['id']}/attempts", json={"result": "satisfied"}, headers=DIS)
    assert again.status_code == 409 and again.json["error"]["code"] == "callback_closed"
    closed = client.post(f"/api/v1/workorders/{order}/transition", json={"to": "closed"}, headers=DIS)
    assert closed.status_code == 200 and closed.json["status"] == "closed"


def test_the_platform_posts_by_order_idempotent_on_its_external_id(client, services):
    order = _restored(client)
    body = {"result": "not_reached", "note": "无人接听", "external_id": "95598-CB-1"}
    first = client.post(f"/api/v1/workorders/{order}/callback", json=body, headers=ING)
    assert first.status_code == 201 and first.json["status"] == "pending"
    replay = client.post(f"/api/v1/workorders/{order}/callback", json=body, headers=ING)
    assert replay.status_code == 200 and replay.json["created"] is False
    assert replay.json["attempt"] == first.json["attempt"]
    other = client.post(f"/api/v1/workorders/{order}/callback", json=body | {"result": "satisfied"}, headers=ING)
    assert other.status_code == 409 and other.json["error"]["code"] == "idempotency_conflict"
    assert _counts(services) == (1, 0)
    for n in (2, 3):
        r = client.post(f"/api/v1/workorders/{order}/callback", json=body | {"external_id": f"95598-CB-{n}"},
                        headers=ING)
        assert r.status_code == 201
    assert r.json["status"] == "unreachable" and r.json["attempt_count"] == 3
    assert _detail(client, order)["status"] == "restored"
    closed = client.post(f"/api/v1/workorders/{order}/transition", json={"to": "closed"}, headers=ING)
    assert closed.status_code == 200  # unreachable three times: it may be archived without a visit


def test_bad_attempts_are_4xx_and_store_nothing(client, services):
    order = _restored(client)
    task = _detail(client, order)["callback"]["id"]
    url = f"/api/v1/callbacks/{task}/attempts"
    for body, field in (({"result": "happy"}, "result"), ({}, "result"), ({"result": "satisfied", "mood": 1}, "mood"),
                        ({"result": "satisfied", "at": "yesterday"}, "at"),
                        ({"result": "satisfied", "at": "2026-01-01T00:00:00"}, "at"),
                        ({"result": "satisfied", "external_id": ""}, "external_id"),
                        ({"result": "satisfied", "note": "x" * 2001}, "note")):
        r = client.post(url, json=body, headers=DIS)
        assert r.status_code == 422, body
        assert field in [d["field"] for d in r.json["error"]["details"]], r.json
    future = client.post(url, json={"result": "satisfied", "at": "2099-01-01T00:00:00+08:00"}, headers=DIS)
    assert future.status_code == 422
    assert client.post("/api/v1/callbacks/999999/attempts", json={"result": "satisfied"}, headers=DIS).status_code \
        == 404
    fresh = client.post("/api/v1/faults", json=make_fault(lon=116.30, lat=39.98), headers=ING).json["workorder_id"]
    r = client.post(f"/api/v1/workorders/{fresh}/callback", json={"result": "satisfied"}, headers=ING)
    assert r.status_code == 409 and r.json["error"]["code"] == "no_callback"
    assert client.post("/api/v1/workorders/999999/callback", json={"result": "satisfied"}, headers=ING).status_code \
        == 404
    assert _counts(services) == (0, 0) and _detail(client, order)["status"] == "restored"


def test_roles_a_viewer_changes_nothing(client, services):
    order = _restored(client)
    task = _detail(client, order)["callback"]["id"]
    with services.db.write() as s:
        crew_token = {"Authorization": f"Bearer {add_token(s, Role.ingest, now_utc(), name='t-crew', crew_id='C1')}"}
    for headers in (auth("viewer"), auth("executive"), crew_token):
        assert client.post(f"/api/v1/callbacks/{task}/attempts", json={"result": "satisfied"},
                           headers=headers).status_code == 403
        assert client.post(f"/api/v1/workorders/{order}/callback", json={"result": "satisfied"},
                           headers=headers).status_code == 403
    assert client.post(f"/api/v1/callbacks/{task}/attempts", json={"result": "satisfied"}).status_code == 401
    for role in ("viewer", "executive", "ingest"):
        assert client.get("/api/v1/callbacks", headers=auth(role)).status_code == 403
    assert _counts(services) == (0, 0) and _detail(client, order)["status"] == "restored"
    assert client.post(f"/api/v1/callbacks/{task}/attempts", json={"result": "satisfied"},
                       headers=auth("admin")).status_code == 201


def test_the_list_oldest_due_first_filtered_and_paged(client):
    orders = [_restored(client, n) for n in range(3)]
    tasks = [_detail(client, o)["callback"]["id"] for o in orders]
    client.post(f"/api/v1/callbacks/{tasks[1]}/attempts", json={"result": "satisfied"}, headers=DIS)
    everything = client.get("/api/v1/callbacks", headers=DIS).json
    assert [i["id"] for i in everything["items"]] == tasks and everything["count"] == 3 and everything["next"] is None
    pending = client.get("/api/v1/callbacks?status=pending&subject_kind=workorder&limit=1", headers=DIS).json
    assert pending["count"] == 2 and [i["id"] for i in pending["items"]] == [tasks[0]] and pending["next"]
    page2 = client.get(f"/api/v1/callbacks?status=pending&limit=1&cursor={pending['next']}", headers=DIS).json
    assert [i["id"] for i in page2["items"]] == [tasks[2]] and page2["next"] is None
    assert client.get("/api/v1/callbacks?status=done", headers=DIS).json["count"] == 1
    assert client.get("/api/v1/callbacks?subject_kind=ticket", headers=DIS).json["count"] == 0
    for query in ("status=late", "subject_kind=complaint", "limit=0", "limit=1001", "cursor=bogus",
                  "cursor=WyJ4IiwgMV0"):
        r = client.get(f"/api/v1/callbacks?{query}", headers=DIS)
        assert r.status_code == 422, query


def test_kpis_carry_the_callback_figures(client):
    order = _restored(client)
    client.post(f"/api/v1/workorders/{order}/callback", json={"result": "not_satisfied"}, headers=ING)
    kpis = client.get("/api/v1/kpis", headers=DIS).json
    assert kpis["callbacks_opened_today"] == 1 and kpis["callback_completion"] == 1.0
    assert kpis["callbacks_reached_today"] == 1 and kpis["satisfaction_rate"] == 0.0
