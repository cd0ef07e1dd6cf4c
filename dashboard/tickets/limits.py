"""Ticket time limits by kind — contact the customer, then close — and the 催办 level of the one running now (pure)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from dashboard.tickets.calendar import WorkCalendar
from dashboard.tickets.kinds import TicketKind, TicketStatus
from dashboard.time_limits import Escalation, escalation_between


@dataclass(frozen=True)
class Span:
    """A length of time; with `working`, counted on working days only (see WorkCalendar.add_working_time)."""
    length: timedelta
    working: bool = False

    def after(self, start: datetime, calendar: WorkCalendar) -> datetime:
        return calendar.add_working_time(start, self.length) if self.working else start + self.length

    def __str__(self) -> str:
        days, rest = divmod(self.length, timedelta(days=1))
        if self.working:
            return f"{self.length / timedelta(days=1):g}wd"
        return f"{days}d" if not rest and days else f"{self.length / timedelta(hours=1):g}h"


_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|d|wd)\s*$")


def parse_span(text: str) -> Span:
    """`24h` (clock hours), `2d` (calendar days) or `4wd` (working days)."""
    m = _SPAN.match(text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a time limit like 24h, 2d or 4wd")
    n, unit = float(m.group(1)), m.group(2)
    return Span(timedelta(hours=n) if unit == "h" else timedelta(days=n), working=unit == "wd")


@dataclass(frozen=True)
class KindLimits:
    contact: Span  # reach the customer (联系客户) within this of receiving the ticket
    close: Span  # close it (办结) within this of receiving it


# A complaint: contact within 24 h, closed within 4 working days (the issue's rule). The other kinds' limits are
# this project's defaults, not an official schedule: set GRIDCMD_TICKET_LIMITS to the provincial company's.
DEFAULT_KIND_LIMITS: Mapping[TicketKind, KindLimits] = {
    TicketKind.complaint: KindLimits(Span(timedelta(hours=24)), Span(timedelta(days=4), working=True)),
    TicketKind.report: KindLimits(Span(timedelta(hours=24)), Span(timedelta(days=5), working=True)),
    TicketKind.consultation: KindLimits(Span(timedelta(hours=4)), Span(timedelta(days=1), working=True)),
    TicketKind.service: KindLimits(Span(timedelta(hours=24)), Span(timedelta(days=5), working=True)),
}


def parse_kind_limits(text: str) -> dict[TicketKind, KindLimits]:
    """`complaint=24h/4wd,consultation=4h/1wd`: the kinds named replace the defaults, the others keep them."""
    limits = dict(DEFAULT_KIND_LIMITS)
    for item in filter(None, (p.strip() for p in text.split(","))):
        name, _, spans = item.partition("=")
        contact, _, close = spans.partition("/")
        try:
            kind = TicketKind(name.strip())
        except ValueError:
            raise ValueError(f"{name.strip()!r} is not a ticket kind ({', '.join(TicketKind)})") from None
        limits[kind] = KindLimits(parse_span(contact), parse_span(close))
    return limits


class TimedTicket(Protocol):
    status: str
    received_at: datetime
    contact_due: datetime
    close_due: datetime


# Until the customer is reached the contact limit runs; then the close limit, both counted from reception.
_CONTACT_RUNS = frozenset({TicketStatus.received})
_CLOSE_RUNS = frozenset({TicketStatus.contacted})


@dataclass(frozen=True)
class TicketRules:
    """Everything that times a ticket: the limits by kind, the working-day calendar and the 催办 thresholds (the
    same fractions as the repair orders'), all configuration."""
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    limits: Mapping[TicketKind, KindLimits] = field(default_factory=lambda: dict(DEFAULT_KIND_LIMITS))
    thresholds: tuple[float, ...] = (0.5, 0.75, 0.9, 1.0)

    def dues(self, kind: str, received_at: datetime) -> tuple[datetime, datetime]:
        """(contact_due, close_due) of a ticket of `kind` received at `received_at`."""
        rule = self.limits[TicketKind(kind)]
        contact = rule.contact.after(received_at, self.calendar)
        return contact, max(contact, rule.close.after(received_at, self.calendar))

    def running(self, ticket: TimedTicket) -> tuple[datetime, datetime] | None:
        """(start, due) of the limit running now, or None (closed, cancelled)."""
        status = TicketStatus(ticket.status)
        if status in _CONTACT_RUNS:
            return ticket.received_at, ticket.contact_due
        if status in _CLOSE_RUNS:
            return ticket.received_at, ticket.close_due
        return None

    def escalation(self, ticket: TimedTicket, now: datetime) -> Escalation:
        running = self.running(ticket)
        if running is None:
            return Escalation(0, False, None)
        return escalation_between(*running, now, self.thresholds)
