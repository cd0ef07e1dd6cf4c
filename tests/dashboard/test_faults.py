"""Fault ingest: grid lookup, idempotency, grouping into orders, batches, and what goes on the bus."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dashboard.errors import Conflict, Invalid
from dashboard.models import EventLog, FaultReport, WorkOrder
from dashboard.schemas import FaultIn
from dashboard.services.faults import ingest_fault, ingest_faults
from geo.crs import wgs84_to_gcj02
from tests.conftest import make_fault, now_utc


class Recorder:
    """Captures what the services publish, alongside the real bus."""
    def __init__(self, services):
        self.batches = []
        services.bus.subscribe(lambda changes: self.batches.append(list(changes)))


def _ingest(services, **kw):
    with services.db.write() as session:
        return ingest_fault(session, services.bus, services.catalog, FaultIn.model_validate(make_fault(**kw)),
                            now_utc())


def test_new_report_opens_an_order_in_its_grid_and_publishes_it(services):
    seen = Recorder(services)
    result = _ingest(services)
    assert result.created and result.grid_id.startswith("110101-")
    with services.db.read() as session:
        order = session.get(WorkOrder, result.workorder_id)
        assert (order.status, order.district, order.area_class) == ("received", "东城区", "urban")
        assert order.arrival_due - order.reported_at == timedelta(minutes=45)
        assert session.scalar(select(func.count()).select_from(EventLog)) == 1
    (change,) = seen.batches[0]
    assert (change.kind, change.op, change.id, change.districts) == ("workorder", "upsert", str(order.id),
                                                                      ("东城区",))


def test_same_key_same_content_replays_and_other_content_conflicts(services):
    body = make_fault()
    with services.db.write() as session:
        first = ingest_fault(session, services.bus, services.catalog, FaultIn.model_validate(body), now_utc())
    with services.db.write() as session:
        again = ingest_fault(session, services.bus, services.catalog, FaultIn.model_validate(body), now_utc())
    assert (again.id, again.workorder_id, again.created) == (first.id, first.workorder_id, False)
    with pytest.raises(Conflict), services.db.write() as session:
        ingest_fault(session, services.bus, services.catalog,
                     FaultIn.model_validate(body | {"category": "hv"}), now_utc())
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(FaultReport)) == 1


def test_nearby_calls_about_one_outage_join_one_order(services):
    a = _ingest(services, lon=116.4075, lat=39.9040)
    b = _ingest(services, lon=116.4080, lat=39.9045, customers_affected=30, sensitive=True)
    far = _ingest(services, lon=116.4075, lat=39.9040, category="customer_internal")
    assert a.workorder_id == b.workorder_id != far.workorder_id
    with services.db.read() as session:
        order = session.get(WorkOrder, a.workorder_id)
        assert (order.report_count, order.customers_affected, order.sensitive) == (2, 30, True)
        assert order.version == 2
        assert session.get(WorkOrder, far.workorder_id).needs_screening


def test_outside_every_grid_is_accepted_and_flagged(services):
    result = _ingest(services, lon=121.47, lat=31.23)
    assert result.created and result.grid_id is None
    with services.db.read() as session:
        order = session.get(WorkOrder, result.workorder_id)
        assert order.outside_grid and order.district is None


def test_gcj02_reports_are_converted_at_the_edge(services):
    lon, lat = wgs84_to_gcj02(116.4075, 39.9040)
    result = _ingest(services, lon=float(lon), lat=float(lat), crs="gcj02")
    with services.db.read() as session:
        report = session.get(FaultReport, result.id)
        assert report.lon == pytest.approx(116.4075, abs=1e-6) and report.lat == pytest.approx(39.9040, abs=1e-6)


def test_future_reports_are_rejected(services):
    with pytest.raises(Invalid):
        _ingest(services, reported_at=(now_utc() + timedelta(hours=1)).isoformat())


def test_batch_stores_good_items_and_reports_bad_ones(services):
    seen = Recorder(services)
    dup = make_fault()
    items = [make_fault(), {"external_id": "x"}, dup, dup | {"category": "hv"}, make_fault(lon=500)]
    with services.db.write() as session:
        results = ingest_faults(session, services.bus, services.catalog, items, now_utc())
    assert [r["status"] for r in results] == [201, 422, 201, 409, 422]
    assert results[1]["error"]["details"][0]["field"] in {"reported_at", "lon", "lat", "category"}
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(FaultReport)) == 2
    assert len(seen.batches) == 1  # one publish for the whole batch, after its one commit
