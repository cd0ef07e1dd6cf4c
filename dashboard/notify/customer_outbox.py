"""The customers' outbox hook: the messages an outage's change calls for (dashboard/notify/customer_rules.py), queued
in the change's own transaction on the customer channels (the SMS gateway), with who was told what."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dashboard.events import Change
from dashboard.models import CustomerNotice, Outage
from dashboard.notify.customer_rules import CustomerRule, CustomersTold, Reached, customer_wanted, plan, reaches_register
from dashboard.notify.outbox import queue
from dashboard.services.outage_customers import callers, devices_of, register_below
from dashboard.services.topology import NetworkHolder
from dashboard.timeutil import iso

log = logging.getLogger(__name__)
CHUNK = 500
REMEMBERED = 20_000  # register reads this process need not repeat (outage, devices, network version)


class CustomerOutbox:
    """A change hook (Database.add_change_hook), beside the grid people's Outbox: same table, same worker."""

    def __init__(self, channels: Sequence[str], rule: CustomerRule, network: NetworkHolder,
                 wake: Callable[[], None] | None = None) -> None:
        self.channels, self.rule, self.network, self.wake = tuple(channels), rule, network, wake
        # Customers below a device are read once per outage and device: calls that follow (a storm's every
        # commit) read only the outage's callers. Marked after the commit; a miss only costs a read.
        self.read_below: dict[tuple, None] = {}

    def __call__(self, session: Session, changes: Sequence[Change], at: datetime) -> Callable[[], None] | None:
        views = {c.data["id"]: c.data for c in changes if c.kind == "outage" and customer_wanted(c.data)}
        if not views or not self.channels:
            return None
        done: list[tuple] = []
        told_rows: list[dict] = []
        drafts = []
        if session.get_bind().dialect.name == "postgresql":  # two processes telling one outage take turns
            session.execute(select(Outage.id).where(Outage.id.in_(sorted(views))).with_for_update())
        calls = callers(session, [i for i, v in views.items() if v.get("kind") != "planned"])
        network = None
        for outage_id, view in views.items():
            reached: list[Reached] = list(calls.get(outage_id, []))
            if reaches_register(view):
                network = network or self.network.current(session)
                key = (outage_id, tuple(devices_of(view)), network.version)
                if key not in self.read_below:
                    reached += register_below(session, network, devices_of(view))
                    done.append(key)
            if not reached and view.get("status") not in ("restored",) and not view.get("etr"):
                continue
            told = told_of(session, outage_id)
            planned = plan(view, reached, told, self.rule, at)
            drafts += planned.drafts
            told_rows += [{"outage_id": outage_id, "phone": t.phone, "customer_id": t.customer_id, "key": t.key,
                           "notice_id": t.notice_id, "etr": _time(t.etr), "at": at} for t in planned.told]
            if planned.drafts:
                # Counts only: phone numbers and names stay out of the log.
                log.info("outage %s: %d customers told (%s) in %d notices, %d without a mobile skipped", outage_id,
                         len(planned.told), ", ".join(sorted({d.data["key"] for d in planned.drafts})),
                         len(planned.drafts), planned.skipped_no_mobile)
        if drafts:
            queue(session, drafts, self.channels, at)
            insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
            for i in range(0, len(told_rows), CHUNK):
                session.execute(insert(CustomerNotice).on_conflict_do_nothing(
                    index_elements=["outage_id", "phone", "key"]), told_rows[i:i + CHUNK])
        if not drafts and not done:
            return None

        def after() -> None:
            if len(self.read_below) > REMEMBERED:
                self.read_below.clear()
            self.read_below.update(dict.fromkeys(done))
            if drafts and self.wake:
                self.wake()
        return after


def _time(value: str | None):
    return datetime.fromisoformat(value) if value else None


def told_of(session: Session, outage_id: int) -> CustomersTold:
    """What this outage's customers were told: its own rows and those of outages merged into it; phones told by
    outages it covers are theirs to tell."""
    family = [outage_id, *session.scalars(select(Outage.id).where(Outage.merged_into == outage_id))]
    told = CustomersTold()
    first_opened: tuple[int, datetime | None] | None = None
    last_etr: tuple[int, datetime | None] | None = None
    for r in session.execute(select(CustomerNotice.key, CustomerNotice.notice_id, func.max(CustomerNotice.etr),
                                    func.min(CustomerNotice.id))
                             .where(CustomerNotice.outage_id.in_(family))
                             .group_by(CustomerNotice.key, CustomerNotice.notice_id)):
        key, _, etr, first = r
        told.batches[key] = told.batches.get(key, 0) + 1
        if key == "opened" and (first_opened is None or first < first_opened[0]):
            first_opened = (first, etr)
        if key.startswith("etr:"):
            told.etr_notices = max(told.etr_notices, int(key.split(":")[1]))
            if last_etr is None or first > last_etr[0]:
                last_etr = (first, etr)
    chosen = last_etr or first_opened
    told.last_etr = iso(chosen[1]) if chosen and chosen[1] else None
    told.elsewhere = set(session.scalars(select(CustomerNotice.phone).join(
        Outage, Outage.id == CustomerNotice.outage_id).where(Outage.covered_by == outage_id)))
    if not told.batches:
        return told
    told.counts = dict(session.execute(select(CustomerNotice.phone, func.count())
                                       .where(CustomerNotice.outage_id.in_(family))
                                       .group_by(CustomerNotice.phone)).all())
    told.restored = set(session.scalars(select(CustomerNotice.phone).where(
        CustomerNotice.outage_id.in_(family), CustomerNotice.key == "restored")))
    return told
