"""The call-center roll-up: figures through it equal the straight computation from the tables (random calls over a
local midnight, both thresholds, a queue filter), it survives a rebuild, takes in late data, splits a seat's state
at an hour boundary, and the hourly/daily series adds up."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select

from dashboard.models import CallHour, SeatHour
from dashboard.services import call_rollup, rollups
from dashboard.services.call_figures import call_center_figures, call_series, straight_figures
from dashboard.services.call_rollup import Params, covered
from dashboard.services.callcenter import record_call_events, record_seat_events
from dashboard.services.rollups import RebuildScope
from tests.conftest import now_utc

QUEUES = ("repair", "enquiry", "complaint")


def _midnight_days_ago(tz: str, days: int) -> datetime:
    """Local midnight `days` days ago (in UTC): the test's history lies wholly in closed hours."""
    local = now_utc().astimezone(ZoneInfo(tz)) - timedelta(days=days)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def _calls(services, items, now=None):
    with services.db.write() as s:
        got = record_call_events(s, services.bus, items, now or now_utc(), services.rule)
    assert got["stored"] == len(items), got


def _seats(services, items, now):
    with services.db.write() as s:
        got = record_seat_events(s, services.bus, items, now)
    assert got["stored"] == len(items), got


def _call(cid, queue, event, at):
    return {"call_id": cid, "queue": queue, "event": event, "at": at.isoformat()}


def _seat(seat, group, state, at):
    return {"seat_id": seat, "group": group, "state": state, "at": at.isoformat()}


def _random_history(services, rng: random.Random, midnight: datetime) -> None:
    """~240 calls over 30 hours around a local midnight (whole and fractional seconds, some waits right on 20 s
    and abandons right on 5 s), and three seats per queue changing state, each change logged a little late."""
    t0 = midnight - timedelta(hours=15)
    items = []
    for i in range(240):
        q = rng.choice(QUEUES)
        offered = t0 + timedelta(seconds=rng.randrange(0, 30 * 3600) + rng.choice((0, 0, 0.25, 0.5)))
        items.append(_call(f"r{i}", q, "offered", offered))
        fate = rng.random()
        if fate < 0.7:
            wait = rng.choice((3, 15, 20, 20, 21, 45, 90, rng.uniform(0, 60)))
            answered = offered + timedelta(seconds=wait)
            items.append(_call(f"r{i}", q, "answered", answered))
            if rng.random() < 0.9:
                items.append(_call(f"r{i}", q, "ended", answered + timedelta(seconds=rng.randrange(30, 1500))))
        elif fate < 0.95:
            items.append(_call(f"r{i}", q, "abandoned", offered + timedelta(seconds=rng.choice((2, 5, 5, 30, 70)))))
    _calls(services, items)
    changes = []
    for q in QUEUES:
        for k in range(3):
            at = t0 - timedelta(minutes=rng.randrange(1, 120))
            while at < t0 + timedelta(hours=30):
                changes.append((at, f"{q}-{k}", q, rng.choice(("available", "talking", "wrap_up", "not_ready",
                                                                "available", "talking", "ringing"))))
                at += timedelta(seconds=rng.randrange(60, 5400))
    changes.sort()
    for at, seat, group, state in changes:  # each logged when it happened, up to a minute late
        _seats(services, [_seat(seat, group, state, at)], at + timedelta(seconds=rng.randrange(0, 60)))


def _periods(midnight: datetime) -> list[tuple[datetime, datetime]]:
    return [(midnight - timedelta(hours=15), midnight + timedelta(hours=15)),       # all of it
            (midnight - timedelta(hours=3, minutes=17, seconds=5), midnight + timedelta(hours=2, minutes=41)),
            (midnight, midnight + timedelta(days=1)),                                # a local day
            (midnight - timedelta(minutes=20), midnight + timedelta(minutes=50)),   # no whole hour inside
            (midnight + timedelta(hours=4), midnight + timedelta(hours=7))]


