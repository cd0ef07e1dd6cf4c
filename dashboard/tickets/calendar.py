"""Working days (工作日): weekends off, holidays off, make-up working days (调休) on, and time counted on them only."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

MAX_DAYS_WALKED = 3660  # a limit further than ten years of calendar days away is a broken calendar, not a limit


@dataclass(frozen=True)
class WorkCalendar:
    """Which calendar days are working days, in the center's time zone. A working day counts whole (00:00–24:00):
    the limits of the service rules are counted in days, not office hours."""
    timezone: str = "Asia/Shanghai"
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
    holidays: frozenset[date] = field(default_factory=frozenset)  # days off, whatever weekday they fall on
    workdays: frozenset[date] = field(default_factory=frozenset)  # make-up working days (调休), even on a weekend

    @classmethod
    def of(cls, *, timezone: str = "Asia/Shanghai", holidays: Iterable[date] = (),
           workdays: Iterable[date] = ()) -> "WorkCalendar":
        return cls(timezone=timezone, holidays=frozenset(holidays), workdays=frozenset(workdays))

    def is_working(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day not in self.holidays and day.weekday() not in self.weekend

    def add_working_time(self, start: datetime, span: timedelta) -> datetime:
        """`start` plus `span` of working-day time. Time on days off does not count: a ticket received on a
        day off starts counting at 00:00 of the next working day; one received on a working day at 15:00 with
        4 working days runs to 15:00 of the fourth working day after."""
        zone = ZoneInfo(self.timezone)
        at = start.astimezone(timezone.utc)
        remaining = span
        for _ in range(MAX_DAYS_WALKED):
            day = at.astimezone(zone).date()
            day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(timezone.utc)
            if self.is_working(day):
                if remaining <= day_end - at:
                    return at + remaining
                remaining -= day_end - at
            at = day_end
        raise ValueError(f"no end to {span} of working time from {start}: check the holiday calendar")
