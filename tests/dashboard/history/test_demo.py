"""The demo's history: off unless asked (tests' apps never generate it), 365 days from the environment by default,
generated once in the background when the server starts serving."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from dashboard.config import Config
from dashboard.db import Database
from dashboard.history.demo import DemoHistory
from dashboard.models import WorkOrder
from dashboard.tickets.limits import TicketRules
from dashboard.time_limits import TimeLimits

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


def test_off_in_a_plain_config_on_for_the_demo_by_default(monkeypatch):
    assert Config().demo_history_days == 0
    monkeypatch.delenv("GRIDCMD_DEMO_HISTORY_DAYS", raising=False)
    assert Config.from_env().demo_history_days == 365
    monkeypatch.setenv("GRIDCMD_DEMO_HISTORY_DAYS", "0")
    assert Config.from_env().demo_history_days == 0
    monkeypatch.setenv("GRIDCMD_DEMO_HISTORY_DAYS", "a year")
    with pytest.raises(SystemExit, match="GRIDCMD_DEMO_HISTORY_DAYS"):
        Config.from_env()


def test_a_test_app_starts_no_history(app):
    from app import runtime_of
    assert runtime_of(app).history is None


def _demo(db, days=2):
    # A start delay far longer than the test: only serving() lets it begin.
    return DemoHistory(db, days=days, tz="Asia/Shanghai", limits=TimeLimits(), tickets=TicketRules(),
                       clock=lambda: NOW, seed=3, start_after_s=3600)


def test_it_waits_for_the_server_then_runs_once(database_url):
    db = Database(database_url)
    first = _demo(db)
    first.start()
    first.join(0.2)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrder)) == 0  # not before the first request
    first.serving()
    first.join(120)
    assert first.error is None and len(first.result.days) == 2
    with db.read() as s:
        orders = s.scalar(select(func.count()).select_from(WorkOrder))
    assert orders > 0
    second = _demo(db, days=5)  # the next start of the same database: its meta says it is done
    second.start()
    second.serving()
    second.join(120)
    assert second.result is None and second.error is None
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrder)) == orders
    db.dispose()


def test_stopping_before_it_began_writes_nothing(database_url):
    db = Database(database_url)
    demo = _demo(db)
    demo.start()
    demo.stop()
    assert demo.result is None
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrder)) == 0
    db.dispose()


def test_one_server_of_several_on_a_database_generates(database_url):
    from dashboard.history.demo import claim
    db = Database(database_url)
    assert claim(db, NOW, "a") is True
    assert claim(db, NOW, "b") is False  # another process of the same demo finds it claimed
    assert claim(db, NOW.replace(hour=5), "c") is True  # two hours on, the claimant is taken for dead
    other = _demo(db)
    other.start()
    other.serving()
    other.join(60)
    assert other.result is None  # "c" holds it now
    db.dispose()