def _same(got: dict, want: dict) -> None:
    """Equal figures; averages may differ in the last bit of a float sum taken in another order."""
    for a, b in zip([got["overall"], *got["queues"]], [want["overall"], *want["queues"]]):
        assert a.keys() == b.keys()
        for k in a:
            assert a[k] == pytest.approx(b[k], abs=0.1 if k.endswith("_s") else 1e-4), k
    assert [q["id"] for q in got["queues"]] == [q["id"] for q in want["queues"]]


def test_figures_through_the_roll_up_equal_the_straight_computation(services):
    rule = services.rule
    midnight = _midnight_days_ago(rule.timezone, 3)
    _random_history(services, random.Random(12), midnight)
    with services.db.read() as s:
        state = call_rollup.read_state(s)
        assert s.scalar(select(func.count()).select_from(CallHour)) > 0
        assert s.scalar(select(func.count()).select_from(SeatHour)) > 0
        for start, end in _periods(midnight):
            for target_s, short_s in ((rule.target_s, rule.short_abandon_s), (30.0, 3.0)):
                for queues in (None, ["repair"], ["enquiry", "complaint", "nobody"]):
                    kw = dict(target_s=target_s, short_abandon_s=short_s, queues=queues)
                    got = call_center_figures(s, start, end, **kw)
                    _same(got, straight_figures(s, start, end, **kw))
        # The configured thresholds are read from the roll-up over whole hours; others from the tables.
        start, end = _periods(midnight)[0]
        assert covered(state, Params(rule.target_s, rule.short_abandon_s, rule.timezone), start, end) is not None
        assert covered(state, Params(30.0, 3.0, rule.timezone), start, end) is None
        whole = call_center_figures(s, start, end, target_s=rule.target_s, short_abandon_s=rule.short_abandon_s)
    assert whole["overall"]["offered"] > 200 and whole["overall"]["occupancy"] is not None


def test_the_roll_up_is_read_and_a_rebuild_restores_it(services, tmp_path):
    rule = services.rule
    midnight = _midnight_days_ago(rule.timezone, 3)
    _random_history(services, random.Random(7), midnight)
    start, end = midnight, midnight + timedelta(days=1)
    kw = dict(target_s=rule.target_s, short_abandon_s=rule.short_abandon_s)
    with services.db.read() as s:
        before = call_center_figures(s, start, end, **kw)
    with services.db.write() as s:
        s.execute(delete(CallHour))
        s.execute(delete(SeatHour).where(SeatHour.hour < midnight + timedelta(hours=12)))
        s.commit()
    with services.db.read() as s:
        emptied = call_center_figures(s, start, end, **kw)
    assert emptied["overall"]["offered"] == 0  # the day's whole hours come from the roll-up alone
    with services.db.write() as s:
        written = rollups.rebuild(s, RebuildScope(None, None, rule.timezone, now_utc()), ["call_hourly"])
        s.commit()
    assert written["call_hourly"] > 0
    with services.db.read() as s:
        assert call_center_figures(s, start, end, **kw) == before
    # A rebuild of some days only rewrites those days, to the same numbers.
    with services.db.write() as s:
        s.execute(delete(CallHour))
        s.commit()
        local_day = midnight.astimezone(ZoneInfo(rule.timezone)).date()
        rollups.rebuild(s, RebuildScope(local_day, local_day, rule.timezone, now_utc()), ["call_hourly"])
        s.commit()
    with services.db.read() as s:
        assert call_center_figures(s, start, end, **kw) == before


