"""GET /notifications: every notice, to whom, through which channel, about what, when, and its outcome; for
dispatchers and admins only."""
from datetime import timedelta


from tests.conftest import auth, now_utc
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)
from tests.support.polling import wait_until


def _outage(client, grid, n):
    body = {"external_id": f"O-{n}", "kind": "unplanned", "grid_ids": [grid], "start": now_utc().isoformat(),
            "customers_affected": 10 + n}
    return client.post("/api/v1/outages", json=body, headers=auth("ingest")).json["id"]


def test_the_history_lists_each_notice_with_its_outcome(client, services, grid):
    client.put(f"/api/v1/grids/{grid}/contacts", json={"manager": {"name": "王建国", "phone": "13800138000"}},
               headers=auth("admin"))
    first, second = _outage(client, grid, 1), _outage(client, grid, 2)
    # No notifier configured: the log is the channel, and the app's worker "sends" there at once.
    assert wait_until(lambda: all(i["status"] == "sent" for i in client.get(
        "/api/v1/notifications", headers=auth("dispatcher")).json["items"]), timeout=10)
    answer = client.get("/api/v1/notifications", headers=auth("dispatcher")).json
    assert [(i["outage_id"], i["channel"], i["event"]) for i in answer["items"]] == [
        (second, "log", "outage_opened"), (first, "log", "outage_opened")]  # newest first
    item = answer["items"][0]
    assert item["recipients"] == [{"role": "manager", "name": "王建国", "phone": "13800138000"}]
    assert item["attempts"] == 1 and item["sent_at"] and item["last_error"] is None and item["next_at"] is None
    assert item["notice_id"] == f"outage:{second}:{grid}:opened" and item["workorder_id"] is None
    page = client.get("/api/v1/notifications?limit=1", headers=auth("admin")).json
    assert len(page["items"]) == 1 and page["next"]
    rest = client.get(f"/api/v1/notifications?limit=1&cursor={page['next']}", headers=auth("admin")).json
    assert rest["items"][0]["outage_id"] == first and rest["next"] is None
    later = (now_utc() + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    assert client.get(f"/api/v1/notifications?from={later}", headers=auth("admin")).json["items"] == []
    assert client.get("/api/v1/notifications?status=dead", headers=auth("admin")).json["items"] == []


def test_bad_queries_are_422(client):
    for query in ("from=yesterday", "status=lost", "limit=0", "cursor=abc"):
        answer = client.get(f"/api/v1/notifications?{query}", headers=auth("admin"))
        assert answer.status_code == 422, query


def test_only_dispatchers_and_admins_read_it(client):
    for role in ("viewer", "executive", "ingest"):
        assert client.get("/api/v1/notifications", headers=auth(role)).status_code == 403
    assert client.get("/api/v1/notifications").status_code == 401
