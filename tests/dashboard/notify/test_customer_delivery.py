"""Customer notices delivered to a real SMS gateway on loopback (GRIDCMD_NOTIFY_CUSTOMERS): one POST per batch, its
id the Idempotency-Key, every recipient a customer; the grid's people keep their own channel."""
import pytest

from tests.dashboard.notify.conftest import open_sw1, register, set_contacts
from tests.support.receivers import HttpReceiver


@pytest.fixture
def gateway():
    r = HttpReceiver().up()
    yield r
    r.down()


@pytest.fixture
def config(config, gateway):
    return config.with_(notify=f"webhook+{gateway.url}/staff", notify_customers=f"webhook+{gateway.url}/sms",
                        notify_customer_batch=40, notify_timeout_s=2, notify_poll_s=60)


def test_batches_reach_the_gateway_once_each_and_staff_notices_stay_apart(client, services, loaded, runtime, gateway):
    set_contacts(services, loaded)
    register(client, "T1", 90)
    open_sw1(client)
    assert runtime.notify_worker.drain() == 4 and runtime.notify_worker.drain() == 0
    sms = [r for r in gateway.delivered("/sms")]
    assert sorted(len(r.body["recipients"]) for r in sms) == [10, 40, 40]
    assert len({r.body["id"] for r in sms}) == 3 and {r.body["event"] for r in sms} == {"customer_outage"}
    assert all(r.headers["Idempotency-Key"] == r.body["id"] for r in sms)
    assert {p["role"] for r in sms for p in r.body["recipients"]} == {"customer"}
    (staff,) = gateway.delivered("/staff")
    assert {p["role"] for p in staff.body["recipients"]} == {"manager", "liaison"}


def test_a_customer_channel_that_is_a_staff_group_is_refused_at_start():
    from dashboard.notify.channels import NotifySpecError, parse_customer_notifiers
    with pytest.raises(NotifySpecError, match="does not reach customers"):
        parse_customer_notifiers("wecom+https://example.invalid/robot?key=SECRET")
    assert [n.name for n in parse_customer_notifiers("")] == ["customer-log"]


def test_the_customer_settings_are_checked_at_start_without_echoing_a_secret(monkeypatch):
    from dashboard.config import Config
    monkeypatch.setenv("GRIDCMD_NOTIFY_CUSTOMERS", "wecom+https://example.invalid/send?key=SECRET")
    with pytest.raises(SystemExit) as stopped:
        Config.from_env()
    assert "GRIDCMD_NOTIFY_CUSTOMERS" in str(stopped.value) and "SECRET" not in str(stopped.value)
    monkeypatch.setenv("GRIDCMD_NOTIFY_CUSTOMERS", "webhook+http://127.0.0.1:9/sms,log:")
    monkeypatch.setenv("GRIDCMD_NOTIFY_CUSTOMER_MAX", "1")
    with pytest.raises(SystemExit, match="at least 2"):
        Config.from_env()
    monkeypatch.setenv("GRIDCMD_NOTIFY_CUSTOMER_MAX", "4")
    monkeypatch.setenv("GRIDCMD_NOTIFY_CUSTOMER_BATCH", "50")
    config = Config.from_env()
    assert [n.name for n in config.customer_notifiers()] == ["customer-webhook", "customer-log"]
    assert (config.customer_rule().batch, config.customer_rule().per_outage) == (50, 4)
