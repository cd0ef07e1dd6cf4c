"""The executive page's figures: today so far against the same hours a week ago, any period's roll-up, and today
beside the last major event days (how this storm compares with the last)."""
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


def today_vs_last_week(session: Session, now: datetime, rule: ServiceLevelRule, district: str | None = None, *,
                       sustained_min: float) -> dict:
    """Today so far, the same hours of the same weekday last week (the tiles' trend arrows) and that whole day (the
    hourly curves' comparison), each as `period_kpis` answers it."""
    day = local_day_start(now, rule.timezone)
    local_day = now.astimezone(ZoneInfo(rule.timezone)).date() - WEEK
    week_ago, week_ago_end = _midnight(local_day, rule.timezone), _midnight(local_day + timedelta(days=1), rule.timezone)
    ask = lambda start, end: period_kpis(session, start, end, district=district, rule=rule, now=now,  # noqa: E731
                                         sustained_min=sustained_min)
    return {"today": ask(day, now), "baseline": ask(week_ago, min(week_ago + (now - day), week_ago_end)),
            "last_week_day": ask(week_ago, week_ago_end)}


def period_start(period: str, now: datetime, tz: str) -> datetime:
    """The start of one of PERIOD_DAYS: local midnight that many days back, today counted (unknown: today)."""
    today = now.astimezone(ZoneInfo(tz)).date()
    return _midnight(today - timedelta(days=PERIOD_DAYS.get(period, 1) - 1), tz)


def period_figures(session: Session, period: str, now: datetime, rule: ServiceLevelRule,
                   district: str | None = None, *, sustained_min: float) -> dict:
    """`period_kpis` from the period's first local midnight up to now."""
    return period_kpis(session, period_start(period, now, rule.timezone), now, district=district, rule=rule, now=now,
                       sustained_min=sustained_min)


STORMS_SHOWN = 4  # the latest major event days set beside today


def storm_days(session: Session, med_days: list[date], now: datetime, rule: ServiceLevelRule,
               district: str | None = None, *, sustained_min: float) -> list[dict]:
    """Today so far, then the latest major event days (newest first), each a local day's headline figures as
    `period_kpis` answers them: orders, calls, arrival, customers interrupted."""
    tz = rule.timezone
    today = now.astimezone(ZoneInfo(tz)).date()
    days = [today] + sorted((d for d in set(med_days) if d < today), reverse=True)[:STORMS_SHOWN]
    rows = []
    for day in days:
        end = min(_midnight(day + timedelta(days=1), tz), now)
        got = period_kpis(session, _midnight(day, tz), end, district=district, rule=rule, now=now,
                          sustained_min=sustained_min)
        orders, outages, calls = got["orders"], got["outages"], got["calls"]
        rows.append({"date": day.isoformat(), "today": day == today, "received": orders["received"],
                     "calls_offered": calls["offered"], "service_level": calls["service_level"],
                     "on_time_arrival_rate": orders["on_time_arrival_rate"],
                     "avg_arrival_min": orders["avg_arrival_min"], "outages": outages["outages"],
                     "customer_interruptions": outages["customer_interruptions"]})
    return rows
