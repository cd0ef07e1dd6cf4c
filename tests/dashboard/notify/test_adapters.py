"""The notifier adapters against real loopback receivers: the contract's webhook shape, WeCom's format and its
errcode, SMTP through aiosmtpd, and every failure as a DeliveryError within the timeout."""
import time

import pytest

from dashboard.notify.channels import NotifySpecError, parse_notifiers
from dashboard.notify.log import LogNotifier
from dashboard.notify.port import DeliveryError, Notice, Recipient
from dashboard.notify.smtp import SmtpNotifier
from dashboard.notify.webhook import WebhookNotifier
from dashboard.notify.wecom import WeComNotifier
from tests.support.receivers import HttpReceiver, SmtpReceiver

NOTICE = Notice("outage:7:110101-001:opened", "outage_opened", "2026-11-22T10:00:00Z", "110101-001",
                (Recipient("manager", "王建国", "13800000001", "wang@example.cn"),
                 Recipient("liaison", "李秀英", "01012345678", None, "和平里社区")),
                "【停电通知】东城01网格：台区T1确认停电，影响120户，预计18:30复电。停电#7", {"outage_id": 7})


@pytest.fixture
def receiver():
    r = HttpReceiver().up()
    yield r
    r.down()


def test_webhook_posts_the_contract_shape_with_its_id(receiver):
    WebhookNotifier(f"{receiver.url}/sms", timeout=2).send(NOTICE)
    [got] = receiver.delivered("/sms")
    assert got.body == {"id": NOTICE.id, "event": "outage_opened", "at": "2026-11-22T10:00:00Z",
                        "grid_id": "110101-001", "text": NOTICE.text, "data": {"outage_id": 7},
                        "recipients": [{"role": "manager", "name": "王建国", "phone": "13800000001"},
                                       {"role": "liaison", "name": "李秀英", "phone": "01012345678"}]}
    assert got.headers["Idempotency-Key"] == NOTICE.id
    assert got.headers["Content-Type"].startswith("application/json")


def test_wecom_posts_a_text_message_mentioning_the_mobiles(receiver):
    WeComNotifier(f"{receiver.url}/cgi-bin/webhook/send?key=k", timeout=2).send(NOTICE)
    [got] = receiver.delivered()
    assert got.path == "/cgi-bin/webhook/send?key=k"
    assert got.body == {"msgtype": "text", "text": {"content": NOTICE.text,
                                                    "mentioned_mobile_list": ["13800000001"]}}


def test_wecom_refusal_in_its_errcode_is_a_failure(receiver):
    receiver.mode = "errcode:45009"  # the robot's rate limit, answered with HTTP 200
    with pytest.raises(DeliveryError, match="45009") as failed:
        WeComNotifier(f"{receiver.url}/w", timeout=2).send(NOTICE)
    assert not failed.value.permanent


def test_a_500_a_hang_and_a_closed_port_are_retryable_failures(receiver):
    hook = WebhookNotifier(f"{receiver.url}/sms", timeout=0.5)
    receiver.mode = "fail"
    with pytest.raises(DeliveryError, match="500") as failed:
        hook.send(NOTICE)
    assert not failed.value.permanent
    receiver.mode, receiver.hang_s = "hang", 2
    started = time.monotonic()
    with pytest.raises(DeliveryError) as failed:
        hook.send(NOTICE)
    assert time.monotonic() - started < 1.5 and not failed.value.permanent  # the timeout, not the receiver, ends it
    receiver.down()
    with pytest.raises(DeliveryError, match="unreachable"):
        hook.send(NOTICE)


def test_a_refusal_of_the_notice_itself_is_permanent(receiver):
    receiver.mode = "reject"  # 400: the same body would be refused again
    with pytest.raises(DeliveryError, match="400") as failed:
        WebhookNotifier(f"{receiver.url}/sms", timeout=2).send(NOTICE)
    assert failed.value.permanent


def test_smtp_sends_one_mail_to_the_recipients_and_the_configured_addresses():
    server = SmtpReceiver().start()
    try:
        SmtpNotifier("127.0.0.1", server.port, "gridcmd@example.cn", ["duty@example.cn"], timeout=3).send(NOTICE)
        [mail] = server.messages
        assert mail["From"] == "gridcmd@example.cn"
        assert mail["To"] == "wang@example.cn, duty@example.cn"
        assert mail["Message-ID"] == "<outage.7.110101-001.opened@gridcommand>"  # the same on every retry
        assert "台区T1确认停电" in mail.get_payload(decode=True).decode("utf-8")
        assert mail["Subject"].startswith("【停电通知】") or "=?utf-8?" in mail["Subject"]
    finally:
        server.stop()


def test_smtp_without_any_address_is_a_permanent_failure_and_a_closed_port_a_retryable_one():
    nobody = Notice(**{**NOTICE.__dict__, "recipients": (Recipient("manager", "王建国", "13800000001"),)})
    with pytest.raises(DeliveryError) as failed:
        SmtpNotifier("127.0.0.1", 1, "gridcmd@example.cn", timeout=1).send(nobody)
    assert failed.value.permanent
    from tests.support.servers import free_port
    with pytest.raises(DeliveryError) as failed:
        SmtpNotifier("127.0.0.1", free_port(), "gridcmd@example.cn", ["duty@example.cn"], timeout=1).send(NOTICE)
    assert not failed.value.permanent


def test_gridcmd_notify_names_each_channel_and_rejects_what_it_cannot_use():
    chosen = parse_notifiers("webhook+http://127.0.0.1:9/sms, wecom+https://qy.example/send?key=s,"
                             "smtp://mail.example:2525?from=gc@example.cn&to=a@example.cn;b@example.cn, log:,"
                             "webhook+http://127.0.0.1:9/other", timeout=3)
    assert [n.name for n in chosen] == ["webhook", "wecom", "smtp", "log", "webhook-2"]
    assert chosen[0].url == "http://127.0.0.1:9/sms" and chosen[0].timeout == 3
    assert (chosen[2].host, chosen[2].port, chosen[2].sender, chosen[2].to) == (
        "mail.example", 2525, "gc@example.cn", ["a@example.cn", "b@example.cn"])
    assert [type(n) for n in parse_notifiers("")] == [LogNotifier]  # none configured: logged and listed
    for bad in ("sms://x", "webhook+ftp://x", "smtp://host:25", "wecom+http:///nohost"):
        with pytest.raises(NotifySpecError):
            parse_notifiers(bad)
    with pytest.raises(NotifySpecError) as failed:
        parse_notifiers("secret-scheme://user:pw@host")
    assert "pw" not in str(failed.value)


def test_the_environment_chooses_the_notifiers_and_a_bad_one_stops_the_start(monkeypatch):
    from dashboard.config import Config
    monkeypatch.setenv("GRIDCMD_NOTIFY", "webhook+http://127.0.0.1:9/sms,log:")
    monkeypatch.setenv("GRIDCMD_NOTIFY_TRIES", "3")
    config = Config.from_env()
    assert [n.name for n in config.notifiers()] == ["webhook", "log"] and config.retry_rule().tries == 3
    monkeypatch.setenv("GRIDCMD_NOTIFY", "wecom+ftp://qy.example/send?key=secret")
    with pytest.raises(SystemExit) as stopped:
        Config.from_env()
    assert "GRIDCMD_NOTIFY" in str(stopped.value) and "secret" not in str(stopped.value)
