"""The period figures (dashboard/services/period_kpis.py) on SQLite and PostgreSQL: a hand-built set of orders
worked out by hand, and on a random history the roll-up's answer against the answer straight from the tables
(across local midnights, with a district, after a late write, after a rebuild)."""
from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from dashboard.figures.durations import bounds, bucket
from dashboard.models import FaultReport, OrderDaily, OrderDay, WorkOrder
from dashboard.services.callcenter import ServiceLevelRule
from dashboard.services.order_rollup import close_days, current_days, current_months
from dashboard.services.period_kpis import period_kpis
from dashboard.services.rollups import RebuildScope, rebuild

TZ = "Asia/Shanghai"
ZONE = ZoneInfo(TZ)
RULE = ServiceLevelRule(timezone=TZ)
NOW = datetime(2026, 6, 15, 4, 0, tzinfo=timezone.utc)  # 12:00 in Beijing
_ids = iter(range(10**6))


def local(y, m, d, h=0, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=ZONE).astimezone(timezone.utc)


def order(grid: str, district: str, reported: datetime, *, arrive_min: float | None = None,
          restore_min: float | None = None, arrival_limit_min: float = 45, restore_limit_min: float = 180,
          status: str | None = None) -> WorkOrder:
    """An order reported at `reported`, arriving and restored that many minutes after it (None: not yet)."""
    arrived = reported + timedelta(minutes=arrive_min) if arrive_min is not None else None
    restored = reported + timedelta(minutes=restore_min) if restore_min is not None else None
    status = status or ("restored" if restored else "on_site" if arrived else "dispatched")
    return WorkOrder(status=status, category="lv", priority="normal", channel="phone", grid_id=grid,
                     district=district, area_class="urban", lon=116.4, lat=39.9, reported_at=reported,
                     arrival_due=reported + timedelta(minutes=arrival_limit_min),
                     restore_due=arrived + timedelta(minutes=restore_limit_min) if arrived else None,
                     arrived_at=arrived, restored_at=restored, updated_at=reported)


def call(grid: str, reported: datetime) -> FaultReport:
    n = next(_ids)
    return FaultReport(external_id=f"PK-{n}", content_hash="x", reported_at=reported, received_at=reported,
                       lon=116.4, lat=39.9, crs="wgs84", category="lv", priority="normal", channel="phone",
                       grid_id=grid)


@pytest.fixture
def places(services) -> list[tuple[str, str]]:
    """Two grids in each of two districts."""
    by_district: dict[str, list[str]] = {}
    for g, info in sorted(services.catalog.info.items()):
        by_district.setdefault(info.district, []).append(g)
    districts = sorted(by_district)[:2]
    return [(g, d) for d in districts for g in by_district[d][:2]]


def figures(services, start, end, district=None, use_rollup=True, now=NOW) -> dict:
    with services.db.read() as session:
        return period_kpis(session, start, end, district=district, rule=RULE, now=now, use_rollup=use_rollup)


