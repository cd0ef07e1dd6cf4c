"""The console's ticket pieces: an order's desk lists the tickets that name it; a ticket's desk offers only the moves
its state allows; limits read as dates in the center's zone."""
from datetime import datetime, timezone

from layouts.console import desk, tickets


def _text(component) -> str:
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _ids(component) -> list:
    found = []
    if isinstance(component, (list, tuple)):
        for c in component:
            found += _ids(c)
    elif component is not None and not isinstance(component, (str, int, float)):
        if isinstance(getattr(component, "id", None), dict):
            found.append(component.id)
        found += _ids(getattr(component, "children", None))
    return found


ORDER = {"id": 7, "status": "on_site", "version": 3, "category": "lv", "district": "东城区", "grid_id": "g",
         "address": "长安街1号", "customers_affected": 1, "report_count": 1, "crew_id": "C1", "sensitive": False,
         "reported_at": "2026-11-22T22:00:00Z", "due_at": None, "level": 0, "overdue": False, "reports": [],
         "timeline": []}


def test_an_orders_desk_lists_its_tickets():
    linked = [{"id": 3, "kind": "complaint", "status": "received", "subject": "抢修太慢", "level": 2,
               "overdue": False, "received_at": "2026-11-22T22:10:00Z"}]
    with_tickets = _text(desk.detail(ORDER | {"tickets": linked}, "zh", datetime.now(timezone.utc), "Asia/Shanghai"))
    assert "#3 投诉" in with_tickets and "抢修太慢" in with_tickets and "二级催办" in with_tickets
    assert "客服工单" not in _text(tickets.on_order([], "zh"))


def test_a_tickets_desk_offers_the_moves_its_state_allows():
    ticket = {"id": 5, "kind": "consultation", "status": "received", "version": 2}
    assert [(i["to"], i["version"]) for i in _ids(tickets.actions(ticket, "zh"))] == [("contacted", 2),
                                                                                      ("cancelled", 2)]
    assert [i["to"] for i in _ids(tickets.actions(ticket | {"status": "contacted"}, "zh"))] == ["closed", "cancelled"]
    assert tickets.actions(ticket | {"status": "closed"}, "zh") is None


def test_limits_read_as_dates_in_the_centers_zone():
    assert tickets.when("2026-11-22T22:05:00Z", "Asia/Shanghai") == "11-23 06:05"
    assert tickets.when(None, "Asia/Shanghai") == "–"
