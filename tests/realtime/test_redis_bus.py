"""RedisBus against a real redis-server: fan-out between processes' buses, shared seq, one leader, restarts."""
import time

import pytest

from dashboard.events import Change
from realtime.redis_bus import RedisBus
from tests.support.polling import wait_until
from tests.support.servers import RedisServer

pytestmark = pytest.mark.multiprocess


def test_publish_reaches_every_bus_and_seq_is_shared(redis_server):
    a, b = RedisBus(redis_server.url, prefix="t1"), RedisBus(redis_server.url, prefix="t1")
    try:
        got = []
        b.subscribe(lambda changes: got.extend(changes))
        assert wait_until(lambda: a.health()["ok"] and b.health()["ok"])
        time.sleep(0.2)  # let b's subscription land
        a.publish([Change("workorder", "upsert", "7", {"x": 1}, ("海淀区",))])
        assert wait_until(lambda: got)
        assert got[0] == Change("workorder", "upsert", "7", {"x": 1}, ("海淀区",))
        first = a.next_seq()
        assert b.next_seq() == first + 1 and a.current_seq() == first + 1
        assert wait_until(lambda: a.is_leader() != b.is_leader())  # exactly one leader
        b.register_route("d:海淀区")
        assert wait_until(lambda: "d:海淀区" in a.routes(), timeout=3)
    finally:
        a.close()
        b.close()


def test_survives_a_redis_restart_and_forces_a_resync():
    server = RedisServer().start()
    bus = RedisBus(server.url, prefix="t2")
    try:
        assert wait_until(lambda: bus.health()["ok"])
        before = bus.next_seq()
        server.stop()
        bus.publish([Change("crew", "upsert", "c", {})])  # fails soft: the database already has it
        assert wait_until(lambda: not bus.health()["ok"])
        assert bus.health()["error"]
        # Snapshots and hello still name where the stream stands (not 0: a wall told 0 would drop every update).
        assert bus.current_seq() == before
        server = RedisServer(port=server.port).start()
        assert wait_until(lambda: bus.health()["ok"], timeout=20)
        # Redis came back empty: seq must still move forward (clients drop updates with an older seq), and by
        # more than one step, so that every client sees a gap and resyncs from the database.
        assert wait_until(lambda: bus.current_seq() > before + 1)
    finally:
        bus.close()
        server.stop()
