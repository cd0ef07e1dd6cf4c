"""Notice tests: a grid with people in it, the outbox's rows, and the app's own worker kept still (tests drive
their worker's passes themselves, with the clock they choose)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app import runtime_of
from dashboard.models import Notification
from dashboard.schemas import GridContactsIn
from dashboard.services.audit import SYSTEM
from dashboard.services.grid_contacts import replace_contacts

LON, LAT = 116.4075, 39.9040  # make_fault's point, in Dongcheng


@pytest.fixture
def runtime(app):
    rt = runtime_of(app)
    rt.notifier.stop()
    return rt


def set_contacts(services, grid: str, liaisons: int = 1, email: str | None = None) -> None:
    body = GridContactsIn.model_validate({
        "manager": {"name": "王建国", "phone": "13800000001"} | ({"email": email} if email else {}),
        "liaisons": [{"name": f"联络员{n}", "phone": f"1390000000{n}", "village": f"{n}号村"}
                     for n in range(liaisons)]})
    with services.db.write() as session:
        replace_contacts(session, grid, body, services.clock(), SYSTEM)


def notices(services, **where) -> list[Notification]:
    with services.db.read() as session:
        stmt = select(Notification).order_by(Notification.id)
        for name, value in where.items():
            stmt = stmt.where(getattr(Notification, name) == value)
        return list(session.scalars(stmt))
