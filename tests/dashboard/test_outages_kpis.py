"""Outages by grid ids or polygon, restoration, and today's KPIs."""
from datetime import timedelta

import pytest
from pydantic import ValidationError
from shapely.geometry import box, mapping

from dashboard.errors import Conflict, Invalid, NotFound
from dashboard.schemas import FaultIn, OutageIn, OutagePatchIn
from dashboard.services.faults import ingest_fault
from dashboard.services.kpis import compute_kpis
from dashboard.services.outages import active_outages, create_outage, patch_outage
from tests.conftest import make_fault, now_utc


START = (now_utc() - timedelta(minutes=5)).isoformat()


def _outage(services, **kw):
    body = {"external_id": "O1", "kind": "unplanned", "start": START, "customers_affected": 500} | kw
    with services.db.write() as s:
        return create_outage(s, services.bus, services.catalog, OutageIn.model_validate(body), now_utc())


def test_outage_by_polygon_finds_its_grids_and_ends(services):
    view, created = _outage(services, geometry=mapping(box(116.39, 39.90, 116.42, 39.92)))
    assert created and "东城区" in view["districts"] and len(view["grid_ids"]) >= 1
    assert _outage(services, geometry=mapping(box(116.39, 39.90, 116.42, 39.92)))[1] is False  # idempotent
    with pytest.raises(Conflict):
        _outage(services, geometry=mapping(box(116.0, 39.0, 116.1, 39.1)))
    with services.db.read() as s:
        assert compute_kpis(s, now_utc(), services.rule)["customers_out"] == 500
    with services.db.write() as s:
        ended = patch_outage(s, services.bus, view["id"], OutagePatchIn(end=now_utc()), now_utc())
    assert ended["active"] is False
    with services.db.read() as s:
        assert active_outages(s) == []
    with pytest.raises(Conflict), services.db.write() as s:
        patch_outage(s, services.bus, view["id"], OutagePatchIn(etr=now_utc()), now_utc())
    with pytest.raises(NotFound), services.db.write() as s:
        patch_outage(s, services.bus, 999, OutagePatchIn(etr=now_utc()), now_utc())


def test_unknown_grids_are_invalid(services):
    with pytest.raises(Invalid) as err:
        _outage(services, grid_ids=["nope"])
    assert err.value.details[0]["field"] == "grid_ids"


@pytest.mark.parametrize("geometry", [{"type": "Point", "coordinates": [116, 39]},
                                      {"type": "Polygon", "coordinates": [[[0, 0]]]},
                                      {"type": "Polygon", "coordinates": [[[116, 39], [116, 39], [116, 39], [200, 39]]]}])
def test_bad_shapes_fail_the_schema(services, geometry):
    with pytest.raises(ValidationError) as err:
        _outage(services, geometry=geometry)
    assert all(e["loc"][0] == "geometry" for e in err.value.errors())


def test_a_self_crossing_polygon_is_invalid(services):
    bowtie = [[116.0, 39.0], [117.0, 40.0], [117.0, 39.0], [116.0, 40.0], [116.0, 39.0]]
    with pytest.raises(Invalid) as err:
        _outage(services, geometry={"type": "Polygon", "coordinates": [bowtie]})
    assert err.value.details[0]["field"] == "geometry" and "intersection" in err.value.details[0]["message"]


def test_kpis_count_open_overdue_and_received(services):
    for minutes in (1, 50):  # the second is past the 45-minute urban limit
        with services.db.write() as s:
            ingest_fault(s, services.bus, services.catalog, FaultIn.model_validate(make_fault(
                lon=116.30 + minutes / 100, lat=39.98,
                reported_at=(now_utc() - timedelta(minutes=minutes)).isoformat())), now_utc())
    with services.db.read() as s:
        k = compute_kpis(s, now_utc(), services.rule)
    assert (k["open"], k["overdue"]) == (2, 1)
    assert k["received_today"] >= 1
