"""The monthly assessment (考核) sheet: one sheet per team — each crew team, the dispatchers, each seat group —
with the month's workload figures."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from dashboard.reports.cells import Section
from dashboard.reports.daily import (AGENT_COLUMNS, CREW_COLUMNS, DISPATCHER_COLUMNS, agent_rows, crew_rows,
                                     dispatcher_rows)
from dashboard.services.workload import compute_workload


def month_bounds(month: date, tz: str) -> tuple[datetime, datetime]:
    """The center's calendar month holding `month` as [start, end) in UTC."""
    zone = ZoneInfo(tz)
    first = month.replace(day=1)
    nxt = first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)
    return datetime.combine(first, time(), zone), datetime.combine(nxt, time(), zone)


def assessment_sections(work: dict) -> list[Section]:
    """Crews by team, then the dispatchers, then agents by seat group; an empty month still has the dispatchers'
    sheet (a book needs one)."""
    sections = []
    for team in sorted({c["team"] or "-" for c in work["crews"]}):
        crews = [c for c in work["crews"] if (c["team"] or "-") == team]
        sections.append(Section(f"抢修 {team}", CREW_COLUMNS, crew_rows(crews)))
    sections.append(Section("调度 dispatchers", DISPATCHER_COLUMNS, dispatcher_rows(work["dispatchers"])))
    for group in sorted({a["group"] or "-" for a in work["agents"]}):
        agents = [a for a in work["agents"] if (a["group"] or "-") == group]
        sections.append(Section(f"座席 {group}", AGENT_COLUMNS, agent_rows(agents)))
    return sections


def build_assessment(session: Session, start: datetime, end: datetime) -> list[Section]:
    return assessment_sections(compute_workload(session, start, end))
