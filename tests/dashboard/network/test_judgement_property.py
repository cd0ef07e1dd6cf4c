"""研判 on random radial trees and random calls, through the real services and database (hypothesis)."""
from datetime import timedelta

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete, select

from dashboard.models import Customer, Device, FaultReport, Meta, Outage, WorkOrder, WorkOrderEvent
from dashboard.network.tree import DeviceKind as K, DeviceSpec
from dashboard.services.device_events import record_device_events
from dashboard.services.faults import ingest_faults
from dashboard.services.judgement import open_order_of
from dashboard.services.topology import replace_topology
from dashboard.domain import OPEN_STATUSES, OUTAGE_UNDER_WAY
from tests.conftest import now_utc

SQLITE_ONLY = True
LON, LAT = 116.4075, 39.9040


@st.composite
def trees(draw):
    devices = [DeviceSpec("S", K.station, None), DeviceSpec("F0", K.feeder, "S")]
    if draw(st.booleans()):
        devices.append(DeviceSpec("F1", K.feeder, "S"))
    feeders = [d.id for d in devices if d.kind == K.feeder]
    parents = list(feeders)
    for i in range(draw(st.integers(0, 4))):
        devices.append(DeviceSpec(f"W{i}", K.switch, draw(st.sampled_from(parents))))
        parents.append(f"W{i}")
    for i in range(draw(st.integers(2, 9))):
        devices.append(DeviceSpec(f"T{i}", K.transformer, draw(st.sampled_from(parents)),
                                  customers=draw(st.integers(1, 40))))
    return devices


def _wipe(session):
    for model in (WorkOrderEvent, FaultReport, WorkOrder, Outage, Customer, Device):
        session.execute(delete(model))
    session.execute(delete(Meta).where(Meta.key.in_(["network_version", "customers_version"])))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), devices=trees())
def test_every_call_has_exactly_one_home_and_closing_leaves_nothing_open(services, data, devices):
    grid = services.catalog.index.locate_points([LON], [LAT])[0]
    devices = [DeviceSpec(d.id, d.kind, d.parent_id, None, LON, LAT, grid, d.customers) for d in devices]
    transformers = [d.id for d in devices if d.kind == K.transformer]
    others = [d.id for d in devices if d.kind != K.transformer]
    now = now_utc()
    with services.db.write() as session:
        _wipe(session)
        replace_topology(session, devices)
        session.commit()
    closed = data.draw(st.lists(st.sampled_from(transformers + others), max_size=3, unique=True))
    calls = data.draw(st.lists(st.tuples(st.sampled_from(transformers), st.integers(0, 40)), min_size=1, max_size=25))
    with services.db.write() as session:
        judging = services.judging(session)
        record_device_events(session, services.bus, judging, [
            {"device_id": d, "state": "closed", "at": (now - timedelta(hours=1)).isoformat()} for d in closed], now)
    for n, (t, minute) in enumerate(calls):
        with services.db.write() as session:
            results = ingest_faults(session, services.bus, services.catalog, [{
                "external_id": f"P-{n}", "reported_at": (now - timedelta(minutes=60 - minute)).isoformat(),
                "lon": LON, "lat": LAT, "category": "lv", "transformer_id": t}], now,
                judging=services.judging(session), limits=services.limits)
            assert results[0]["status"] == 201, results
    under_way = [s.value for s in OUTAGE_UNDER_WAY]
    open_ = [s.value for s in OPEN_STATUSES]
    with services.db.read() as session:
        outages = {o.id: o for o in session.scalars(select(Outage))}
        for report in session.scalars(select(FaultReport)):
            order = session.get(WorkOrder, report.workorder_id)
            if report.outage_id is None:
                assert order is not None and order.status in open_, "a call with no outage has an open order"
            else:
                outage = outages[report.outage_id]
                assert outage.status in under_way, "a call is linked to an outage under way"
                assert order is not None and open_order_of(session, outage).id == order.id, "one outage, one order"
        for outage in outages.values():
            if outage.status in under_way and outage.source == "calls":
                assert outage.device_id not in closed, "never predicted: automation reports it closed"
    victim = data.draw(st.sampled_from(others))
    with services.db.write() as session:
        judging = services.judging(session)
        record_device_events(session, services.bus, judging, [
            {"device_id": victim, "state": "open", "at": (now - timedelta(seconds=30)).isoformat()},
            {"device_id": victim, "state": "closed", "at": (now - timedelta(seconds=10)).isoformat()}], now)
    with services.db.read() as session:
        net = services.network.current(session)
        below = set(net.transformers_below(victim))
        for report in session.scalars(select(FaultReport).where(FaultReport.transformer_id.in_(below))):
            order = session.get(WorkOrder, report.workorder_id) if report.workorder_id else None
            assert order is None or order.status not in open_, f"order {order.id} open below {victim}"
        for outage in session.scalars(select(Outage).where(Outage.status.in_(under_way))):
            assert not net.is_at_or_below(outage.device_id, victim), f"outage at {outage.device_id} under way"
