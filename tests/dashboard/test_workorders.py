"""Assignment, transitions, merging and candidates against a real database."""
import pytest

from dashboard.domain import CallbackResult, OrderStatus
from dashboard.errors import Conflict, Invalid, NotFound
from dashboard.models import Crew, FaultReport, WorkOrder
from dashboard.schemas import CrewIn, FaultIn
from dashboard.services import crews, workorders
from dashboard.services.callback_attempts import record_for_order
from dashboard.services.dispatch import rank_candidates
from dashboard.services.faults import ingest_fault
from tests.conftest import make_fault, now_utc


def _order(services, **kw) -> int:
    with services.db.write() as s:
        return ingest_fault(s, services.bus, services.catalog, FaultIn.model_validate(make_fault(**kw)),
                            now_utc()).workorder_id


def _crew(services, crew_id, lon, lat, skills=("lv",), on_duty=True):
    now = now_utc()
    with services.db.write() as s:
        crews.upsert_crew(s, services.bus, services.catalog, crew_id,
                          CrewIn(name=crew_id, team="t", skills=list(skills), members=2, on_duty=on_duty), now)
    with services.db.write() as s:
        crews.record_positions(s, services.bus, services.catalog,
                               [{"crew_id": crew_id, "lon": lon, "lat": lat, "at": now.isoformat()}], now)


def _version(services, order_id):
    with services.db.read() as s:
        return s.get(WorkOrder, order_id).version


def _go(services, order_id, to, **kw):
    with services.db.write() as s:
        return workorders.transition(s, services.bus, order_id, OrderStatus(to), now=now_utc(), **kw)


def test_candidates_ranked_by_eta_with_skills_first(services):
    order = _order(services, category="hv")
    _crew(services, "near-lv", 116.41, 39.905)
    _crew(services, "far-hv", 116.45, 39.95, skills=("lv", "hv"))
    _crew(services, "off", 116.4075, 39.904, on_duty=False)
    with services.db.read() as s:
        ranked = rank_candidates(s, order)
    assert [r["crew_id"] for r in ranked] == ["far-hv", "near-lv"]
    assert ranked[1]["distance_km"] < ranked[0]["distance_km"] and ranked[0]["eta_min"] > 5
    assert ranked[0]["orders_today"] == 0 and ranked[0]["open_orders"] == 0


def test_a_crew_that_worked_all_day_yields_to_an_equal_one(services):
    first = _order(services, category="lv")
    _crew(services, "busy", 116.4076, 39.9041)
    _crew(services, "rested", 116.4080, 39.9043)  # a few tens of metres further
    with services.db.read() as s:
        assert rank_candidates(s, first)[0]["crew_id"] == "busy"
    for _ in range(3):  # busy takes three orders today and finishes them
        order = _order(services, category="meter", lon=116.40 + _ / 100)
        with services.db.write() as s:
            workorders.assign_crew(s, services.bus, order, "busy", version=_version(services, order), now=now_utc())
        for to in ("on_site", "restored"):
            _go(services, order, to)
    with services.db.read() as s:
        ranked = rank_candidates(s, first)
    assert [r["crew_id"] for r in ranked] == ["rested", "busy"] and ranked[1]["orders_today"] == 3


def test_assign_then_full_lifecycle_frees_the_crew(services):
    order = _order(services)
    _crew(services, "c1", 116.41, 39.905)
    with services.db.write() as s:
        workorders.assign_crew(s, services.bus, order, "c1", version=_version(services, order), now=now_utc())
    for to, crew_status in (("accepted", "dispatched"), ("en_route", "en_route"), ("on_site", "on_site"),
                            ("restored", "available")):
        _go(services, order, to)
        with services.db.read() as s:
            assert s.get(Crew, "c1").status == crew_status
    # 回访: a reached customer moves the order to visited; then it may be archived.
    with services.db.write() as s:
        record_for_order(s, services.bus, order, CallbackResult.satisfied, now=now_utc())
    _go(services, order, "closed")
    with services.db.read() as s:
        o = s.get(WorkOrder, order)
        assert o.status == "closed" and o.arrived_at and o.restored_at and o.closed_at
        detail = workorders.order_detail(s, order)
    assert [e["to"] for e in detail["timeline"]][:3] == ["received", "dispatched", "accepted"]
    assert [e["to"] for e in detail["timeline"]][-2:] == ["visited", "closed"]
    assert detail["callback"]["status"] == "done" and detail["callback"]["result"] == "satisfied"
    assert len(detail["reports"]) == 1


def test_stale_version_busy_crew_and_past_dispatch_conflict(services):
    a, b = _order(services), _order(services, lon=116.30, lat=39.98)
    _crew(services, "c1", 116.41, 39.905)
    with pytest.raises(Conflict, match="version"), services.db.write() as s:
        workorders.assign_crew(s, services.bus, a, "c1", version=99, now=now_utc())
    with services.db.write() as s:
        workorders.assign_crew(s, services.bus, a, "c1", version=_version(services, a), now=now_utc())
    with pytest.raises(Conflict, match="crew"), services.db.write() as s:
        workorders.assign_crew(s, services.bus, b, "c1", version=_version(services, b), now=now_utc())
    _go(services, a, "accepted")
    _crew(services, "c2", 116.41, 39.905)
    with pytest.raises(Conflict, match="past dispatch"), services.db.write() as s:
        workorders.assign_crew(s, services.bus, a, "c2", version=_version(services, a), now=now_utc())
    with pytest.raises(NotFound), services.db.write() as s:
        workorders.assign_crew(s, services.bus, b, "nobody", version=_version(services, b), now=now_utc())


