"""Clock helpers: aware UTC now, ISO formatting, the start of the center's local day."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not timezone.utc:  # stored values already are; skip the conversion for a snapshot's 70,000
        value = value.astimezone(timezone.utc)
    return value.isoformat().replace("+00:00", "Z")


def local_day_start(now: datetime, tz: str) -> datetime:
    """Midnight of `now`'s day in the center's time zone, as an aware UTC datetime."""
    local = now.astimezone(ZoneInfo(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)
