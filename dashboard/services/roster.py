"""The duty roster (值班): shifts replaced a date range at a time (REST or CSV), and who is on duty at an instant."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dashboard.models import DutyShift
from dashboard.schemas import MAX_SHIFTS, RosterIn, ShiftIn
from dashboard.services.audit import Actor, record
from dashboard.timeutil import iso

ROLES = ("duty_chief", "dispatcher", "seat", "crew")
CSV_COLUMNS = ("day", "shift", "start", "end", "role", "person", "team", "phone")


class RosterFileError(ValueError):
    """A roster CSV that cannot be taken, naming the row and the field."""

    @property
    def problems(self) -> list[str]:  # the CLI prints file errors as a list of problems
        return [str(self)]


def replace_roster(session: Session, body: RosterIn, now: datetime, by: Actor) -> dict:
    """The days body.from_..body.to get exactly body.shifts (validated whole before: nothing half-stored). The caller commits."""
    removed = session.execute(delete(DutyShift).where(DutyShift.day >= body.from_, DutyShift.day <= body.to)).rowcount
    session.add_all(DutyShift(**s.model_dump()) for s in body.shifts)
    record(session, by, "roster_replaced", "roster", f"{body.from_}..{body.to}", now,
           {"shifts": len(body.shifts), "removed": int(removed or 0)})
    return {"from": body.from_.isoformat(), "to": body.to.isoformat(), "shifts": len(body.shifts),
            "removed": int(removed or 0)}


def shift_view(s: DutyShift, phones: bool = True) -> dict:
    return {"day": s.day.isoformat(), "shift": s.shift, "start": iso(s.start), "end": iso(s.end), "role": s.role,
            "person": s.person, "team": s.team, "phone": s.phone if phones else None}


def on_duty(session: Session, at: datetime, phones: bool = True) -> dict:
    """Who is on duty at `at`: the shifts running then, by role, and how many of each (without `phones`, the
    staff's phone numbers are left out: a wall's viewer has no need of them)."""
    shifts = session.scalars(select(DutyShift).where(DutyShift.start <= at, DutyShift.end > at)
                             .order_by(DutyShift.role, DutyShift.start, DutyShift.person)).all()
    by_role = {r: [shift_view(s, phones) for s in shifts if s.role == r] for r in ROLES}
    return {"at": iso(at), **by_role, "counts": {r: len(v) for r, v in by_role.items()}}


def duty_figures(session: Session, at: datetime) -> dict:
    """The KPIs' part from the roster: the wall header's line (the duty chief's name, how many dispatchers, seats
    and crews are on duty) and the seats rostered now (to hold against the agents logged in)."""
    rows = session.execute(select(DutyShift.role, DutyShift.person).where(
        DutyShift.start <= at, DutyShift.end > at).order_by(DutyShift.start, DutyShift.id)).all()
    chiefs = [p for r, p in rows if r == "duty_chief"]
    counts = {r: sum(1 for role, _ in rows if role == r) for r in ("dispatcher", "seat", "crew")}
    return {"on_duty": {"duty_chief": chiefs[0] if chiefs else None, "dispatchers": counts["dispatcher"],
                        "seats": counts["seat"], "crews": counts["crew"]},
            "seats_rostered_now": counts["seat"]}


def list_shifts(session: Session, start: date, end: date) -> list[dict]:
    return [shift_view(s) for s in session.scalars(select(DutyShift).where(DutyShift.day >= start, DutyShift.day <= end)
                                                  .order_by(DutyShift.day, DutyShift.start, DutyShift.role))]


def read_roster_csv(path: str | Path) -> RosterIn:
    """A roster CSV file (see parse_roster_csv)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterFileError(f"{path}: {exc}") from None
    return parse_roster_csv(text, str(path))


def parse_roster_csv(text: str, source: str = "roster") -> RosterIn:
    """Roster CSV text (columns CSV_COLUMNS, a header row; team and phone may be empty) as one RosterIn covering
    its first to last day; RosterFileError naming the row (the header is row 1) and field of the first problem."""
    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        missing = [c for c in CSV_COLUMNS[:6] if c not in (reader.fieldnames or [])]
        if missing:
            raise RosterFileError(f"{source}: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    except csv.Error as exc:
        raise RosterFileError(f"{source}: {exc}") from None
    if len(rows) > MAX_SHIFTS:
        raise RosterFileError(f"{source}: more than {MAX_SHIFTS} shifts")
    shifts = []
    for n, row in enumerate(rows, start=2):
        data = {k: v.strip() for k in CSV_COLUMNS if isinstance(v := row.get(k), str) and v.strip()}
        try:
            shifts.append(ShiftIn.model_validate(data))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "row"
            raise RosterFileError(f"{source}: row {n}, {field}: {err['msg']}") from None
    if not shifts:
        raise RosterFileError(f"{source}: no shifts")
    days = [s.day for s in shifts]
    try:
        return RosterIn.model_validate({"from": min(days), "to": max(days), "shifts": shifts})
    except ValidationError as exc:
        raise RosterFileError(f"{source}: {exc.errors()[0]['msg']}") from None
