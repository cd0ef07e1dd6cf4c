"""The history is a function of the seed and the day: the same seed gives the same rows, another seed others;
storms are few, mostly in summer, and carry many times a calm day's load (pure, no database)."""
from datetime import date, datetime, timedelta, timezone

import numpy as np

from dashboard.history.block import Block
from dashboard.history.generate import generate_day
from dashboard.history.network import Grids, Network
from dashboard.history.rates import plan_storms
from dashboard.tickets.limits import TicketRules
from dashboard.time_limits import TimeLimits

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
SQLITE_ONLY = True


def _net() -> Network:
    grids = Grids(ids=np.array(["g1", "g2", "g3"], dtype=object), districts=np.array(["A", "A", "B"], dtype=object),
                  area_classes=np.array(["urban", "rural", "remote"], dtype=object),
                  customers=np.array([5000.0, 3000.0, 800.0]), lon=np.array([116.4, 116.5, 116.6]),
                  lat=np.array([39.9, 40.0, 40.1]), weights=np.array([5000, 3000, 800]) / 8800)
    return Network(grids, {("g1", "transformer"): np.array(["T1", "T2"], dtype=object)}, {"T1": (116.41, 39.91)},
                   np.array(["C1", "C2"], dtype=object))


def _day(seed: int, day: date = date(2026, 7, 14), storms=None) -> Block:
    block = Block()
    generate_day(block, day, seed=seed, tz="Asia/Shanghai", net=_net(), storms=storms or plan_storms([], seed),
                 scale=0.2, limits=TimeLimits(), tickets=TicketRules(), now=NOW.timestamp())
    return block


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    a, b, c = _day(1), _day(1), _day(2)
    for name in a.counts():
        assert getattr(a, name) == getattr(b, name)
    assert a.counts()["work_orders"] > 100
    assert a.work_orders != c.work_orders and a.calls != c.calls


def test_a_year_has_a_few_storms_mostly_in_summer_each_far_busier_than_calm():
    days = [date(2025, 11, 22) + timedelta(days=k) for k in range(365)]
    plan = plan_storms(days, 95598)
    assert 4 <= len(plan.days) <= 6
    assert plan_storms(days, 95598) == plan and plan_storms(days, 1) != plan
    storm_day = sorted(plan.days)[0]
    calm_day = storm_day - timedelta(days=7)  # the same weekday a week before, calm unless also a storm
    assert calm_day not in plan.days
    storm, calm = _day(3, storm_day, plan), _day(3, calm_day, plan)
    assert len(storm.work_orders) > 3 * len(calm.work_orders)
    assert len(storm.outages) > 3 * len(calm.outages)
    late = lambda b: sum(o["arrived_at"] > o["arrival_due"] for o in b.work_orders) / len(b.work_orders)  # noqa
    assert late(storm) > 2 * late(calm)


def test_the_recorded_storm_day_is_a_storm_too():
    days = [date(2026, 1, 1) + timedelta(days=k) for k in range(60)]
    assert date(2026, 2, 3) in plan_storms(days, 5, count=0, also=(date(2026, 2, 3),)).days


def test_the_rows_do_not_depend_on_crews_being_there_but_for_the_crew():
    with_crews = _day(4)
    net = _net()
    bare = Network(net.grids, {}, {}, np.array([], dtype=object))
    block = Block()
    generate_day(block, date(2026, 7, 14), seed=4, tz="Asia/Shanghai", net=bare, storms=plan_storms([], 4),
                 scale=0.2, limits=TimeLimits(), tickets=TicketRules(), now=NOW.timestamp())
    strip = lambda rows: [{k: v for k, v in r.items() if k != "crew_id"} for r in rows]  # noqa: E731
    assert strip(block.work_orders) == strip(with_crews.work_orders) and block.calls == with_crews.calls
    assert {o["crew_id"] for o in block.work_orders} == {None}
    assert {o["crew_id"] for o in with_crews.work_orders} == {"C1", "C2"}


def test_no_repair_is_written_after_the_moment_the_history_is_made():
    import numpy as np

    from dashboard.config import Config
    from dashboard.history.rates import Storm
    from dashboard.history.timeline import repair_times
    now = 1_800_000_000.0
    reported = np.full(2000, now - 600.0)  # reported ten minutes before: most repairs would finish after now
    area = np.array(["urban"] * 2000)
    got = repair_times(np.random.default_rng(1), reported, area, Storm(), Config().time_limits(), now)
    for key in ("dispatched", "arrived", "restored", "closed"):
        assert got[key].max() <= now, key
    assert (got["arrived"] >= got["dispatched"]).all() and (got["restored"] >= got["arrived"]).all()
    assert (got["restore_due"] > got["arrived"]).all()
