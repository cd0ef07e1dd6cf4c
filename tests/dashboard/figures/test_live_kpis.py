"""The live KPIs' pure core on hand-made changes: each share counted once, time-only turns, boundaries. The
expected numbers are counted by hand from the definitions in docs/figures.md ("Live KPIs")."""
from datetime import datetime, timedelta, timezone

from dashboard.events import Change
from dashboard.figures.live_kpis import UPCOMING, LiveKpis
from dashboard.services.outages import UPCOMING as WALL_UPCOMING
from dashboard.timeutil import iso

DAY = datetime(2026, 3, 9, 16, 0, tzinfo=timezone.utc)  # midnight in Beijing, 10 March
NOW = DAY + timedelta(hours=10)


def order(oid: int, version: int = 1, status: str = "received", reported: datetime = NOW - timedelta(hours=1),
          due: datetime | None = None, arrived: datetime | None = None, restored: datetime | None = None,
          **extra) -> Change:
    data = {"id": oid, "version": version, "status": status, "reported_at": iso(reported),
            "arrival_due": iso(due or reported + timedelta(minutes=45)), "arrived_at": iso(arrived),
            "restored_at": iso(restored), "sensitive": False, "needs_screening": False} | extra
    return Change("workorder", "upsert", str(oid), data)


def outage(oid: int, status: str = "confirmed", kind: str = "unplanned", start: datetime = NOW, customers: int = 100,
           **extra) -> Change:
    data = {"id": oid, "kind": kind, "status": status, "start": iso(start), "customers_affected": customers,
            "care_customers": 0, "covered_by": None, "notice_ok": None} | extra
    op = "upsert" if status in ("predicted", "confirmed", "active", "scheduled") else "remove"
    return Change("outage", op, str(oid), data)


def test_a_repeated_upsert_counts_once_and_an_older_version_is_ignored():
    live = LiveKpis(DAY)
    arrived = NOW - timedelta(minutes=20)
    live.apply([order(1), order(1)])
    assert live.figures(NOW)["received_today"] == 1 and live.figures(NOW)["open"] == 1
    live.apply([order(1, version=3, status="on_site", arrived=arrived), order(1, version=2, status="dispatched")])
    f = live.figures(NOW)
    assert (f["open"], f["arrived_today"], f["avg_arrival_min"]) == (1, 1, 40.0)


def test_an_order_turns_overdue_with_time_alone_and_stops_on_arrival():
    live = LiveKpis(DAY)
    due = NOW + timedelta(minutes=5)
    live.apply([order(1, due=due), order(2, due=due + timedelta(hours=1))])
    assert live.figures(due)["overdue"] == 0  # arrival_due < now: not yet at the instant itself
    assert live.figures(due + timedelta(microseconds=1))["overdue"] == 1
    assert live.figures(due + timedelta(hours=2))["overdue"] == 2
    live.apply([order(1, version=2, status="on_site", due=due, arrived=due + timedelta(minutes=1))])
    assert live.figures(due + timedelta(hours=2))["overdue"] == 1


def test_on_time_includes_an_arrival_at_the_limit_and_the_mean_is_exact():
    live = LiveKpis(DAY)
    reported = NOW - timedelta(hours=2)
    due = reported + timedelta(minutes=45)
    live.apply([order(1, status="on_site", reported=reported, due=due, arrived=due),  # 45 min, on time
                order(2, status="on_site", reported=reported, due=due, arrived=due + timedelta(seconds=1)),  # late
                order(3, status="on_site", reported=reported, due=due, arrived=reported + timedelta(seconds=3))])
    f = live.figures(NOW)
    # (2700 + 2701 + 3) s / 3 = 1801.333 s = 30.02 min; on time 2 of 3.
    assert (f["arrived_today"], f["on_time_arrival_rate"], f["avg_arrival_min"]) == (3, 0.6667, 30.0)


