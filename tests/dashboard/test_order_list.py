"""The work-order list: most urgent first, filters, quick search, keyset pages that hold while the list moves."""
from datetime import timedelta

import pytest

from dashboard.errors import Invalid
from dashboard.models import WorkOrder
from dashboard.schemas import FaultIn
from dashboard.services import escalation
from dashboard.services.faults import ingest_fault
from dashboard.services.order_list import OrderFilter, list_orders
from tests.conftest import make_fault, now_utc


def _order(services, minutes_ago=1, **fault) -> int:
    body = make_fault(reported_at=(services.clock() - timedelta(minutes=minutes_ago)).isoformat(),
                      category="meter", **fault)
    with services.db.write() as s:
        return ingest_fault(s, services.bus, services.catalog, FaultIn.model_validate(body), services.clock(),
                            limits=services.limits).workorder_id


def _list(services, limit=200, cursor=None, **filters) -> dict:
    with services.db.read() as s:
        return list_orders(s, OrderFilter(**filters), limit=limit, cursor=cursor)


def test_most_urgent_first_whatever_the_order_they_came_in(services):
    now = now_utc()
    services.clock = lambda: now
    fresh, late, middle = _order(services, 2), _order(services, 40), _order(services, 20)
    rural = _order(services, 50, lon=116.9, lat=40.6)  # 90 min out in the countryside: 40 min left
    assert [o["id"] for o in _list(services)["items"]] == [late, middle, fresh, rural]
    with services.db.write() as s:  # on site: the 3 h restoration limit runs now, so it is the least urgent
        order = s.get(WorkOrder, late)
        order.status, order.arrived_at = "on_site", now
        escalation.refresh(order, services.limits, now)
    assert [o["id"] for o in _list(services)["items"]][-1] == late


def test_filters_and_quick_search(services):
    a = _order(services, customer_name="王大爷", phone="13912345678", address="东城区和平里5号")
    b = _order(services, 50, lon=116.30, lat=39.98)
    with services.db.read() as s:
        grid, district = s.get(WorkOrder, a).grid_id, s.get(WorkOrder, a).district
    assert [o["id"] for o in _list(services, grid_id=grid)["items"]] == [a]
    assert [o["id"] for o in _list(services, district=district)["items"]] == [a]
    assert [o["id"] for o in _list(services, overdue=True)["items"]] == [b]
    assert [o["id"] for o in _list(services, level=4)["items"]] == [b]
    assert _list(services, category="hv")["count"] == 0
    for text in ("王大爷", "1234567", "和平里", str(a)):
        assert [o["id"] for o in _list(services, search=text)["items"]] == [a], text
    assert _list(services, search="%")["count"] == 0 and _list(services, search="_")["count"] == 0  # no wildcards


def test_pages_with_a_cursor_and_the_total_count(services):
    ids = {_order(services, minutes) for minutes in range(1, 26)}
    seen, cursor, pages = [], None, 0
    while True:
        page = _list(services, limit=10, cursor=cursor)
        assert page["count"] == 25 + pages  # all that match now
        seen += [o["id"] for o in page["items"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
        _order(services, 0)  # the storm goes on between pages: new, less urgent orders land after
    assert pages == 3 and set(seen) >= ids and len(seen) == len(set(seen))
    with pytest.raises(Invalid):
        _list(services, cursor="not-a-cursor")