def test_hand_built_orders(services, places):
    (g1, d1), (g2, _), (g3, d2), _ = places
    day = local(2026, 6, 10, 9)
    with services.db.write() as session:
        session.add_all([
            order(g1, d1, day, arrive_min=30, restore_min=100),  # on time twice: 30 min, 100 min
            order(g1, d1, day, arrive_min=50, restore_min=300),  # arrival late (45), restoration 300 ≤ 50+180? no
            order(g2, d1, day, arrive_min=40),  # on site, restore_due 40+180 = 220 min after report: past now
            order(g3, d2, day),  # not arrived, past its arrival limit: overdue
            order(g3, d2, day, status="merged"),  # merged: not received
            order(g3, d2, local(2026, 6, 9, 23, 30), arrive_min=60, restore_min=120),  # received the day before
            call(g1, day), call(g1, day), call(g2, day), call(g3, day), call(g3, day), call(g3, day),
        ])
    got = figures(services, local(2026, 6, 10), local(2026, 6, 11))
    o = got["orders"]
    # received 4 (the merged one and the one of 9 June not); arrivals on 10 June: 30, 50, 40 and the 9 June order's
    # at 00:30 (60); restorations: 100, 300 and the 9 June order's (120).
    assert o["received"] == 4 and o["arrived"] == 4 and o["restored"] == 3
    assert o["avg_arrival_min"] == 45.0  # (30 + 50 + 40 + 60) / 4
    assert o["on_time_arrival_rate"] == 0.5  # 30 and 40 by their 45-minute limit
    assert o["avg_restoration_min"] == round((100 + 300 + 120) / 3, 1)
    # restore_due = arrival + 180: 30+180=210 ≥ 100 on time; 50+180=230 < 300 late; 60+180=240 ≥ 120 on time
    assert o["on_time_restoration_rate"] == round(2 / 3, 4)
    # open now: the on-site one and the one not arrived; overdue: arrival late (2nd), restoration past (3rd),
    # arrival past (4th)
    assert o["open"] == 2 and o["overdue"] == 3
    # p90 of 30, 40, 50, 60 min: rank ceil(3.6) = 4 → 60 min → bucket middle 60.5
    assert o["p90_arrival_min"] == 60.5 and o["p90_restoration_min"] == 300.5
    out = got["outages"]
    assert out["calls"] == 6 and out["trips_saved"] == 2
    rank = {r["district"]: r for r in got["by_district"]}
    assert rank[d1]["received"] == 3 and rank[d2]["received"] == 1
    assert rank[d1]["on_time_arrival_rate"] == round(2 / 3, 4)  # 30, 50, 40
    assert rank[d2]["on_time_arrival_rate"] == 0.0  # the 9 June order's 60
    assert rank[d1]["rank"] < rank[d2]["rank"]
    assert {r["grid"]: r["received"] for r in got["by_grid"] if r["grid"] in (g1, g2, g3)} == {g1: 2, g2: 1, g3: 1}
    only = figures(services, local(2026, 6, 10), local(2026, 6, 11), district=d2)
    assert only["orders"]["received"] == 1 and only["orders"]["arrived"] == 1 and only["outages"]["calls"] == 3
    assert [r["district"] for r in only["by_district"]] == [d2]
    points = got["series"]["points"]  # a day: per hour
    assert got["series"]["step"] == "hour" and len(points) == 24
    assert points[9]["received"] == 4 and points[0]["arrived"] == 1 and sum(p["arrived"] for p in points) == 4
    week = figures(services, local(2026, 6, 8), local(2026, 6, 15))
    assert week["series"]["step"] == "day" and [p["received"] for p in week["series"]["points"]] == [0, 1, 4, 0, 0,
                                                                                                    0, 0]


def random_history(services, places, days: int, n: int, seed: int) -> list[tuple[float, float | None]]:
    rng = random.Random(seed)
    first = local(2026, 5, 20)
    objects = []
    for _ in range(n):
        g, d = rng.choice(places)
        # Many near local midnight, to cross day boundaries.
        at = first + timedelta(days=rng.randrange(days), hours=rng.choice((23, 23.5, 0.2, rng.uniform(0, 24))))
        arrive = rng.choice((None, rng.uniform(5, 120), rng.uniform(5, 900)))
        restore = None if arrive is None or rng.random() < 0.2 else arrive + rng.uniform(10, 600)
        objects.append(order(g, d, at, arrive_min=arrive, restore_min=restore,
                             status="merged" if rng.random() < 0.05 else None))
        if rng.random() < 0.7:
            objects.append(call(g, at + timedelta(minutes=rng.uniform(-5, 5))))
    with services.db.write() as session:
        session.add_all(objects)
    return objects


def comparable(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "generated_at"}


PERIODS = [(local(2026, 5, 1), local(2026, 6, 15)), (local(2026, 4, 28), local(2026, 6, 2)),
           (local(2026, 5, 20), local(2026, 6, 15)), (local(2026, 5, 25), local(2026, 6, 1)),
           (local(2026, 5, 25, 13, 17), local(2026, 6, 3, 6, 5)), (local(2026, 5, 31, 22), local(2026, 6, 1, 2)),
           (local(2026, 6, 10), NOW)]


def test_rollup_answers_as_the_tables(services, places):
    random_history(services, places, days=26, n=600, seed=11)
    with services.db.write() as session:
        rebuild(session, RebuildScope(None, None, TZ, NOW), ["order_daily"])
    with services.db.read() as session:
        assert len(current_days(session, date(2026, 5, 1), date(2026, 6, 15))) == 45
        assert current_months(session, [date(2026, 5, 1), date(2026, 6, 1)]) == {date(2026, 5, 1)}
    for start, end in PERIODS:
        for district in (None, places[0][1]):
            rolled = figures(services, start, end, district)
            straight = figures(services, start, end, district, use_rollup=False)
            assert comparable(rolled) == comparable(straight), (start, end, district)


