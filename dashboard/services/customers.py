"""The customer register: which transformer feeds each customer, who needs care, whose account is disconnected."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import Customer, Device
from dashboard.schemas import CustomerIn
from dashboard.services.batch import rejected, summarize, validate_items
from dashboard.services.topology import touch_customers


def register_customers(session: Session, items: list, now: datetime) -> dict:
    """Create or update each customer; one on a transformer not in the network is rejected, naming it."""
    valid, results = validate_items(items, CustomerIn)
    wanted = sorted({c.transformer_id for _, c in valid})
    transformers: set[str] = set()
    for i in range(0, len(wanted), 500):
        transformers.update(session.scalars(select(Device.id).where(Device.id.in_(wanted[i:i + 500]),
                                                                    Device.kind == "transformer")))
    stored = 0
    for index, item in valid:
        if item.transformer_id not in transformers:
            results.append(rejected(index, "not_found", f"transformer {item.transformer_id!r} is not in the network"))
            continue
        row = session.get(Customer, item.customer_id) or Customer(id=item.customer_id)
        row.transformer_id, row.name, row.phone, row.address = item.transformer_id, item.name, item.phone, item.address
        row.care, row.account_status, row.updated_at = item.care, item.account_status, now
        session.add(row)
        results.append({"index": index, "status": "stored"})
        stored += 1
    if stored:
        touch_customers(session, uuid.uuid4().hex[:12])
    session.commit()
    return summarize(results)
