"""The period of GET /kpis?from=&to=: local dates (`to` inclusive) or times with an offset (half-open)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dashboard.api.routes import query_param, query_time
from dashboard.http import ApiError

MAX_PERIOD = timedelta(days=400)  # a year and a bit: the longest period the figures answer
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _bad(name: str, message: str) -> ApiError:
    return ApiError(422, "validation_failed", f"query parameter {name} {message}",
                    [{"field": name, "message": message}])


def _bound(name: str, tz: str, inclusive_day: bool) -> datetime | None:
    """A date (its local midnight; the next one for an inclusive `to`) or an aware time, as UTC; None if absent."""
    value = query_param(name, maximum=64)
    if value is None:
        return None
    if _DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise _bad(name, "must be a date YYYY-MM-DD or a time with an offset") from None
        if not 2000 <= day.year <= 2099:
            raise _bad(name, "must lie in the years 2000–2099")
        if inclusive_day:
            day += timedelta(days=1)
        return datetime.combine(day, datetime.min.time(), ZoneInfo(tz)).astimezone(timezone.utc)
    try:
        at = query_time(name)
    except ApiError:
        raise _bad(name, "must be a date YYYY-MM-DD or a time with an offset") from None
    if not 2000 <= at.year <= 2099:
        raise _bad(name, "must lie in the years 2000–2099")
    return at.astimezone(timezone.utc)


def period(tz: str, now: datetime) -> tuple[datetime, datetime]:
    """[from, to) of the request: `from` defaults to today's local midnight, `to` to now (a date `to` is its whole
    day). 422 naming the parameter when one is malformed, out of order, or the period is too long."""
    start = _bound("from", tz, False)
    end = _bound("to", tz, True)
    if start is None:
        start = datetime.combine(now.astimezone(ZoneInfo(tz)).date(), datetime.min.time(),
                                 ZoneInfo(tz)).astimezone(timezone.utc)
    if end is None:
        end = max(now, start + timedelta(hours=1))
    if start >= end:
        raise _bad("from", "must be before to")
    if end - start > MAX_PERIOD:
        raise _bad("to", f"lies more than {MAX_PERIOD.days} days after from")
    if start > now:
        raise _bad("from", "lies in the future")
    return start, end