def test_p90_within_the_bucket_of_the_exact_value(services, places):
    objects = random_history(services, places, days=10, n=300, seed=5)
    with services.db.write() as session:
        rebuild(session, RebuildScope(None, None, TZ, NOW), ["order_daily"])
    start, end = local(2026, 5, 20), local(2026, 6, 1)
    got = figures(services, start, end)["orders"]
    arrivals = sorted((o.arrived_at - o.reported_at).total_seconds() for o in objects
                      if isinstance(o, WorkOrder) and o.arrived_at is not None and start <= o.arrived_at < end)
    exact = arrivals[math.ceil(0.9 * len(arrivals)) - 1]
    low, high = bounds(bucket(round(exact)))
    assert abs(got["p90_arrival_min"] * 60 - exact) <= (high - low) / 2 + 3  # + the rounding to 0.1 min


def test_a_late_write_marks_its_day_stale_and_the_answer_stays_right(services, places):
    random_history(services, places, days=10, n=200, seed=8)
    with services.db.write() as session:
        rebuild(session, RebuildScope(None, None, TZ, NOW), ["order_daily"])
    start, end = local(2026, 5, 20), local(2026, 6, 1)
    before = figures(services, start, end)
    g, d = places[0]
    with services.db.write() as session:  # a late arrival report for an order of 23 May, and a late call
        target = session.scalars(select(WorkOrder).where(WorkOrder.arrived_at.is_(None),
                                                         WorkOrder.reported_at >= local(2026, 5, 23),
                                                         WorkOrder.reported_at < local(2026, 5, 24))).first()
        target.arrived_at = target.reported_at + timedelta(minutes=20)
        session.add(call(g, local(2026, 5, 25, 10)))
    with services.db.read() as session:
        current = current_days(session, date(2026, 5, 20), date(2026, 6, 1))
    assert date(2026, 5, 23) not in current and date(2026, 5, 25) not in current
    assert date(2026, 5, 24) in current
    with services.db.read() as session:
        assert current_months(session, [date(2026, 5, 1)]) == set()  # the month holds the days as they were
    after = figures(services, start, end)
    assert after["orders"]["arrived"] == before["orders"]["arrived"] + 1
    assert after["outages"]["calls"] == before["outages"]["calls"] + 1
    assert comparable(after) == comparable(figures(services, start, end, use_rollup=False))
    # The day close rolls the stale days again; the answer does not move.
    assert close_days(services.db, TZ, NOW) == 2
    with services.db.read() as session:
        assert len(current_days(session, date(2026, 5, 20), date(2026, 6, 1))) == 12
        assert current_months(session, [date(2026, 5, 1)]) == {date(2026, 5, 1)}
    assert comparable(figures(services, start, end)) == comparable(after)
    may = (local(2026, 5, 1), local(2026, 6, 1))
    assert comparable(figures(services, *may)) == comparable(figures(services, *may, use_rollup=False))


def test_rebuild_after_deleting_the_rollup_gives_the_same_answer(services, places):
    random_history(services, places, days=8, n=150, seed=2)
    assert close_days(services.db, TZ, NOW) > 0
    start, end = local(2026, 5, 20), local(2026, 6, 1)
    first = figures(services, start, end)
    with services.db.write() as session:
        session.execute(delete(OrderDaily))
        session.execute(delete(OrderDay))
    assert comparable(figures(services, start, end)) == comparable(first)  # from the tables meanwhile
    with services.db.write() as session:
        rebuild(session, RebuildScope(None, None, TZ, NOW))
    with services.db.read() as session:
        assert session.scalar(select(OrderDaily.id).limit(1)) is not None
    assert comparable(figures(services, start, end)) == comparable(first)


