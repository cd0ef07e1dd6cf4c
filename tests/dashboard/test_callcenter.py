"""Seats, call events and the derived queue figures."""
from datetime import timedelta

from dashboard.models import Seat
from dashboard.services.callcenter import queue_figures, record_call_events, record_seat_events
from tests.conftest import now_utc


def _calls(services, *events):
    now = now_utc()
    items = [{"call_id": c, "queue": q, "event": e, "at": (now - timedelta(seconds=ago)).isoformat()}
             for c, q, e, ago in events]
    with services.db.write() as s:
        return record_call_events(s, services.bus, items, now, services.rule)


def test_queue_figures_service_level_abandons_and_waiting(services):
    _calls(services,
           ("c1", "repair", "offered", 100), ("c1", "repair", "answered", 90),   # 10 s: in target
           ("c2", "repair", "offered", 100), ("c2", "repair", "answered", 50),   # 50 s: late
           ("c3", "repair", "offered", 100), ("c3", "repair", "abandoned", 98),  # 2 s: short, not counted
           ("c4", "repair", "offered", 100), ("c4", "repair", "abandoned", 40),  # 60 s: counted
           ("c5", "repair", "offered", 30), ("c6", "enquiry", "offered", 5))
    with services.db.read() as s:
        repair, = queue_figures(s, now_utc(), services.rule, {"repair"})
    assert (repair["waiting"], repair["offered_today"], repair["answered_today"]) == (1, 5, 2)
    assert repair["service_level"] == round(1 / 3, 4)  # 1 in target of (2 answered + 2 abandoned - 1 short)
    assert repair["abandon_rate"] == 0.5
    assert 29 <= repair["longest_wait_s"] <= 40
    assert repair["asa_s"] == 30.0


def test_repeated_and_conflicting_call_events(services):
    result = _calls(services, ("c1", "repair", "offered", 10), ("c1", "repair", "offered", 5),
                    ("c1", "enquiry", "answered", 3), ("c1", "repair", "weird", 1))
    assert [r["status"] for r in result["results"]] == ["stored", "ignored", "rejected", "rejected"]


def test_seat_events_keep_the_newest_state(services):
    now = now_utc()
    items = [{"seat_id": "S1", "group": "repair", "state": "talking", "at": now.isoformat()},
             {"seat_id": "S1", "group": "repair", "state": "available",
              "at": (now - timedelta(minutes=1)).isoformat()},
             {"seat_id": "S2", "group": "repair", "state": "sleeping", "at": now.isoformat()}]
    with services.db.write() as s:
        result = record_seat_events(s, services.bus, items, now)
    assert (result["stored"], result["ignored"], result["rejected"]) == (1, 1, 1)
    with services.db.read() as s:
        assert s.get(Seat, "S1").state == "talking"