def test_yesterdays_work_counts_only_where_it_reaches_today():
    live = LiveKpis(DAY)
    yesterday = DAY - timedelta(hours=3)
    live.apply([order(1, status="restored", reported=yesterday, arrived=yesterday + timedelta(minutes=30),
                      restored=DAY + timedelta(minutes=10)),
                order(2, status="closed", reported=yesterday, arrived=yesterday, restored=yesterday),
                order(3, status="merged"), order(4, status="received", sensitive=True, needs_screening=True)])
    f = live.figures(NOW)
    assert (f["received_today"], f["open"], f["arrived_today"], f["restored_today"]) == (1, 1, 0, 1)
    assert (f["sensitive_open"], f["screening"]) == (1, 1)
    assert live.held()["workorder"] == 2  # closed yesterday, merged: they add nothing today, so are not held


def test_ending_an_outage_frees_the_customers_it_covered():
    live = LiveKpis(DAY)
    live.apply([outage(1, customers=1000, care_customers=2), outage(2, customers=300, covered_by=1),
                outage(3, status="predicted", customers=50)])
    f = live.figures(NOW)
    assert (f["customers_out"], f["outage_customers_care"], f["outages_predicted"]) == (1050, 1, 1)
    live.apply([outage(1, status="restored", customers=1000)])
    assert live.figures(NOW)["customers_out"] == 350


def test_planned_outages_upcoming_and_their_notices():
    live = LiveKpis(DAY)
    live.apply([outage(1, "scheduled", "planned", start=NOW + UPCOMING, notice_ok=True),
                outage(2, "scheduled", "planned", start=NOW + UPCOMING + timedelta(seconds=1), notice_ok=False),
                outage(3, "restored", "planned", start=DAY + timedelta(hours=1), notice_ok=False),
                outage(4, "merged", "planned", start=DAY + timedelta(hours=1), notice_ok=False),
                outage(5, "scheduled", "planned", start=DAY - timedelta(hours=1), notice_ok=True)])
    f = live.figures(NOW)
    # Upcoming: start <= now + 24 h (1, 5). Planned from today on, merged aside: 1, 2, 3; late: 2, 3.
    assert f["outages_upcoming"] == 2
    assert (f["planned_outages"], f["planned_notice_late"], f["planned_notice_late_rate"]) == (3, 2, 0.6667)
    assert UPCOMING == WALL_UPCOMING


def test_crews_tickets_and_queues():
    live = LiveKpis(DAY, ticket_levels=2)
    live.apply([Change("crew", "upsert", "C1", {"status": "available"}),
                Change("crew", "upsert", "C2", {"status": "on_site"}),
                Change("crew", "upsert", "C1", {"status": "en_route"}),
                Change("ticket", "upsert", "1", {"version": 1, "level": 0}),
                Change("ticket", "upsert", "2", {"version": 1, "level": 7}),  # above the top: counts in the last
                Change("ticket", "upsert", "3", {"version": 1, "level": 1}),
                Change("ticket", "remove", "3", {"version": 2, "level": 1}),
                Change("queue", "upsert", "repair", {"waiting": 3, "answered_in_target_today": 8,
                                                     "answered_today": 10, "abandoned_today": 4,
                                                     "short_abandoned_today": 2}),
                Change("queue", "upsert", "repair", {"waiting": 1, "answered_in_target_today": 9,
                                                     "answered_today": 11, "abandoned_today": 4,
                                                     "short_abandoned_today": 2}),
                Change("queue", "upsert", "complaint", {"waiting": 2, "answered_in_target_today": 1,
                                                        "answered_today": 1, "abandoned_today": 0,
                                                        "short_abandoned_today": 0})])
    f = live.figures(NOW)
    assert (f["crews_available"], f["crews_busy"]) == (0, 2)
    assert (f["tickets_open"], f["tickets_by_level"]) == (2, [1, 0, 1])
    # Service level: answered in target over answered + abandoned − short abandons = 10 / (12 + 4 − 2).
    assert (f["calls_waiting"], f["service_level"]) == (3, round(10 / 14, 4))


def test_kpi_changes_and_unknown_kinds_are_ignored():
    live = LiveKpis(DAY)
    live.apply([Change("kpi", "upsert", "today", {"open": 99}), Change("seat", "upsert", "S1", {"state": "talking"})])
    assert live.figures(NOW)["open"] == 0 and live.held() == dict.fromkeys(live.held(), 0)
