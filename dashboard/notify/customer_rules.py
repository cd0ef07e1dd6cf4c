"""What an outage's customers are told, when, and how often (pure): callers and the customers below the device
hear "we know, crew on the way, ETR", a material ETR move and "power is back"; the customers below a planned
outage's devices hear of it when it is announced. At most `per_outage` messages per customer and outage, the
last slot kept for "power is back"; recipients go in batches (an SMS gateway takes a list), one notice each."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dashboard.notify import customer_texts
from dashboard.notify.port import Recipient
from dashboard.notify.rules import Draft, _etr_moved

# Callers of an outage only predicted by 研判 are told at once (they know they are out; the call is in hand);
# the register below the device waits for confirmation: a prediction may yet move to another device.
CALLERS_FROM = ("predicted", "confirmed")
REGISTER_FROM = ("confirmed",)
PLANNED_TOLD = ("scheduled", "active")
EVENTS = {"opened": "customer_outage", "etr": "customer_etr", "restored": "customer_restored",
          "planned": "customer_planned"}


@dataclass(frozen=True)
class CustomerRule:
    batch: int = 100  # recipients per notice (one POST to the SMS gateway)
    per_outage: int = 3  # messages per customer and outage, "power is back" included
    etr_change: timedelta = timedelta(minutes=30)
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Reached:
    """A customer who may be told: from the register below the device, or a caller of the outage."""
    phone: str | None  # as given; only a mobile can take an SMS
    name: str | None = None
    customer_id: str | None = None


@dataclass
class CustomersTold:
    """What one outage's customers were told (the outage and those merged into it): per phone the messages so far
    and whether "power is back" was one; the batches queued per key; the last ETR told; phones told by the
    outages it covers (they hear from those)."""
    counts: dict[str, int] = field(default_factory=dict)
    restored: set[str] = field(default_factory=set)
    batches: dict[str, int] = field(default_factory=dict)
    last_etr: str | None = None
    etr_notices: int = 0
    elsewhere: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Told:
    """One row of the customer_notices table to write with the notice it went in."""
    phone: str
    customer_id: str | None
    key: str
    notice_id: str
    etr: str | None


def mobile(phone: str | None) -> str | None:
    """The phone's digits when it is a Chinese mobile (spaces, hyphens, +86 allowed); None otherwise."""
    if not phone:
        return None
    digits = re.sub(r"[\s\-()]", "", phone)
    digits = digits[3:] if digits.startswith("+86") else digits
    return digits if re.fullmatch(r"1[3-9][0-9]{9}", digits) else None


def customer_wanted(view: dict | None) -> bool:
    """Cheap first filter on a pushed outage: could its customers need a message?"""
    if not view:
        return False
    if view.get("kind") == "planned":
        return bool(view.get("device_ids")) and view.get("status") in PLANNED_TOLD
    return view.get("status") in (*CALLERS_FROM, "restored")


def reaches_register(view: dict) -> bool:
    if view.get("kind") == "planned":
        return view.get("status") in PLANNED_TOLD
    return view.get("status") in REGISTER_FROM and bool(view.get("device_id"))


@dataclass
class Plan:
    drafts: list[Draft]
    told: list[Told]
    skipped_no_mobile: int = 0


def plan(view: dict, reached: Iterable[Reached], told: CustomersTold, rule: CustomerRule, now: datetime) -> Plan:
    """The notices one outage's change calls for, and the rows of who is told what."""
    out = Plan([], [])
    tz = rule.timezone
    if view.get("kind") == "planned":
        fresh, out.skipped_no_mobile = _fresh(reached, told, "planned")
        _batches(out, view, "planned", fresh, customer_texts.planned(view, tz), told, rule)
        return out
    if view["status"] == "restored":
        if "restored" not in told.batches:
            back = [(Recipient("customer", "", p), None) for p in sorted(told.counts) if p not in told.restored]
            _batches(out, view, "restored", back, customer_texts.power_back(view, now, tz), told, rule)
        return out
    if told.counts and _etr_moved(told.last_etr, view.get("etr"), rule.etr_change):
        # The last slot is kept for "power is back": a customer already at per_outage - 1 hears no more ETRs.
        again = [(Recipient("customer", "", p), None) for p, n in sorted(told.counts.items())
                 if n < rule.per_outage - 1 and p not in told.restored]
        key = f"etr:{told.etr_notices + 1}"
        _batches(out, view, key, again, customer_texts.etr_moved(view, told.last_etr, now, tz), told, rule)
    fresh, out.skipped_no_mobile = _fresh(reached, told, "opened")
    _batches(out, view, "opened", fresh, customer_texts.outage_known(view, now, tz), told, rule)
    return out


Person = tuple[Recipient, str | None]  # and the customer id, for the told rows (never sent)


def _fresh(reached: Iterable[Reached], told: CustomersTold, key: str) -> tuple[list[Person], int]:
    """Customers not told yet, once per mobile; and how many had no mobile to send to."""
    seen: dict[str, Person] = {}
    skipped = 0
    for r in reached:
        phone = mobile(r.phone)
        if phone is None:
            skipped += 1
            continue
        if phone in seen or phone in told.counts or phone in told.elsewhere:
            continue
        seen[phone] = (Recipient("customer", r.name or "", phone), r.customer_id)
    return [seen[p] for p in sorted(seen)], skipped


def _batches(out: Plan, view: dict, key: str, people: Sequence[Person], text: str, told: CustomersTold,
             rule: CustomerRule) -> None:
    if not people:
        return
    first = told.batches.get(key, 0)
    size = max(1, rule.batch)
    chunks = [people[i:i + size] for i in range(0, len(people), size)]
    base = key.split(":")[0]
    for n, chunk in enumerate(chunks, start=first + 1):
        notice_id = f"outage:{view['id']}:customers:{key}:{n}"
        data: dict[str, Any] = {"outage_id": view["id"], "audience": "customers", "key": key, "batch": n,
                                "recipients": len(chunk), "etr": view.get("etr"), "start": view.get("start"),
                                "end": view.get("end"), "kind": view.get("kind"), "skipped_no_mobile":
                                out.skipped_no_mobile if key in ("opened", "planned") else 0}
        out.drafts.append(Draft(notice_id, EVENTS[base], "outage", view["id"], None, tuple(r for r, _ in chunk),
                                text, data))
        out.told.extend(Told(r.phone, customer, key, notice_id, view.get("etr")) for r, customer in chunk)
