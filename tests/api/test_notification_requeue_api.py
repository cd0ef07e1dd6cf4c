"""POST /notifications/{id}/requeue: an admin sends a dead notice again — back to pending with its tries reset, the
same notice id, audited, and the worker (woken, not polling) delivers it to a real loopback receiver."""
import pytest

from tests.conftest import auth, now_utc
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)
from tests.support.polling import wait_until
from tests.support.receivers import HttpReceiver


@pytest.fixture
def receiver():
    r = HttpReceiver(mode="fail").up()
    yield r
    r.down()


@pytest.fixture
def config(config, receiver):
    # One try and the notice is dead; the worker looks only every 60 s by itself, so a delivery within the test's
    # wait means it was woken.
    return config.with_(notify=f"webhook+{receiver.url}/sms", notify_timeout_s=1, notify_tries=1, notify_poll_s=60)


def _history(client, **query):
    return client.get("/api/v1/notifications", query_string=query, headers=auth("admin")).json["items"]


def _dead_notice(client, grid) -> dict:
    client.put(f"/api/v1/grids/{grid}/contacts", json={"manager": {"name": "王建国", "phone": "13800138000"}},
               headers=auth("admin"))
    body = {"external_id": "O-1", "kind": "unplanned", "grid_ids": [grid], "start": now_utc().isoformat(),
            "customers_affected": 12}
    assert client.post("/api/v1/outages", json=body, headers=auth("ingest")).status_code == 201
    assert wait_until(lambda: [i["status"] for i in _history(client)] == ["dead"], timeout=10)
    return _history(client)[0]


def test_a_dead_notice_is_sent_again_with_the_same_id(client, grid, receiver):
    dead = _dead_notice(client, grid)
    assert dead["attempts"] == 1 and dead["last_error"] == "HTTP 500 Internal Server Error"
    receiver.mode = "ok"
    r = client.post(f"/api/v1/notifications/{dead['id']}/requeue", headers=auth("admin"))
    assert r.status_code == 200, r.json
    assert r.json["status"] == "pending" and r.json["attempts"] == 0 and r.json["notice_id"] == dead["notice_id"]
    assert wait_until(lambda: receiver.delivered("/sms"), timeout=10)  # woken: its own poll is a minute away
    [got] = receiver.delivered("/sms")
    assert got.body["id"] == dead["notice_id"] and got.headers["Idempotency-Key"] == dead["notice_id"]
    assert wait_until(lambda: _history(client)[0]["status"] == "sent")
    sent = _history(client)[0]
    assert sent["id"] == dead["id"] and sent["attempts"] == 1 and sent["last_error"] is None
    [entry] = client.get("/api/v1/audit?action=notice_requeued", headers=auth("admin")).json["items"]
    assert entry["actor"] == "config:admin" and entry["role"] == "admin"
    assert entry["object"] == "notification" and entry["object_id"] == str(dead["id"])
    assert entry["details"] == {"notice_id": dead["notice_id"], "channel": "webhook"}
    # Sent now, so not dead: 409, and nothing changes (it is not sent a third time).
    again = client.post(f"/api/v1/notifications/{dead['id']}/requeue", headers=auth("admin"))
    assert again.status_code == 409 and again.json["error"]["code"] == "not_dead"
    assert _history(client)[0]["status"] == "sent" and len(receiver.received) == 2


def test_a_dead_notice_requeued_while_the_receiver_still_fails_dies_again(client, grid, receiver):
    dead = _dead_notice(client, grid)
    assert client.post(f"/api/v1/notifications/{dead['id']}/requeue", headers=auth("admin")).status_code == 200
    assert wait_until(lambda: len(receiver.received) == 2 and _history(client)[0]["status"] == "dead")
    assert _history(client)[0]["attempts"] == 1  # counted afresh from the reset


def test_unknown_is_404_and_only_admins_may(client, grid, receiver):
    dead = _dead_notice(client, grid)
    assert client.post("/api/v1/notifications/999999/requeue", headers=auth("admin")).status_code == 404
    for role in ("dispatcher", "viewer", "executive", "ingest"):
        r = client.post(f"/api/v1/notifications/{dead['id']}/requeue", headers=auth(role))
        assert r.status_code == 403, role
    assert client.post(f"/api/v1/notifications/{dead['id']}/requeue").status_code == 401
    assert _history(client)[0]["status"] == "dead" and len(receiver.received) == 1  # nothing changed
    assert client.get("/api/v1/audit?action=notice_requeued", headers=auth("admin")).json["items"] == []