def test_hand_built_outages_and_service(services, places):
    from dashboard.models import CallbackTask, Outage, Ticket

    (g1, d1), _, (g3, d2), _ = places
    day = local(2026, 6, 10)
    with services.db.write() as session:
        session.add_all([
            # 100 customers out 10:00–12:00 on one grid of d1: 100 interruptions, 12,000 customer-minutes
            Outage(status="restored", kind="unplanned", grid_ids=[g1], districts=[d1], start=local(2026, 6, 10, 10),
                   end=local(2026, 6, 10, 12), customers_affected=100, care_customers=2, calls=4,
                   updated_at=day),
            # planned work on 10 June: noticed 8 days ahead (in time) and 2 days ahead (late)
            Outage(status="scheduled", kind="planned", maintenance="scheduled", grid_ids=[g3], districts=[d2],
                   start=local(2026, 6, 10, 20), customers_affected=10, notified_at=local(2026, 6, 2, 20),
                   updated_at=day),
            Outage(status="scheduled", kind="planned", maintenance="scheduled", grid_ids=[g3], districts=[d2],
                   start=local(2026, 6, 10, 21), customers_affected=10, notified_at=local(2026, 6, 8, 21),
                   updated_at=day),
        ])
        received = local(2026, 6, 10, 9)

        def complaint(n, contacted_h=None, status="received"):
            return Ticket(external_id=f"C-{n}", content_hash="x", kind="complaint", status=status,
                          received_at=received, subject="s", department="grid", district=d1,
                          contact_due=received + timedelta(hours=24), close_due=received + timedelta(days=4),
                          contacted_at=received + timedelta(hours=contacted_h) if contacted_h else None,
                          created_by="t", created_at=received, updated_at=received)
        session.add_all([complaint(1, 2, "contacted"), complaint(2, 30, "contacted"), complaint(3),
                         complaint(4, status="cancelled")])

        def task(n, status, result=None, closed=None):
            return CallbackTask(subject_kind="workorder", subject_id=n, status=status, result=result,
                                opened_at=local(2026, 6, 10, 14), due_at=local(2026, 6, 11, 14), closed_at=closed,
                                district=d1, updated_at=day)
        session.add_all([task(1, "done", "satisfied", local(2026, 6, 10, 16)),
                         task(2, "unreachable", None, local(2026, 6, 10, 18)), task(3, "pending")])
    with services.db.write() as session:
        rebuild(session, RebuildScope(None, None, TZ, NOW), ["reliability_daily"])
    got = figures(services, day, local(2026, 6, 11))
    out = got["outages"]
    assert (out["outages"], out["customer_interruptions"], out["customer_minutes"]) == (1, 100.0, 12000.0)
    assert (out["care_outages"], out["outage_calls"], out["calls_per_outage"]) == (1, 4, 4.0)
    assert (out["planned"], out["planned_notice_late"], out["planned_notice_compliance"]) == (2, 1, 0.5)
    points = got["series"]["points"]
    assert [p["customer_minutes"] for p in points[9:13]] == [0.0, 6000.0, 6000.0, 0.0]
    cut = figures(services, local(2026, 6, 10, 11), local(2026, 6, 10, 23))  # not whole days: cut at its bounds
    assert cut["outages"]["customer_minutes"] == 6000.0 and cut["outages"]["customer_interruptions"] == 0.0
    svc = got["service"]
    # 4 complaints; judged: contacted (2) and past the limit uncontacted (1); the cancelled one is not judged
    assert (svc["complaints"], svc["complaints_contacted_on_time"], svc["complaint_contact_rate"]) == (4, 1, 0.3333)
    assert (svc["callbacks_opened"], svc["callbacks_completed"], svc["callback_completion"]) == (3, 2, 0.6667)
    assert (svc["callbacks_reached"], svc["satisfaction_rate"]) == (1, 1.0)
    only = figures(services, day, local(2026, 6, 11), district=d2)
    assert only["outages"]["outages"] == 0 and only["outages"]["planned"] == 2
    assert only["outages"]["customer_minutes"] == 0.0 and only["service"]["complaints"] == 0


def test_a_change_the_tallies_do_not_read_leaves_the_days_current(services, places):
    random_history(services, places, days=5, n=60, seed=4)
    with services.db.write() as session:
        rebuild(session, RebuildScope(None, None, TZ, NOW), ["order_daily"])
    with services.db.write() as session:
        target = session.scalars(select(WorkOrder).where(WorkOrder.reported_at < local(2026, 5, 21))).first()
        target.level = 3  # a 催办 level: nothing a day's tallies read
        target.crew_id = "C-1"
    with services.db.read() as session:
        assert len(current_days(session, date(2026, 5, 1), date(2026, 5, 25))) == 24
    with services.db.write() as session:
        target = session.get(WorkOrder, target.id)
        target.status = "merged"  # no longer received
    with services.db.read() as session:
        assert date(2026, 5, 20) not in current_days(session, date(2026, 5, 1), date(2026, 5, 25))


def test_a_grid_moved_to_another_district_counts_there_on_rolled_days_too(services, places):
    from dashboard.models import GridRow
    (g1, d1), _, (_, d2), _ = places
    random_history(services, places, days=8, n=150, seed=5)
    assert close_days(services.db, TZ, NOW) > 0
    with services.db.write() as session:
        session.get(GridRow, g1).district = d2  # a grid import redrew the districts after the days were rolled
    start, end = local(2026, 5, 20), local(2026, 6, 1)
    for district in (d1, d2):
        rolled = figures(services, start, end, district=district)
        assert comparable(rolled) == comparable(figures(services, start, end, district=district, use_rollup=False))
    assert g1 in [r["grid"] for r in figures(services, start, end, district=d2)["by_grid"]]