def test_late_data_for_a_closed_hour_is_counted(services):
    rule = services.rule
    hour = _midnight_days_ago(rule.timezone, 2) + timedelta(hours=10)
    kw = dict(target_s=rule.target_s, short_abandon_s=rule.short_abandon_s)
    _calls(services, [_call("a", "repair", "offered", hour + timedelta(minutes=10)),
                      _call("a", "repair", "answered", hour + timedelta(minutes=10, seconds=8))])
    with services.db.read() as s:
        first = call_center_figures(s, hour, hour + timedelta(hours=3), **kw)["overall"]
    assert (first["offered"], first["answered"], first["answered_in_target"], first["handled"]) == (1, 1, 1, 0)
    # Days later the switch sends the end of that call and a call offered in the same hour it had held back.
    _calls(services, [_call("a", "repair", "ended", hour + timedelta(minutes=14, seconds=8)),
                      _call("b", "repair", "offered", hour + timedelta(minutes=59, seconds=50)),
                      _call("b", "repair", "answered", hour + timedelta(hours=1, seconds=20))])
    with services.db.read() as s:
        later = call_center_figures(s, hour, hour + timedelta(hours=3), **kw)["overall"]
        assert later == straight_figures(s, hour, hour + timedelta(hours=3), **kw)["overall"]
    assert (later["offered"], later["answered"], later["answered_in_target"], later["handled"]) == (2, 2, 1, 1)
    assert later["talk_s"] == 240.0 and later["asa_s"] == 19.0  # (8 + 30) / 2


def test_occupancy_across_an_hour_boundary(services):
    rule = services.rule
    ten = _midnight_days_ago(rule.timezone, 2) + timedelta(hours=10)
    at = lambda m: ten + timedelta(minutes=m)  # noqa: E731
    # One repair seat: available 10:00, talking 10:50–11:10, wrap-up to 11:15, available, logged out 11:30.
    for m, state in ((0, "available"), (50, "talking"), (70, "wrap_up"), (75, "available"), (90, "logged_out")):
        _seats(services, [_seat("S1", "repair", state, at(m))], at(m) + timedelta(seconds=5))
    _calls(services, [_call("c", "repair", "offered", at(49.9)), _call("c", "repair", "answered", at(50)),
                      _call("c", "repair", "ended", at(70))])
    kw = dict(target_s=rule.target_s, short_abandon_s=rule.short_abandon_s)
    with services.db.read() as s:
        hours = {h: (grp, sec) for h, grp, sec in s.execute(
            select(SeatHour.hour, SeatHour.grp, SeatHour.talking_s).where(
                SeatHour.hour >= ten, SeatHour.hour < ten + timedelta(hours=2)))}
        both = call_center_figures(s, ten, ten + timedelta(hours=2), **kw)["overall"]
        first = call_center_figures(s, ten, ten + timedelta(hours=1), **kw)["overall"]
        second = call_center_figures(s, ten + timedelta(hours=1), ten + timedelta(hours=2), **kw)["overall"]
    # The 20 talking minutes split 10 + 10 over the two hours.
    assert hours == {ten: ("repair", 600.0), ten + timedelta(hours=1): ("repair", 600.0)}
    # 10:00–12:00: staffed 90 min, busy 25 (talk 20 + wrap-up 5); 10:00–11:00: busy 10 of 60; 11:00–: 15 of 30.
    assert (both["occupancy"], first["occupancy"], second["occupancy"]) == (round(25 / 90, 4), round(10 / 60, 4), 0.5)
    assert both["logged_in_s"] == 5400.0 and both["aht_s"] == 1500.0  # (1200 talk + 300 wrap-up) / 1 call


def test_hours_close_as_time_passes_and_a_new_threshold_rebuilds(services):
    rule = services.rule
    with services.db.read() as s:
        through = call_rollup.read_state(s).through
    later = through + timedelta(hours=5)
    _calls(services, [_call("x", "repair", "offered", through + timedelta(minutes=3))], now=later)
    with services.db.read() as s:
        state = call_rollup.read_state(s)
        assert state.through == call_rollup.close_target(later, rule.timezone) > through
        assert s.scalar(select(CallHour.offered).where(CallHour.hour == through)) == 1
    with services.db.write() as s:
        assert call_rollup.ensure(s, rule, later) == 0  # the same thresholds: nothing to do
        stricter = type(rule)(target_s=15.0, short_abandon_s=rule.short_abandon_s, timezone=rule.timezone)
        assert call_rollup.ensure(s, stricter, later) > 0
        s.commit()
        assert call_rollup.read_state(s).params.target_s == 15.0


