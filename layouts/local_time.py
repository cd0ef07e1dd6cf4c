"""Times as people at the center read them: in the center's time zone, not the UTC the API speaks."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def hm(value: str | None, tz: str) -> str:
    """An ISO time as HH:MM in the center's time zone; "–" when there is none."""
    if not value:
        return "–"
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).strftime("%H:%M")
