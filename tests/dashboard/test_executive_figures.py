"""The executive page's periods: today so far against the same hours of the same weekday last week (the tiles'
arrows) and that whole day (the curves); the ranking's periods start at a local midnight, today counted."""
from datetime import datetime, timezone

import pytest

from dashboard.services import executive
from dashboard.services.callcenter import ServiceLevelRule

RULE = ServiceLevelRule(timezone="Asia/Shanghai")
NOW = datetime(2026, 11, 23, 3, 30, tzinfo=timezone.utc)  # 11:30 on Monday 23 November in Beijing


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def asked(monkeypatch):
    calls = []

    def fake(session, start, end, *, district, rule, now, sustained_min):
        calls.append((start.astimezone(timezone.utc), end.astimezone(timezone.utc), district, now))
        return {"from": start, "to": end}
    monkeypatch.setattr(executive, "period_kpis", fake)
    return calls


def test_today_against_the_same_hours_last_week(asked):
    got = executive.today_vs_last_week(None, NOW, RULE, "东城区", sustained_min=5.0)
    midnight = utc(2026, 11, 22, 16)  # 00:00 on the 23rd in Beijing
    week_ago = utc(2026, 11, 15, 16)  # 00:00 on Monday the 16th
    assert asked == [(midnight, NOW, "东城区", NOW), (week_ago, utc(2026, 11, 16, 3, 30), "东城区", NOW),
                     (week_ago, utc(2026, 11, 16, 16), "东城区", NOW)]
    assert set(got) == {"today", "baseline", "last_week_day"}


@pytest.mark.parametrize("period, start", [("today", utc(2026, 11, 22, 16)), ("7d", utc(2026, 11, 16, 16)),
                                           ("30d", utc(2026, 10, 24, 16)), ("365d", utc(2025, 11, 23, 16)),
                                           ("no such period", utc(2026, 11, 22, 16))])
def test_the_ranking_periods_start_at_a_local_midnight(asked, period, start):
    executive.period_figures(None, period, NOW, RULE, sustained_min=5.0)
    assert asked == [(start, NOW, None, NOW)]


def test_today_is_set_beside_the_latest_major_event_days_newest_first(monkeypatch):
    from datetime import date
    asked = []

    def fake(session, start, end, *, district, rule, now, sustained_min):
        asked.append((start.astimezone(timezone.utc), end.astimezone(timezone.utc)))
        return {"orders": {"received": len(asked), "on_time_arrival_rate": 0.9, "avg_arrival_min": 30.0},
                "outages": {"outages": 2, "customer_interruptions": 150.0},
                "calls": {"offered": 10 * len(asked), "service_level": 0.8}}
    monkeypatch.setattr(executive, "period_kpis", fake)
    meds = [date(2026, 3, d) for d in (1, 2, 3)] + [date(2026, 7, 9), date(2026, 8, 1), date(2026, 11, 23)]
    rows = executive.storm_days(None, meds, NOW, RULE, sustained_min=5.0)
    # Today so far, then four storms newest first (today's own date is not a storm to compare with; 1 March drops).
    assert [(r["date"], r["today"]) for r in rows] == [("2026-11-23", True), ("2026-08-01", False),
                                                        ("2026-07-09", False), ("2026-03-03", False),
                                                        ("2026-03-02", False)]
    assert asked[0] == (utc(2026, 11, 22, 16), NOW)  # today: midnight to now
    assert asked[1] == (utc(2026, 7, 31, 16), utc(2026, 8, 1, 16))  # a whole local day
    assert rows[1] == {"date": "2026-08-01", "today": False, "received": 2, "calls_offered": 20,
                       "service_level": 0.8, "on_time_arrival_rate": 0.9, "avg_arrival_min": 30.0,
                       "outages": 2, "customer_interruptions": 150.0}
