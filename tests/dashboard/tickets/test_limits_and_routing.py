"""Ticket limits by kind (configurable), the level of the running limit with a fake clock, and the routing rule."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from dashboard.tickets.kinds import Department, TicketStatus, can_move
from dashboard.tickets.limits import Span, TicketRules, parse_kind_limits, parse_span
from dashboard.tickets.routing import RoutingRules, route

T0 = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)  # a Monday


def test_spans_and_limits_from_text():
    assert parse_span("24h") == Span(timedelta(hours=24))
    assert parse_span("2d") == Span(timedelta(days=2))
    assert parse_span("4wd") == Span(timedelta(days=4), working=True)
    limits = parse_kind_limits("consultation=2h/2wd")
    assert limits["consultation"].contact == Span(timedelta(hours=2))
    assert limits["complaint"].close == Span(timedelta(days=4), working=True)  # the others keep the defaults
    for bad in ("praise=1h/1wd", "complaint=1x/1wd", "complaint=0h/1wd", "complaint=24h"):
        with pytest.raises(ValueError):
            parse_kind_limits(bad)


def test_the_level_follows_the_running_limit():
    rules = TicketRules()
    contact, close = rules.dues("complaint", T0)
    t = SimpleNamespace(status="received", received_at=T0, contact_due=contact, close_due=close)
    assert [rules.escalation(t, T0 + timedelta(hours=h)).level for h in (1, 12, 18, 22, 24)] == [0, 1, 2, 3, 4]
    assert rules.escalation(t, T0 + timedelta(hours=24)).overdue
    assert rules.escalation(t, T0 + timedelta(hours=1)).next_at == T0 + timedelta(hours=12)
    t.status = "contacted"  # now the close limit (4 working days from Monday 09:00 UTC) runs
    state = rules.escalation(t, T0 + timedelta(hours=25))
    assert (state.level, state.overdue) == (0, False) and rules.running(t) == (T0, close)
    t.status = "closed"
    assert rules.escalation(t, T0 + timedelta(days=30)).level == 0 and rules.running(t) is None


def test_the_lifecycle():
    assert can_move(TicketStatus.received, TicketStatus.contacted)
    assert can_move(TicketStatus.contacted, TicketStatus.closed)
    assert can_move(TicketStatus.received, TicketStatus.cancelled)
    assert not can_move(TicketStatus.received, TicketStatus.closed)
    assert not can_move(TicketStatus.closed, TicketStatus.cancelled)


@pytest.mark.parametrize("kind, subject, order, grid, department", [
    ("complaint", "营业厅排队久", 7, "g", Department.operations),  # names a repair order
    ("report", "有人私拉电线", None, "g", Department.operations),
    ("complaint", "频繁停电", None, None, Department.operations),
    ("consultation", "电费怎么这么高", None, "g", Department.marketing),
    ("service", "申请更换户主", None, "g", Department.marketing),
    ("consultation", "咨询营业厅地址", None, "g", Department.grid),
    ("complaint", "工作人员态度差", None, None, Department.marketing),  # no grid to own it
])
def test_routing(kind, subject, order, grid, department):
    assert route(kind, subject, None, order, grid) == department


def test_routing_is_configurable():
    rules = RoutingRules(supply_words=(), billing_words=("营业厅",), no_grid=Department.operations)
    assert route("consultation", "咨询营业厅地址", None, None, "g", rules) == Department.marketing
    assert route("complaint", "态度差", None, None, None, rules) == Department.operations
