"""The stores of recent updates, in process and in Redis: what they can and cannot bridge, the same way."""
import uuid

import pytest
import redis

from dashboard.ops.recent_updates import RecentUpdates
from realtime.redis_recent import RedisRecentUpdates


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.multiprocess)])
def make_store(request):
    if request.param == "memory":
        yield RecentUpdates
        return
    client = redis.Redis.from_url(request.getfixturevalue("redis_server").url)
    yield lambda capacity=600: RedisRecentUpdates(client, prefix=f"t-{uuid.uuid4().hex}", capacity=capacity)
    client.close()


@pytest.fixture
def ring(make_store):
    def fill(*seqs: int, capacity: int = 10):
        r = make_store(capacity)
        for s in seqs:
            r.add({"seq": s, "changes": [{"kind": "workorder", "id": str(s), "data": {"名": "东城"}}]})
        return r
    return fill


def test_returns_everything_after_a_seq_it_still_holds(ring):
    r = ring(5, 6, 7, 8)
    assert [u["seq"] for u in r.after(5)] == [6, 7, 8]
    assert [u["seq"] for u in r.after(4)] == [5, 6, 7, 8]
    assert r.after(8) == []


def test_cannot_bridge_what_fell_out_or_what_is_not_yet_sent(ring, make_store):
    r = ring(*range(1, 21), capacity=5)  # holds 16..20
    assert r.after(14) is None
    assert [u["seq"] for u in r.after(15)] == [16, 17, 18, 19, 20]
    assert r.after(21) is None  # a client ahead of this server (another leader's stream)
    assert make_store().after(0) is None


def test_a_skipped_seq_forgets_the_older_entries(ring):
    r = ring(1, 2, 3)
    r.add({"seq": 5, "changes": []})  # seq 4 was skipped on purpose: everyone must resync
    assert r.after(2) is None and r.after(3) is None
    assert r.after(4) == [{"seq": 5, "changes": []}]


def test_a_seq_taken_but_not_yet_added_is_on_its_way_not_lost(ring, make_store):
    r = ring(5, 6)
    assert r.after(7) is None
    assert r.after(7, current=7) == []  # 7 is being flushed right now: it will come by the socket
    assert r.after(8, current=7) is None
    assert make_store().after(3, current=3) == []


def test_updates_come_back_as_they_went_in(ring):
    (update,) = ring(7).after(6)
    assert update == {"seq": 7, "changes": [{"kind": "workorder", "id": "7", "data": {"名": "东城"}}]}


@pytest.mark.multiprocess
def test_redis_store_fails_soft_when_redis_is_away():
    client = redis.Redis(port=1, socket_connect_timeout=0.2, socket_timeout=0.2)  # nothing listens on port 1
    store = RedisRecentUpdates(client, prefix="away")
    store.add({"seq": 1, "changes": []})  # not raised: the push goes on without it
    assert store.after(0) is None  # "gone": the client takes a snapshot from the database
