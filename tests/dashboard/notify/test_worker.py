"""The outbox worker against real loopback receivers, driven pass by pass with a fake clock: sent within the minute,
retried with exponential backoff, dead after N tries, delivered once when a receiver that was down or hanging
comes back, never twice; several workers share the outbox without sending anything twice."""
import threading
from datetime import timedelta

import pytest

from dashboard.notify.outbox import queue
from dashboard.notify.port import Recipient
from dashboard.notify.rules import Draft
from dashboard.notify.smtp import SmtpNotifier
from dashboard.notify.webhook import WebhookNotifier
from dashboard.notify.worker import OutboxWorker, RetryRule
from dashboard.schemas import OutageIn
from dashboard.services.outages import create_outage
from tests.conftest import now_utc
from tests.dashboard.notify.conftest import notices, set_contacts
from tests.support.polling import wait_until
from tests.support.receivers import HttpReceiver, SmtpReceiver

T0 = now_utc().replace(microsecond=0)


@pytest.fixture
def receiver():
    r = HttpReceiver().up()
    yield r
    r.down()


@pytest.fixture
def config(config, receiver, request):
    # Short sends, so a hanging receiver costs the suite little; a test that times many good sends asks for more,
    # since a loaded CI machine can take longer than 0.5 s to answer on loopback.
    marker = request.node.get_closest_marker("send_timeout")
    timeout = marker.args[0] if marker else 0.5
    return config.with_(notify=f"webhook+{receiver.url}/sms,wecom+{receiver.url}/wecom", notify_timeout_s=timeout,
                        notify_tries=4, notify_backoff_s=10, notify_poll_s=60)


@pytest.fixture
def clock(services):
    """services.clock, set by the test: the outbox's `at`, the worker's due times and its backoff all read it."""
    class Clock:
        now = T0

        def __call__(self):
            return self.now

        def advance(self, **delta):
            self.now += timedelta(**delta)
    c = Clock()
    services.clock = c
    return c


def _outage(services, grid, n=0) -> int:
    body = OutageIn.model_validate({"external_id": f"O-{n}", "kind": "unplanned", "grid_ids": [grid],
                                    "start": services.clock().isoformat(), "customers_affected": 50 + n})
    with services.db.write() as session:
        return create_outage(session, services.bus, services.catalog, body, services.clock())[0]["id"]


def test_an_outage_reaches_both_receivers_within_the_minute(services, runtime, grid, receiver, clock):
    set_contacts(services, grid)
    outage_id = _outage(services, grid)
    clock.advance(seconds=1)  # the worker's next pass
    assert runtime.notify_worker.run_once() == 2
    [sms] = receiver.delivered("/sms")
    [wecom] = receiver.delivered("/wecom")
    assert sms.body["id"] == f"outage:{outage_id}:{grid}:opened" and sms.body["event"] == "outage_opened"
    assert sms.body["recipients"][0] == {"role": "manager", "name": "王建国", "phone": "13800000001"}
    assert wecom.body["text"]["content"] == sms.body["text"]
    for row in notices(services):
        assert row.status == "sent" and row.attempts == 1
        assert row.sent_at - row.queued_at <= timedelta(minutes=1)  # 四快速: told within the minute
    clock.advance(hours=1)
    assert runtime.notify_worker.run_once() == 0 and len(receiver.received) == 2  # never again


def test_the_worker_wakes_when_a_notice_is_queued(services, app, grid, receiver):
    set_contacts(services, grid)  # the app's own loop runs, polling only every 60 s: the queued notice wakes it
    _outage(services, grid)
    assert wait_until(lambda: len(receiver.delivered()) == 2, timeout=5)


def test_failures_back_off_exponentially_then_the_notice_is_dead(services, runtime, grid, receiver, clock):
    set_contacts(services, grid)
    _outage(services, grid)
    receiver.mode = "fail"
    waits = []
    for attempt in range(1, 5):
        assert runtime.notify_worker.run_once() == 0
        row = notices(services, channel="webhook")[0]
        assert row.attempts == attempt and row.last_error == "HTTP 500 Internal Server Error"
        if attempt < 4:
            waits.append(row.next_at - clock.now)
            clock.advance(seconds=waits[-1].total_seconds() - 1)
            assert runtime.notify_worker.run_once() == 0 and len(receiver.received) == 2 * attempt  # not yet
            clock.advance(seconds=1)
    assert waits == [timedelta(seconds=10), timedelta(seconds=20), timedelta(seconds=40)]
    assert [r.status for r in notices(services)] == ["dead", "dead"]
    receiver.mode = "ok"
    clock.advance(days=1)
    assert runtime.notify_worker.run_once() == 0 and receiver.delivered() == []  # the dead letters stay dead


