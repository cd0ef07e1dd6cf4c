"""Reads the holiday calendar file (GRIDCMD_HOLIDAYS_FILE): days off and make-up working days (调休), CSV or JSON."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from dashboard.tickets.calendar import WorkCalendar

KINDS = {"holiday": "holidays", "off": "holidays", "workday": "workdays", "work": "workdays"}


def parse_calendar(text: str, *, json_format: bool, timezone: str = "Asia/Shanghai") -> WorkCalendar:
    """CSV: a header `date,kind[,name]`, kind `holiday` or `workday`, one day a row, `#` lines ignored.
    JSON: {"holidays": ["2026-10-01", …], "workdays": ["2026-09-27", …]}. Raises ValueError naming the bad entry."""
    days: dict[str, set[date]] = {"holidays": set(), "workdays": set()}
    if json_format:
        data = json.loads(text)
        if not isinstance(data, dict) or set(data) - {"holidays", "workdays", "note"}:
            raise ValueError('expected {"holidays": [...], "workdays": [...]}')
        for key in ("holidays", "workdays"):
            for value in data.get(key) or []:
                days[key].add(_day(value, key))
    else:
        rows = csv.DictReader(line for line in io.StringIO(text) if line.strip() and not line.startswith("#"))
        if not rows.fieldnames or not {"date", "kind"} <= {f.strip() for f in rows.fieldnames}:
            raise ValueError("the CSV needs a header with date and kind")
        for n, row in enumerate(rows, start=2):
            kind = KINDS.get((row.get("kind") or "").strip().lower())
            if kind is None:
                raise ValueError(f"row {n}: kind must be holiday or workday, not {row.get('kind')!r}")
            days[kind].add(_day((row.get("date") or "").strip(), f"row {n}"))
    both = days["holidays"] & days["workdays"]
    if both:
        raise ValueError(f"{min(both)} is both a holiday and a working day")
    return WorkCalendar.of(timezone=timezone, holidays=days["holidays"], workdays=days["workdays"])


def load_calendar(path: str | None, timezone: str = "Asia/Shanghai") -> WorkCalendar:
    """The file's calendar; with no file, Saturday and Sunday off and no holidays."""
    if not path:
        return WorkCalendar(timezone=timezone)
    file = Path(path)
    return parse_calendar(file.read_text(encoding="utf-8-sig"), json_format=file.suffix.lower() == ".json",
                          timezone=timezone)


def _day(value: object, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a date like 2026-10-01") from None
