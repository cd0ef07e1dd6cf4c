"""The outbox hook: notices derived from the changes being committed, written in the same transaction (nothing is
lost, nothing is written for a change rolled back), one row per notice and channel, never two of one notice."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dashboard.events import Change
from dashboard.models import Device, GridRow, Notification
from dashboard.notify.rules import (Draft, NoticeRule, Told, escalation_draft, order_wanted, outage_drafts,
                                    outage_wanted, ticket_escalation_draft, ticket_wanted)
from dashboard.services.grid_contacts import recipients_of


class Outbox:
    """A change hook (Database.add_change_hook): queues the notices the committed changes call for on every
    configured channel, and wakes the worker once they are committed."""

    def __init__(self, channels: Sequence[str], rule: NoticeRule | None = None,
                 wake: Callable[[], None] | None = None) -> None:
        self.channels, self.rule, self.wake = tuple(channels), rule or NoticeRule(), wake

    def __call__(self, session: Session, changes: Sequence[Change], at: datetime) -> Callable[[], None] | None:
        drafts = derive(session, changes, self.rule, at)
        if not drafts:
            return None
        queue(session, drafts, self.channels, at)
        return self.wake


def derive(session: Session, changes: Sequence[Change], rule: NoticeRule, now: datetime) -> list[Draft]:
    """The notices the changes call for and the outbox does not hold yet. Cheap when none can (most commits)."""
    outages = {c.data["id"]: c.data for c in changes if c.kind == "outage" and outage_wanted(c.data)}
    orders = {c.data["id"]: c.data for c in changes if c.kind == "workorder" and order_wanted(c.data)}
    tickets = {c.data["id"]: c.data for c in changes if c.kind == "ticket" and ticket_wanted(c.data)}
    if not outages and not orders and not tickets:
        return []
    grids = ({g for v in outages.values() for g in v["grid_ids"]} | {v["grid_id"] for v in orders.values()}
             | {v["grid_id"] for v in tickets.values()})
    people = recipients_of(session, grids)
    if not people:
        return []  # no grid here has anyone to tell
    managers = {g: [r for r in rs if r.role == "manager"] for g, rs in people.items()}
    outages = {k: v for k, v in outages.items() if any(g in people for g in v["grid_ids"])}
    orders = {k: v for k, v in orders.items() if managers.get(v["grid_id"])}
    tickets = {k: v for k, v in tickets.items() if managers.get(v["grid_id"])}
    if not outages and not orders and not tickets:
        return []
    told = _told(session, {"outage": list(outages), "workorder": list(orders), "ticket": list(tickets)})
    subjects = (outages, orders, tickets)
    if not _drafts(subjects, told, people, managers, {}, {}, rule, now):
        return []  # the usual case under a storm: the grids already know; the names are not worth reading
    names = dict(session.execute(select(GridRow.id, GridRow.name).where(GridRow.id.in_(sorted(people)))).all())
    devices = [v["device_id"] for v in outages.values() if v.get("device_id")]
    device_names = dict(session.execute(select(Device.id, Device.name).where(Device.id.in_(devices))).all()) \
        if devices else {}
    return _drafts(subjects, told, people, managers, names, device_names, rule, now)


def _drafts(subjects: tuple[dict, dict, dict], told: Told, people, managers, names: dict, device_names: dict,
            rule: NoticeRule, now: datetime) -> list[Draft]:
    outages, orders, tickets = subjects
    drafts: dict[str, Draft] = {}
    for view in outages.values():
        for d in outage_drafts(view, told, people, names, device_names.get(view.get("device_id")), rule, now):
            drafts[d.notice_id] = d
    for view in orders.values():
        d = escalation_draft(view, told, managers, names, rule, now)
        if d is not None:
            drafts[d.notice_id] = d
    for view in tickets.values():
        d = ticket_escalation_draft(view, told, managers, names, rule, now)
        if d is not None:
            drafts[d.notice_id] = d
    return list(drafts.values())


def _told(session: Session, ids_by_subject: dict[str, list[int]]) -> Told:
    told = Told()
    for subject, ids in ids_by_subject.items():
        if not ids:
            continue
        rows = session.execute(select(Notification.notice_id, Notification.event, Notification.subject_id,
                                      Notification.grid_id, Notification.data)
                               .where(Notification.subject == subject, Notification.subject_id.in_(ids))
                               .order_by(Notification.id)).all()
        seen: set[str] = set()
        for r in rows:
            told.ids.add(r.notice_id)
            if r.event in ("outage_opened", "outage_etr") and r.notice_id not in seen:  # once per notice, not channel
                key = (r.subject_id, r.grid_id)
                told.last_etr[key] = (r.data or {}).get("etr")
                if r.event == "outage_etr":
                    told.etr_notices[key] = told.etr_notices.get(key, 0) + 1
            seen.add(r.notice_id)
    return told


def queue(session: Session, drafts: Sequence[Draft], channels: Sequence[str], at: datetime) -> None:
    """One pending row per notice and channel; a row that exists already (another process queued the same notice
    a moment before) is left as it is."""
    rows = [{"notice_id": d.notice_id, "channel": channel, "event": d.event, "subject": d.subject,
             "subject_id": d.subject_id, "grid_id": d.grid_id,
             "recipients": [_recipient(r) for r in d.recipients], "text": d.text, "data": d.data,
             "status": "pending", "attempts": 0, "queued_at": at, "next_at": at}
            for d in drafts for channel in channels]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(Notification).on_conflict_do_nothing(index_elements=["notice_id", "channel"]),
                    rows)


def _recipient(r) -> dict:
    return {"role": r.role, "name": r.name, "phone": r.phone, "email": r.email, "village": r.village}