def test_a_receiver_down_then_back_gets_each_notice_once(services, runtime, grid, receiver, clock):
    set_contacts(services, grid)
    first, second = _outage(services, grid, 1), _outage(services, grid, 2)
    receiver.down()
    assert runtime.notify_worker.run_once() == 0
    rows = {(r.subject_id, r.channel): r for r in notices(services)}
    assert rows[(first, "webhook")].attempts == 1 and "unreachable" in rows[(first, "webhook")].last_error
    # The receiver is down: the next notice for it waits with the first, untried, instead of timing out too.
    assert rows[(second, "webhook")].attempts == 0
    assert rows[(second, "webhook")].next_at == rows[(first, "webhook")].next_at == clock.now + timedelta(seconds=10)
    clock.advance(seconds=10)
    assert runtime.notify_worker.run_once() == 0
    receiver.up()
    clock.advance(seconds=20)
    assert runtime.notify_worker.run_once() == 4
    ids = [r.body["id"] for r in receiver.delivered("/sms")]
    assert sorted(ids) == sorted({f"outage:{first}:{grid}:opened", f"outage:{second}:{grid}:opened"})
    clock.advance(hours=2)
    assert runtime.notify_worker.run_once() == 0 and len(receiver.delivered()) == 4


def test_a_hanging_receiver_times_out_and_gets_the_same_id_again(services, runtime, grid, receiver, clock):
    set_contacts(services, grid)
    outage_id = _outage(services, grid)
    receiver.mode, receiver.hang_s = "hang", 1.5
    assert runtime.notify_worker.run_once() == 0
    assert all(r.status == "pending" and r.attempts == 1 for r in notices(services))
    receiver.mode = "ok"
    clock.advance(seconds=10)
    assert runtime.notify_worker.run_once() == 2
    sms = [r for r in receiver.received if r.path == "/sms"]
    assert [r.body["id"] for r in sms] == [f"outage:{outage_id}:{grid}:opened"] * 2  # the retry carries the same id
    assert [r.answered for r in sms] == [0, 200]  # taken once


def test_several_workers_share_the_outbox_and_send_each_notice_once(services, runtime, grid, receiver, clock):
    set_contacts(services, grid)
    for n in range(12):
        _outage(services, grid, n)
    notifiers = [WebhookNotifier(f"{receiver.url}/sms", 2), WebhookNotifier(f"{receiver.url}/wecom", 2, "wecom")]
    workers = [OutboxWorker(services.db, notifiers, clock, RetryRule(), batch=5) for _ in range(3)]

    def drain(worker):
        while worker.run_once():
            pass
    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    ids = [(r.path, r.body.get("id") or r.body["text"]["content"]) for r in receiver.received]
    assert len(ids) == 24 and len(set(ids)) == 24
    assert {r.status for r in notices(services)} == {"sent"}


def test_email_through_a_real_smtp_server(services, runtime, grid, clock):
    server = SmtpReceiver().start()
    try:
        draft = Draft("outage:9:G:opened", "outage_opened", "outage", 9, grid,
                      (Recipient("manager", "王建国", "13800000001", "wang@example.cn"),), "【停电通知】测试：停电#9", {})
        with services.db.write() as session:
            queue(session, [draft], ["smtp"], clock.now)
        worker = OutboxWorker(services.db, [SmtpNotifier("127.0.0.1", server.port, "gc@example.cn", timeout=3)],
                              clock)
        assert worker.run_once() == 1
        [mail] = server.messages
        assert mail["To"] == "wang@example.cn" and mail["X-GridCommand-Notice"] == "outage:9:G:opened"
        assert notices(services, channel="smtp")[0].status == "sent"
    finally:
        server.stop()


@pytest.mark.send_timeout(10)
def test_a_burst_goes_out_in_one_wake_not_a_batch_per_interval(services, runtime, grid, receiver, clock):
    set_contacts(services, grid)
    for n in range(30):  # 60 rows: three batches of 20
        _outage(services, grid, n)
    assert runtime.notify_worker.drain() == 60 and len(receiver.delivered()) == 60


def test_one_outages_notices_arrive_in_order_after_an_outage_of_the_receiver(services, runtime, grid, receiver,
                                                                             clock):
    from dashboard.schemas import OutagePatchIn
    from dashboard.services.outages import patch_outage
    set_contacts(services, grid)
    receiver.down()
    outage_id = _outage(services, grid)
    clock.advance(seconds=1)
    with services.db.write() as session:  # the ETR becomes known, then power is back, while the receiver is down
        patch_outage(session, services.bus, outage_id, OutagePatchIn.model_validate(
            {"etr": (clock.now + timedelta(hours=1)).isoformat()}), clock.now)
    with services.db.write() as session:
        patch_outage(session, services.bus, outage_id, OutagePatchIn.model_validate(
            {"end": clock.now.isoformat()}), clock.now)
    receiver.up()
    assert runtime.notify_worker.drain() == 6
    assert [r.body["event"] for r in receiver.delivered("/sms")] == ["outage_opened", "outage_etr",
                                                                     "outage_restored"]
