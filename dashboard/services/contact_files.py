"""Grid contact files for `gridcommand grids contacts FILE.csv`: columns grid_id, role (manager|liaison), name,
phone, village (and email, optional); each row is checked, and every grid in the file gets exactly its rows."""
from __future__ import annotations

import csv
from pathlib import Path

from pydantic import ValidationError

from dashboard.schemas import GridContactsIn

REQUIRED = ("grid_id", "role", "name", "phone")


class ContactFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


def _problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = str(first["loc"][-1]) if first["loc"] else "row"
    return f"{field}: {first['msg'].removeprefix('Value error, ')}"


def read_contact_file(path: str | Path, known_grids: set[str]) -> dict[str, GridContactsIn]:
    """Each grid's contacts from the file; ContactFileError names every bad row (nothing is imported then)."""
    path = Path(path)
    if not path.exists():
        raise ContactFileError([f"{path}: no such file"])
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            raise ContactFileError([f"{path}: missing column(s) {', '.join(missing)}"])
        rows = list(enumerate(reader, start=2))
    grids: dict[str, dict] = {}
    lines: dict[str, int] = {}
    problems: list[str] = []
    for line, row in rows:
        grid = (row.get("grid_id") or "").strip()
        role = (row.get("role") or "").strip().lower()
        if grid not in known_grids:
            problems.append(f"row {line}: grid_id {grid!r} is not a known grid")
            continue
        if role not in ("manager", "liaison"):
            problems.append(f"row {line}: role must be manager or liaison, not {role!r}")
            continue
        person = {k: (row.get(k) or "").strip() for k in ("name", "phone")}
        if (row.get("email") or "").strip():
            person["email"] = row["email"].strip()
        entry = grids.setdefault(grid, {"manager": None, "liaisons": []})
        lines.setdefault(grid, line)
        if role == "manager":
            if entry["manager"] is not None:
                problems.append(f"row {line}: grid {grid} has a second manager")
                continue
            entry["manager"] = person
        else:
            village = (row.get("village") or "").strip()
            entry["liaisons"].append(person | ({"village": village} if village else {}))
        try:  # checked one person at a time, so that the row at fault is named
            GridContactsIn.model_validate({"manager": person, "liaisons": []} if role == "manager" else
                                          {"manager": {"name": "x", "phone": "13800000000"},
                                           "liaisons": [entry["liaisons"][-1]]})
        except ValidationError as exc:
            problems.append(f"row {line}: {_problem(exc)}")
    contacts: dict[str, GridContactsIn] = {}
    for grid, entry in grids.items():
        if entry["manager"] is None:
            problems.append(f"grid {grid} (row {lines[grid]}): no manager")
            continue
        try:
            contacts[grid] = GridContactsIn.model_validate(entry)
        except ValidationError as exc:
            if not problems:
                problems.append(f"grid {grid}: {_problem(exc)}")
    if problems:
        raise ContactFileError(problems)
    return contacts
