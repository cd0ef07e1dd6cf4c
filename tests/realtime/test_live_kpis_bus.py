"""The live KPIs over the Redis bus: a change committed in one process is held by another's ticker, and a bus
that lost messages makes the ticker seed again from the database."""
import dataclasses
import time

import pytest

from dashboard.schemas import FaultIn
from dashboard.services.faults import ingest_fault
from realtime.kpi_ticker import KpiTicker
from realtime.redis_bus import RedisBus
from tests.conftest import make_fault, now_utc
from tests.support.polling import wait_until

pytestmark = pytest.mark.multiprocess


def test_another_process_change_reaches_the_held_figures(services, redis_server):
    a, b = RedisBus(redis_server.url, prefix="lk1"), RedisBus(redis_server.url, prefix="lk1")
    try:
        writer = dataclasses.replace(services, bus=a)
        ticker = KpiTicker(dataclasses.replace(services, bus=b), resync_s=1e9)
        assert wait_until(lambda: a.health()["ok"] and b.health()["ok"])
        time.sleep(0.2)  # let b's subscription land
        assert ticker.current()["received_today"] == 0 and ticker.seeds == 1
        with writer.db.write() as session:
            ingest_fault(session, a, writer.catalog, FaultIn.model_validate(make_fault()), now_utc())
        assert wait_until(lambda: ticker._pending)
        assert ticker.current()["received_today"] == 1 and ticker.seeds == 1  # from the change, not a re-read
        b._gaps += 1  # as after a reconnection that lost messages
        assert ticker.current()["received_today"] == 1 and ticker.seeds == 2
    finally:
        a.close()
        b.close()
