"""Who an outage reaches by name: the customers in the register below its devices (a planned outage's
`device_ids`, an unplanned one's device), its callers, and its care customers to phone (personal data)."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import NotFound
from dashboard.models import Customer, FaultReport, Outage
from dashboard.network.tree import Network
from dashboard.notify.customer_rules import Reached

CHUNK = 500  # ids per IN (...) list


def devices_of(outage: Outage | dict) -> list[str]:
    """A planned outage's devices, or the device an unplanned one is at (none: an area only)."""
    get = outage.get if isinstance(outage, dict) else lambda k: getattr(outage, k)
    return list(get("device_ids") or ([get("device_id")] if get("device_id") else []))


def transformers_below(network: Network, devices: Sequence[str]) -> list[str]:
    return sorted({t for d in devices if d in network.devices for t in network.transformers_below(d)})


def _register(session: Session, transformers: Sequence[str], *columns, care_only: bool = False) -> Iterator:
    for i in range(0, len(transformers), CHUNK):
        stmt = select(*columns).where(Customer.transformer_id.in_(transformers[i:i + CHUNK]))
        if care_only:
            stmt = stmt.where(Customer.care.is_not(None))
        yield from session.execute(stmt.order_by(Customer.id))


def register_below(session: Session, network: Network, devices: Sequence[str]) -> list[Reached]:
    return [Reached(r.phone, r.name, r.id) for r in _register(
        session, transformers_below(network, devices), Customer.id, Customer.name, Customer.phone)]


def callers(session: Session, outage_ids: Sequence[int], skip_phones: Sequence[str] = ()) -> dict[int, list[Reached]]:
    """The calls linked to each outage that gave a phone (those already told, by stored digits, left out)."""
    stmt = select(FaultReport.outage_id, FaultReport.phone, FaultReport.customer_name, FaultReport.customer_id) \
        .where(FaultReport.outage_id.in_(list(outage_ids)), FaultReport.phone.is_not(None))
    out: dict[int, list[Reached]] = {}
    skip = set(skip_phones)
    for r in session.execute(stmt.order_by(FaultReport.id)):
        if r.phone not in skip:
            out.setdefault(r.outage_id, []).append(Reached(r.phone, r.customer_name, r.customer_id))
    return out


def care_customers(session: Session, network: Network, outage_id: int) -> dict:
    """The care customers below the outage's devices, to be phoned (a planned outage's, before it starts)."""
    outage = session.get(Outage, outage_id)
    if outage is None:
        raise NotFound(f"outage {outage_id} not found")
    devices = devices_of(outage)
    transformers = transformers_below(network, devices)
    items = [{"customer_id": r.id, "name": r.name, "phone": r.phone, "address": r.address, "care": r.care,
              "transformer_id": r.transformer_id}
             for r in _register(session, transformers, Customer.id, Customer.name, Customer.phone, Customer.address,
                                Customer.care, Customer.transformer_id, care_only=True)]
    return {"outage_id": outage.id, "kind": outage.kind, "device_ids": devices, "items": items}
