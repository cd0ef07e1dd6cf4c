"""Workload figures from a hand-made set of seat marks, calls and assignments; the expected numbers are worked out
below from the definitions in docs/reports.md (no published example exists for these house figures)."""
from datetime import datetime, timedelta, timezone

from dashboard.services.workload import (Assignment, CallRow, SeatMark, agent_figures, dispatcher_figures,
                                         state_spans)

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


MARKS = [SeatMark("S1", "张三", "repair", state, at(m)) for state, m in [
    ("available", -30), ("talking", 10), ("wrap_up", 16), ("available", 18), ("not_ready", 30), ("available", 40),
    ("logged_out", 50)]]


def test_spans_are_clipped_to_the_period():
    spans = state_spans(MARKS, at(0), at(60))
    assert [(s.state, s.start, s.end) for s in spans][:2] == [("available", at(0), at(10)),
                                                              ("talking", at(10), at(16))]
    assert spans[-1].state == "logged_out" and spans[-1].end == at(60)
    assert sum(s.seconds for s in spans) == 3600


def test_agent_figures_by_hand():
    # Spans in 08:00-09:00: available 10+12+10 min = 1920 s, talking 6 min = 360 s, wrap-up 2 min = 120 s,
    # not ready 10 min = 600 s, logged out 10 min. Staffed = 1920 + 360 + 120 = 2400 s; busy = 480 s.
    # Calls: K1 08:10-08:16 (talk 360 s, handled); K3 answered 08:45, not ended (answered, not handled);
    # K2 answered 07:50 is outside the period. AHT = (360 + 120) / 1 = 480 s; occupancy = 480 / 2400 = 0.2.
    calls = [CallRow("S1", at(10), at(16)), CallRow("S1", at(-10), at(-5)), CallRow("S1", at(45), None)]
    [row] = agent_figures(state_spans(MARKS, at(0), at(60)), calls, at(0), at(60))
    assert row == {"seat": "S1", "agent": "张三", "group": "repair", "calls_answered": 2, "aht_s": 480.0,
                   "talk_s": 360.0, "wrap_up_s": 120.0, "occupancy": 0.2, "not_ready_s": 600.0,
                   "logged_in_s": 3000.0}


def test_a_new_agent_on_the_seat_is_another_row():
    marks = MARKS[:3] + [SeatMark("S1", "李四", "repair", "available", at(18))]
    rows = agent_figures(state_spans(marks, at(0), at(60)), [CallRow("S1", at(20), at(22))], at(0), at(60))
    assert [(r["agent"], r["calls_answered"]) for r in rows] == [("张三", 0), ("李四", 1)]
    assert rows[1]["aht_s"] == 120.0 and rows[1]["occupancy"] == 0.0  # talk from the call; no talking state logged


def test_dispatcher_figures_by_hand():
    due = at(45)
    assignments = [Assignment("王调度", 1, at(30), due), Assignment("王调度", 1, at(30), due),  # reassigned: once
                   Assignment("王调度", 2, at(50), due), Assignment("王调度", 3, None, due),
                   Assignment("李调度", 1, at(30), due)]
    rows = dispatcher_figures(assignments, {2: 2, 3: 1})
    # 王: orders 1, 2, 3; arrived 1 (on time: 30 <= 45) and 2 (late: 50 > 45) -> 1 / 2; escalations 0 + 2 + 1.
    assert rows == [
        {"dispatcher": "李调度", "orders_dispatched": 1, "arrived": 1, "on_time": 1, "on_time_rate": 1.0,
         "escalations": 0},
        {"dispatcher": "王调度", "orders_dispatched": 3, "arrived": 2, "on_time": 1, "on_time_rate": 0.5,
         "escalations": 3}]
