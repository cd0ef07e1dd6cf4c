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

    def fake(session, start, end, *, district, rule, now):
        calls.append((start.astimezone(timezone.utc), end.astimezone(timezone.utc), district, now))
        return {"from": start, "to": end}
    monkeypatch.setattr(executive, "period_kpis", fake)
    return calls


def test_today_against_the_same_hours_last_week(asked):
    got = executive.today_vs_last_week(None, NOW, RULE, "东城区")
    midnight = utc(2026, 11, 22, 16)  # 00:00 on the 23rd in Beijing
    week_ago = utc(2026, 11, 15, 16)  # 00:00 on Monday the 16th
    assert asked == [(midnight, NOW, "东城区", NOW), (week_ago, utc(2026, 11, 16, 3, 30), "东城区", NOW),
                     (week_ago, utc(2026, 11, 16, 16), "东城区", NOW)]
    assert set(got) == {"today", "baseline", "last_week_day"}


@pytest.mark.parametrize("period, start", [("today", utc(2026, 11, 22, 16)), ("7d", utc(2026, 11, 16, 16)),
                                           ("30d", utc(2026, 10, 24, 16)), ("365d", utc(2025, 11, 23, 16)),
                                           ("no such period", utc(2026, 11, 22, 16))])
def test_the_ranking_periods_start_at_a_local_midnight(asked, period, start):
    executive.period_figures(None, period, NOW, RULE)
    assert asked == [(start, NOW, None, NOW)]
