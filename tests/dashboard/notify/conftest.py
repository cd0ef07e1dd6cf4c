"""Notice tests: a grid with people in it, the outbox's rows, and the app's own worker kept still (tests drive
their worker's passes themselves, with the clock they choose)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import runtime_of
from dashboard.models import Notification
from dashboard.schemas import GridContactsIn
from dashboard.services.audit import SYSTEM
from dashboard.services.grid_contacts import replace_contacts
from tests.conftest import auth, now_utc

ING, VIEW = auth("ingest"), auth("viewer")

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


# Customers (a toy network with a register below it) -------------------------------------------------------------

def customer_network(grid: str, customers: int = 100) -> list[dict]:
    """S → F1 → SW1 → {T1, T2}; F1 → SW2 → T3."""
    devices = [{"id": "S", "kind": "station", "parent_id": None}, {"id": "F1", "kind": "feeder", "parent_id": "S"},
               {"id": "SW1", "kind": "switch", "parent_id": "F1", "lon": LON, "lat": LAT},
               {"id": "SW2", "kind": "switch", "parent_id": "F1"}]
    for i, parent in ((1, "SW1"), (2, "SW1"), (3, "SW2")):
        devices.append({"id": f"T{i}", "kind": "transformer", "parent_id": parent, "grid_id": grid,
                        "lon": LON + 0.001 * i, "lat": LAT, "customers": customers})
    return devices


def phone_of(transformer: str, k: int) -> str:
    return f"139{int(transformer[1:]):02d}{k:06d}"


def register(client, transformer: str, n: int, start: int = 0, phone=True, care_every: int = 0) -> None:
    items = [{"customer_id": f"C{transformer}-{k}", "transformer_id": transformer, "name": f"客户{k}",
              "phone": phone_of(transformer, k) if phone else None,
              "care": "vulnerable" if care_every and k % care_every == 0 else None} for k in range(start, start + n)]
    answer = client.post("/api/v1/customers", json={"items": items}, headers=ING)
    assert answer.status_code == 200 and answer.json["stored"] == n, answer.json


@pytest.fixture
def loaded(client, grid, runtime):
    assert client.put("/api/v1/topology", json={"devices": customer_network(grid)}, headers=ING).status_code == 200
    return grid


def open_sw1(client, minutes_ago: float = 2):
    at = (now_utc() - timedelta(minutes=minutes_ago)).isoformat()
    answer = client.post("/api/v1/devices/events", json={"items": [{"device_id": "SW1", "state": "open", "at": at}]},
                         headers=ING)
    assert answer.json["stored"] == 1
    (outage,) = [o for o in client.get("/api/v1/outages", headers=VIEW).json["items"] if o["device_id"] == "SW1"]
    return outage


