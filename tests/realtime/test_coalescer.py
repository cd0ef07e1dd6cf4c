"""Coalescing and the leading-edge throttle."""
import threading
import time

from dashboard.events import Change
from realtime.coalescer import Coalescer


def _c(kind, id_, n):
    return Change(kind, "upsert", id_, {"n": n})


def test_last_state_wins_in_order_of_last_change():
    co = Coalescer(0.0)
    co.offer([_c("crew", "a", 1), _c("crew", "b", 1), _c("crew", "a", 2), _c("workorder", "a", 1)])
    batch = co.take(threading.Event())
    assert [(c.kind, c.id, c.data["n"]) for c in batch] == [("crew", "b", 1), ("crew", "a", 2), ("workorder", "a", 1)]


def test_first_change_after_quiet_goes_at_once_then_batches_are_spaced():
    co, stop = Coalescer(0.2), threading.Event()
    co.offer([_c("crew", "a", 1)])
    t0 = time.monotonic()
    assert len(co.take(stop)) == 1
    assert time.monotonic() - t0 < 0.05  # leading edge: no wait
    co.offer([_c("crew", "a", 2)])
    assert len(co.take(stop)) == 1
    assert time.monotonic() - t0 >= 0.19  # the next batch waits out the interval


def test_take_returns_empty_on_stop_or_quiet():
    co, stop = Coalescer(0.1), threading.Event()
    assert co.take(stop, poll=0.05) == []
    stop.set()
    assert co.take(stop) == []
