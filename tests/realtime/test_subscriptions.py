"""District subscriptions cannot pile up: known districts only, one per client, a bounded rate, gone when the
client leaves, and (with Redis) gone when its server process dies."""
import pytest

from app import runtime_of
from realtime.redis_bus import RedisBus
from tests.conftest import TOKENS
from tests.support.polling import wait_until


def _connect(app):
    rt = runtime_of(app)
    return rt.socketio.test_client(app.server, namespace="/live", auth={"token": TOKENS["viewer"]})


def _subscribe(client, districts):
    return client.emit("subscribe", {"districts": districts}, namespace="/live", callback=True)


def _routes(app):
    return runtime_of(app).services.bus.routes()


def test_unknown_districts_are_refused_and_register_nothing(app):
    client = _connect(app)
    ack = _subscribe(client, ["海淀区", "Atlantis"])
    assert ack["error"]["code"] == "unknown_district" and "Atlantis" in ack["error"]["message"]
    assert _routes(app) == set()


def test_a_route_lives_while_some_client_holds_it(app):
    first, second = _connect(app), _connect(app)
    assert _subscribe(first, ["海淀区"])["ok"] and _subscribe(second, ["海淀区"])["ok"]
    assert _routes(app) == {"d:海淀区"}
    _subscribe(first, ["朝阳区", "海淀区"])
    assert _routes(app) == {"d:海淀区", "d:朝阳区|海淀区"}
    second.disconnect(namespace="/live")
    assert _routes(app) == {"d:朝阳区|海淀区"}
    _subscribe(first, [])  # back to everything
    assert _routes(app) == set()
    _subscribe(first, ["东城区"])
    first.disconnect(namespace="/live")
    assert _routes(app) == set()


def test_a_flood_of_subscriptions_leaves_at_most_one_route_and_ends_the_connection(app):
    districts = runtime_of(app).services.catalog.districts()
    client = _connect(app)
    answers = []
    for i in range(300):
        if not client.is_connected("/live"):
            break
        combo = [d for k, d in enumerate(districts) if (i >> k) & 1] or districts[:1]
        answers.append(_subscribe(client, combo))
    assert any(a and a.get("error", {}).get("code") == "rate_limited" for a in answers)
    assert len(_routes(app)) <= 1
    assert not client.is_connected("/live")  # a client that keeps going past its budget is let go
    assert _routes(app) == set()


def test_a_huge_district_list_is_refused(app):
    client = _connect(app)
    ack = _subscribe(client, ["海淀区"] * 10_000)
    assert ack["error"]["code"] == "invalid_subscription"
    assert _routes(app) == set()


@pytest.mark.multiprocess
def test_routes_of_a_dead_process_expire_in_redis(redis_server):
    import redis
    r = redis.Redis.from_url(redis_server.url)
    r.flushall()
    r.sadd("gridcmd:routes", "d:old-version-orphan")  # the single shared set earlier versions left behind
    alive, dying = RedisBus(redis_server.url, route_ttl_ms=1500), RedisBus(redis_server.url, route_ttl_ms=1500)
    try:
        alive.register_route("d:海淀区")
        dying.register_route("d:朝阳区")
        assert wait_until(lambda: alive.routes(fresh=True) == {"d:海淀区", "d:朝阳区"})
        assert not r.exists("gridcmd:routes")
        dying.kill()  # the process dies: no close(), no clean-up of its own
        assert wait_until(lambda: alive.routes(fresh=True) == {"d:海淀区"}, timeout=6)
        alive.unregister_route("d:海淀区")
        assert wait_until(lambda: alive.routes(fresh=True) == set())
    finally:
        alive.close()
    assert not [k for k in r.scan_iter("gridcmd:routes*")]


@pytest.mark.parametrize("districts", [["\ud800"], ["海" * 65], ["a\x00"], [1], "海淀区", {"x": 1}])
def test_odd_district_names_are_refused_not_echoed(app, districts):
    ack = _subscribe(_connect(app), districts)
    assert ack["error"]["code"] == "invalid_subscription" and len(ack["error"]["message"]) < 200
    assert _routes(app) == set()


@pytest.mark.parametrize("token", ["\ud800", "x" * 10_000, 12, ["viewer-token"], "a\x00b"])
def test_odd_tokens_are_refused_at_connect(app, token):
    client = runtime_of(app).socketio.test_client(app.server, namespace="/live", auth={"token": token})
    assert not client.is_connected("/live")


def test_a_client_that_slows_down_is_not_cut_off(app):
    from realtime import bridge
    client = _connect(app)
    for _ in range(5):  # bursts over the budget, each followed by a pause that refills it
        answers = [_subscribe(client, ["海淀区"]) for _ in range(bridge.EVENT_BURST + 5)]
        assert any(a.get("error", {}).get("code") == "rate_limited" for a in answers)
        assert client.is_connected("/live")
        for c in runtime_of(app).bridge._clients.values():  # a pause: the bucket refills with time
            c.tokens = bridge.EVENT_BURST
    assert client.is_connected("/live")
