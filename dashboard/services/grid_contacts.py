"""Grid responsibility (网格化): each grid's manager (网格经理) and liaisons (电力联络员), replaced whole per grid."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from dashboard.errors import NotFound
from dashboard.models import GridContact, GridRow
from dashboard.notify.port import Recipient
from dashboard.schemas import GridContactsIn
from dashboard.services.audit import Actor, record
from dashboard.timeutil import iso


def _known(session: Session, grid_id: str) -> None:
    if session.get(GridRow, grid_id) is None:
        raise NotFound(f"grid {grid_id!r} not found")


def replace_contacts(session: Session, grid_id: str, body: GridContactsIn, now: datetime, by: Actor) -> dict:
    """The grid's people are the ones given, no others (an unknown grid is 404). The caller commits."""
    _known(session, grid_id)
    session.execute(delete(GridContact).where(GridContact.grid_id == grid_id))
    people = [("manager", body.manager, None)] + [("liaison", p, p.village) for p in body.liaisons]
    session.execute(insert(GridContact), [
        {"grid_id": grid_id, "role": role, "position": n, "name": p.name, "phone": p.phone, "village": village,
         "email": p.email, "updated_at": now} for n, (role, p, village) in enumerate(people)])
    record(session, by, "contacts_replaced", "grid", grid_id, now, {"liaisons": len(body.liaisons)})
    return contacts_view(session, grid_id)


def _person(row: GridContact) -> dict[str, Any]:
    view = {"name": row.name, "phone": row.phone, "email": row.email}
    return view | {"village": row.village} if row.role == "liaison" else view


def contacts_view(session: Session, grid_id: str) -> dict:
    """{grid_id, manager (null when none is set), liaisons, updated_at}; an unknown grid is 404."""
    _known(session, grid_id)
    rows = session.scalars(select(GridContact).where(GridContact.grid_id == grid_id)
                           .order_by(GridContact.position)).all()
    manager = next((r for r in rows if r.role == "manager"), None)
    return {"grid_id": grid_id, "manager": _person(manager) if manager else None,
            "liaisons": [_person(r) for r in rows if r.role == "liaison"],
            "updated_at": iso(max((r.updated_at for r in rows), default=None))}


def grids_overview(session: Session) -> list[dict[str, Any]]:
    """Every grid with its manager's name (None: nobody is told of its outages) and how many liaisons it has, by
    district and id: what an admin checks before a typhoon."""
    managers = dict(session.execute(select(GridContact.grid_id, GridContact.name)
                                    .where(GridContact.role == "manager")).all())
    liaisons = dict(session.execute(select(GridContact.grid_id, func.count()).where(GridContact.role == "liaison")
                                    .group_by(GridContact.grid_id)).all())
    grids = session.execute(select(GridRow.id, GridRow.name, GridRow.district)
                            .order_by(GridRow.district, GridRow.id)).all()
    return [{"grid_id": gid, "name": name, "district": district, "manager": managers.get(gid),
             "liaisons": liaisons.get(gid, 0)} for gid, name, district in grids]


def recipients_of(session: Session, grid_ids: Iterable[str]) -> dict[str, list[Recipient]]:
    """Each grid's people, manager first, for the notices."""
    ids = sorted(set(grid_ids))
    out: dict[str, list[Recipient]] = {}
    for i in range(0, len(ids), 500):
        for r in session.scalars(select(GridContact).where(GridContact.grid_id.in_(ids[i:i + 500]))
                                 .order_by(GridContact.grid_id, GridContact.position)):
            out.setdefault(r.grid_id, []).append(Recipient(r.role, r.name, r.phone, r.email, r.village))
    return out