def test_re_assigning_from_the_console_needs_a_reason(services):
    order = _order(services)
    _crew(services, "c1", 116.41, 39.905)
    _crew(services, "c2", 116.42, 39.905)
    with services.db.write() as s:  # the first dispatch needs none
        workorders.assign_crew(s, services.bus, order, "c1", version=_version(services, order), now=now_utc(),
                               reason_to_reassign=True)
    version = _version(services, order)
    with pytest.raises(Invalid, match="say why"), services.db.write() as s:
        workorders.assign_crew(s, services.bus, order, "c2", version=version, now=now_utc(), note="  ",
                               reason_to_reassign=True)
    with services.db.read() as s:
        assert s.get(WorkOrder, order).crew_id == "c1" and _version(services, order) == version
    with services.db.write() as s:
        moved = workorders.assign_crew(s, services.bus, order, "c2", version=version, now=now_utc(),
                                       note="c1 的车坏了", reason_to_reassign=True)
        assert moved.crew_id == "c2"
    with services.db.read() as s:
        assert s.get(Crew, "c1").workorder_id is None


def test_forbidden_transitions_change_nothing(services):
    order = _order(services)
    before = _version(services, order)
    with pytest.raises(Conflict):
        _go(services, order, "on_site")
    with pytest.raises(Conflict):
        _go(services, order, "dispatched")  # dispatch happens by assigning a crew
    with pytest.raises(Invalid):
        _go(services, order, "cancelled", at=now_utc().replace(year=2000))
    assert _version(services, order) == before
    _go(services, order, "cancelled", note="duplicate")
    with pytest.raises(Conflict):
        _go(services, order, "cancelled")


def test_merge_moves_reports_and_releases_the_duplicate(services):
    a = _order(services)
    b = _order(services, lon=116.30, lat=39.98)
    with services.db.write() as s:
        workorders.merge_orders(s, services.bus, b, a, now=now_utc())
    with services.db.read() as s:
        assert s.get(WorkOrder, b).status == "merged" and s.get(WorkOrder, b).merged_into == a
        assert s.get(WorkOrder, a).report_count == 2
        assert {r.workorder_id for r in s.query(FaultReport)} == {a}
    with pytest.raises(Conflict), services.db.write() as s:
        workorders.merge_orders(s, services.bus, a, a, now=now_utc())
    with pytest.raises(Conflict), services.db.write() as s:
        workorders.merge_orders(s, services.bus, b, a, now=now_utc())


def test_a_merge_is_undone_within_the_shift(services):
    from dashboard.services.audit import Actor
    li = Actor("li", "dispatcher")
    a = _order(services, lon=116.30, lat=39.98, category="meter")
    b = _order(services, lon=116.31, lat=39.98, category="meter", customers_affected=20, sensitive=True)
    c = _order(services, lon=116.32, lat=39.98, category="meter")
    with services.db.write() as s:  # c into b, then b (with c's call) into a
        workorders.merge_orders(s, services.bus, c, b, now=now_utc(), by=li)
    with services.db.write() as s:
        workorders.merge_orders(s, services.bus, b, a, now=now_utc(), by=li)
    with services.db.read() as s:
        assert s.get(WorkOrder, a).report_count == 3 and s.get(WorkOrder, a).customers_affected == 20
        assert [m["id"] for m in workorders.order_detail(s, a)["merged_from"]] == [b]
    with pytest.raises(Conflict), services.db.write() as s:
        workorders.unmerge_order(s, services.bus, c, now=now_utc(), by=li)  # c went into b, which is merged
    with services.db.write() as s:
        workorders.unmerge_order(s, services.bus, b, now=now_utc(), by=li)
    with services.db.read() as s:
        order_a, order_b = s.get(WorkOrder, a), s.get(WorkOrder, b)
        assert (order_a.report_count, order_a.customers_affected, order_a.sensitive) == (1, 1, False)
        assert (order_b.status, order_b.merged_into, order_b.report_count, order_b.sensitive) == \
            ("received", None, 2, True)  # its own call and c's, as before the second merge
    with services.db.write() as s:  # and c can now come out of b in turn
        workorders.unmerge_order(s, services.bus, c, now=now_utc(), by=li)
    with services.db.read() as s:
        assert s.get(WorkOrder, b).report_count == 1 and s.get(WorkOrder, c).status == "received"
    with pytest.raises(Conflict), services.db.write() as s:
        workorders.unmerge_order(s, services.bus, c, now=now_utc(), by=li)  # not merged any more


def test_a_merge_older_than_a_shift_stays(services):
    from datetime import timedelta
    a = _order(services, lon=116.30, lat=39.98, category="meter")
    b = _order(services, lon=116.31, lat=39.98, category="meter")
    with services.db.write() as s:
        workorders.merge_orders(s, services.bus, b, a, now=now_utc())
    with pytest.raises(Conflict), services.db.write() as s:
        workorders.unmerge_order(s, services.bus, b, now=now_utc() + timedelta(hours=13))