def test_series_by_hour_and_day_adds_up(services):
    rule = services.rule
    midnight = _midnight_days_ago(rule.timezone, 3)
    _random_history(services, random.Random(3), midnight)
    start, end = midnight - timedelta(hours=6, minutes=30), midnight + timedelta(hours=5, minutes=10)
    kw = dict(target_s=rule.target_s, short_abandon_s=rule.short_abandon_s)
    with services.db.read() as s:
        by_hour = call_series(s, start, end, "hour", timezone=rule.timezone, **kw)
        by_day = call_series(s, start, end, "day", timezone=rule.timezone, **kw)
        assert len(by_hour) == 13 and len(by_day) == 2
        edges = [datetime.fromisoformat(p["at"].replace("Z", "+00:00")) for p in by_hour] + [end]
        for p, a, b in zip(by_hour, edges, edges[1:]):
            want = straight_figures(s, a, b, **kw)["overall"]
            assert (p["offered"], p["answered"], p["abandoned"], p["service_level"], p["answer_rate"]) == (
                want["offered"], want["answered"], want["abandoned"], want["service_level"], want["answer_rate"])
        for p, a, b in zip(by_day, (start, midnight), (midnight, end)):
            want = straight_figures(s, a, b, **kw)["overall"]
            assert p["at"] == a.isoformat().replace("+00:00", "Z") or p["at"] == a.isoformat()
            assert (p["offered"], p["service_level"]) == (want["offered"], want["service_level"])
        with pytest.raises(ValueError):
            call_series(s, start, end, "week", timezone=rule.timezone, **kw)


def test_the_demo_storms_seat_changes_are_rolled_up_at_start(services):
    from dashboard.replay.recording import load_demo_storm, recordings
    rule = services.rule
    assert load_demo_storm(services.db, now_utc())  # straight into the event log, past every hook
    with services.db.write() as s:
        assert call_rollup.ensure(s, rule, now_utc(), force=True) > 0  # what create_app does after loading it
    with services.db.read() as s:
        storm = recordings(s)[0]
        start, end = (datetime.fromisoformat(storm[k].replace("Z", "+00:00")) for k in ("from", "to"))
        kw = dict(target_s=rule.target_s, short_abandon_s=rule.short_abandon_s)
        got = call_center_figures(s, start, end, **kw)
        assert covered(call_rollup.read_state(s), Params(rule.target_s, rule.short_abandon_s, rule.timezone),
                       start, end) is not None
        _same(got, straight_figures(s, start, end, **kw))
    assert got["overall"]["logged_in_s"] > 0


def test_a_commit_that_closes_nothing_reads_no_roll_up_state(services):
    import threading

    from sqlalchemy import event
    reads, writer = [], threading.current_thread()

    def count(conn, cursor, statement, *args):  # this thread's commits only (the KPI ticker reads figures too)
        if threading.current_thread() is writer and "FROM meta" in statement and "call_hourly" in str(args[0]):
            reads.append(statement)
    _calls(services, [_call("w", "repair", "offered", now_utc())])  # the hook knows the state from here on
    event.listen(services.db.engine, "before_cursor_execute", count)
    try:
        for n in range(5):
            _calls(services, [_call(f"x{n}", "repair", "offered", now_utc())])
    finally:
        event.remove(services.db.engine, "before_cursor_execute", count)
    assert reads == []  # five commits in the hour under way: the roll-up's state is not read again
    late = _midnight_days_ago(services.rule.timezone, 2) + timedelta(hours=10)
    _calls(services, [_call("late", "repair", "offered", late)])  # late data still rewrites its closed hour
    with services.db.read() as s:
        kw = dict(target_s=services.rule.target_s, short_abandon_s=services.rule.short_abandon_s)
        assert call_center_figures(s, late, late + timedelta(hours=1), **kw)["overall"]["offered"] == 1
