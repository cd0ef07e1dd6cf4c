"""The audit log: who did what, one append-only row per change, in the same transaction as the change."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dashboard.models import AuditEntry
from dashboard.timeutil import iso

FIELDS = ("at", "actor", "role", "action", "object", "object_id", "details")


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a person (name, role), a named token, or the system itself."""
    name: str
    role: str

    @classmethod
    def of(cls, principal) -> "Actor":
        return cls(principal.name, str(principal.role))


SYSTEM = Actor("system", "system")


def record(session: Session, by: Actor, action: str, obj: str, object_id: object, at: datetime,
           details: dict[str, Any] | None = None) -> None:
    session.execute(insert(AuditEntry).values(at=at, actor=by.name[:64], role=by.role[:16], action=action, object=obj,
                                              object_id=None if object_id is None else str(object_id)[:64],
                                              details=details))


def record_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Rows of {at, actor, role, action, object, object_id, details}, in one INSERT (the escalation sweep)."""
    if rows:
        session.execute(insert(AuditEntry), rows)


def entry_view(row: AuditEntry) -> dict[str, Any]:
    return {"at": iso(row.at), "actor": row.actor, "role": row.role, "action": row.action, "object": row.object,
            "object_id": row.object_id, "details": row.details}


def list_entries(session: Session, *, start: datetime | None = None, end: datetime | None = None,
                 actor: str | None = None, action: str | None = None, limit: int = 200,
                 after_id: int | None = None, newest_first: bool = False,
                 before_id: int | None = None) -> tuple[list[dict[str, Any]], int | None]:
    """Entries oldest first from `start` (or after the cursor `after_id`) to `end` — or, `newest_first`, from `end`
    back (before the cursor `before_id`); returns them and the cursor of the next page, or None when this was the
    last."""
    order = AuditEntry.id.desc() if newest_first else AuditEntry.id
    stmt = select(AuditEntry).order_by(order).limit(limit + 1)
    if start is not None:
        stmt = stmt.where(AuditEntry.at >= start)
    if end is not None:
        stmt = stmt.where(AuditEntry.at < end)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if after_id is not None:
        stmt = stmt.where(AuditEntry.id > after_id)
    if before_id is not None:
        stmt = stmt.where(AuditEntry.id < before_id)
    rows = session.scalars(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return [entry_view(r) for r in rows], (rows[-1].id if more else None)


def as_csv(entries: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    for entry in entries:
        row = entry | {"details": "" if entry["details"] is None else _flat(entry["details"])}
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: object) -> object:
    # A name typed into a failed sign-in ends up here: a spreadsheet must not run it as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _flat(details: dict[str, Any]) -> str:
    return "; ".join(f"{k}={v}" for k, v in sorted(details.items()))
