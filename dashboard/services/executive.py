"""The executive page's figures: today so far against the same hours a week ago, and any period's roll-up."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from dashboard.services.callcenter import ServiceLevelRule
from dashboard.services.period_kpis import period_kpis
from dashboard.timeutil import local_day_start

WEEK = timedelta(days=7)
# The periods the page offers for its ranking and map: local days back from today (today included).
PERIOD_DAYS = {"today": 1, "7d": 7, "30d": 30, "365d": 365}


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time.min, ZoneInfo(tz))


def today_vs_last_week(session: Session, now: datetime, rule: ServiceLevelRule, district: str | None = None) -> dict:
    """Today so far, the same hours of the same weekday last week (the tiles' trend arrows) and that whole day (the
    hourly curves' comparison), each as `period_kpis` answers it."""
    day = local_day_start(now, rule.timezone)
    local_day = now.astimezone(ZoneInfo(rule.timezone)).date() - WEEK
    week_ago, week_ago_end = _midnight(local_day, rule.timezone), _midnight(local_day + timedelta(days=1), rule.timezone)
    ask = lambda start, end: period_kpis(session, start, end, district=district, rule=rule, now=now)  # noqa: E731
    return {"today": ask(day, now), "baseline": ask(week_ago, min(week_ago + (now - day), week_ago_end)),
            "last_week_day": ask(week_ago, week_ago_end)}


def period_start(period: str, now: datetime, tz: str) -> datetime:
    """The start of one of PERIOD_DAYS: local midnight that many days back, today counted (unknown: today)."""
    today = now.astimezone(ZoneInfo(tz)).date()
    return _midnight(today - timedelta(days=PERIOD_DAYS.get(period, 1) - 1), tz)


def period_figures(session: Session, period: str, now: datetime, rule: ServiceLevelRule,
                   district: str | None = None) -> dict:
    """`period_kpis` from the period's first local midnight up to now."""
    return period_kpis(session, period_start(period, now, rule.timezone), now, district=district, rule=rule, now=now)
