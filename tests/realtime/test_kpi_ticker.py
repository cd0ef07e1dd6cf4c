"""The KPI ticker's held state: only the leader publishes; a process taking the lead, the center's midnight and a
failed publish seed it again from the database; otherwise changes, not re-reads, keep it current."""
import dataclasses
from datetime import timedelta

from dashboard.schemas import FaultIn
from dashboard.services.faults import ingest_fault
from realtime.inprocess_bus import InProcessBus
from realtime.kpi_ticker import KpiTicker
from tests.conftest import make_fault, now_utc


class FollowerBus(InProcessBus):
    """An in-process bus whose lead can be taken away, as the Redis lease does."""

    def __init__(self) -> None:
        super().__init__()
        self.leader = True

    def is_leader(self) -> bool:
        return self.leader


def _ingest(s, now, lon: float = 116.4075, lat: float = 39.9040) -> None:
    with s.db.write() as session:
        ingest_fault(session, s.bus, s.catalog, FaultIn.model_validate(make_fault(lon=lon, lat=lat)), now)


def test_changes_keep_the_figures_current_without_a_new_seed(services):
    clock = {"now": now_utc()}
    s = dataclasses.replace(services, bus=InProcessBus(), clock=lambda: clock["now"])
    ticker = KpiTicker(s, resync_s=1e9)
    assert ticker.current()["received_today"] == 0
    _ingest(s, clock["now"])
    _ingest(s, clock["now"], 116.3100, 39.9900)  # far apart: two orders
    assert ticker.current()["received_today"] == 2 and ticker.seeds == 1


def test_a_follower_holds_nothing_and_seeds_when_it_takes_the_lead(services):
    bus = FollowerBus()
    s = dataclasses.replace(services, bus=bus)
    ticker = KpiTicker(s, resync_s=1e9)
    published = []
    bus.subscribe(lambda changes: published.extend(c for c in changes if c.kind == "kpi"))
    bus.leader = False
    ticker.tick()
    _ingest(s, now_utc())
    assert published == [] and ticker._pending == [] and ticker.seeds == 0  # a follower buffers nothing
    bus.leader = True
    ticker.tick()
    assert ticker.seeds == 1 and published[-1].data["received_today"] == 1


def test_midnight_seeds_the_new_day(services):
    clock = {"now": now_utc()}
    s = dataclasses.replace(services, bus=InProcessBus(), clock=lambda: clock["now"])
    ticker = KpiTicker(s, resync_s=1e9)
    _ingest(s, clock["now"])
    first = ticker.current()
    clock["now"] += timedelta(days=1)
    second = ticker.current()
    assert first["received_today"] == 1 and second["received_today"] == 0 and ticker.seeds == 2
    assert second["day_start"] > first["day_start"]

