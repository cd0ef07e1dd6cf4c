"""`gridcommand history generate`: days before yesterday filled, rows and time printed; a second run adds nothing;
a negative scale is refused before anything is written."""
import pytest
from sqlalchemy import func, select

from dashboard.cli import main
from dashboard.db import Database
from dashboard.models import WorkOrder


def _run(monkeypatch, database_url, argv):
    monkeypatch.setenv("GRIDCMD_DATABASE_URL", database_url)
    with pytest.raises(SystemExit) as done:
        main(argv)
    return done.value.code


def _orders(database_url) -> int:
    db = Database(database_url)
    with db.read() as s:
        n = s.scalar(select(func.count()).select_from(WorkOrder))
    db.dispose()
    return n


def test_generate_prints_what_it_wrote_and_a_second_run_adds_nothing(monkeypatch, database_url, capsys):
    assert _run(monkeypatch, database_url, ["history", "generate", "--days", "2", "--scale", "0.02"]) == 0
    out = capsys.readouterr().out
    orders = _orders(database_url)
    assert "history: 2 day(s) generated, 0 skipped" in out and f"work_orders: {orders} row(s)" in out
    assert "roll-up reliability_daily:" in out and "done in " in out and orders > 20
    assert _run(monkeypatch, database_url, ["history", "generate", "--days", "2", "--scale", "0.02"]) == 0
    assert "history: 0 day(s) generated, 2 skipped" in capsys.readouterr().out
    assert _orders(database_url) == orders


def test_a_negative_scale_is_refused(monkeypatch, database_url, capsys):
    assert _run(monkeypatch, database_url, ["history", "generate", "--scale", "-1"]) == 2
    assert "must not be negative" in capsys.readouterr().err
    assert _orders(database_url) == 0
