"""`gridcommand rollups rebuild`: the reliability roll-up written again from the outage records, all days or some;
and filled once at start when empty."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select, update

from dashboard.cli import main
from dashboard.db import Database
from dashboard.models import GridRow, Outage, ReliabilityPiece
from dashboard.services.reliability_rollup import fill_if_empty


def _run(monkeypatch, database_url, argv):
    monkeypatch.setenv("GRIDCMD_DATABASE_URL", database_url)
    with pytest.raises(SystemExit) as done:
        main(argv)
    return done.value.code


@pytest.fixture
def history(database_url):
    """Three ended outages on 1, 2 and 3 March 2026 (Beijing days) and one under way, written straight to the
    table (no change hook), so only a rebuild puts them in the roll-up."""
    db = Database(database_url)
    db.upgrade()
    with db.write() as s:
        grid = s.scalars(select(GridRow.id).order_by(GridRow.id)).first()
        for i, day in enumerate((1, 2, 3)):
            start = datetime(2026, 3, day, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing
            s.add(Outage(external_id=f"H-{i}", status="restored", source="reported", kind="unplanned",
                         grid_ids=[grid], districts=[], start=start, end=start + timedelta(hours=1),
                         customers_affected=100, updated_at=start))
        s.add(Outage(external_id="H-live", status="confirmed", source="reported", kind="unplanned",
                     grid_ids=[grid], districts=[], start=datetime(2026, 3, 3, tzinfo=timezone.utc), end=None,
                     customers_affected=5, updated_at=datetime(2026, 3, 3, tzinfo=timezone.utc)))
    return db


def _days(db) -> list[date]:
    with db.read() as s:
        return sorted(s.scalars(select(ReliabilityPiece.day)))


def test_rebuild_everything(monkeypatch, database_url, history, capsys):
    assert _run(monkeypatch, database_url, ["rollups", "rebuild"]) == 0
    assert "reliability_daily: 3 row(s) rebuilt" in capsys.readouterr().out
    assert _days(history) == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]  # the live one: not yet
    with history.read() as s:
        assert s.scalar(select(func.sum(ReliabilityPiece.customer_minutes))) == pytest.approx(3 * 100 * 60)
    assert _run(monkeypatch, database_url, ["rollups", "rebuild"]) == 0  # again: the same rows, no doubles
    assert len(_days(history)) == 3


def test_rebuild_some_days_leaves_the_others(monkeypatch, database_url, history):
    assert _run(monkeypatch, database_url, ["rollups", "rebuild"]) == 0
    with history.write() as s:  # drift on two days
        s.execute(update(ReliabilityPiece).values(customer_minutes=1.0))
        s.execute(delete(ReliabilityPiece).where(ReliabilityPiece.day == date(2026, 3, 2)))
    assert _run(monkeypatch, database_url, ["rollups", "rebuild", "--from", "2026-03-02", "--to", "2026-03-02",
                                            "--only", "reliability_daily"]) == 0
    with history.read() as s:
        minutes = dict(s.execute(select(ReliabilityPiece.day, ReliabilityPiece.customer_minutes)).all())
    assert minutes == {date(2026, 3, 1): 1.0, date(2026, 3, 2): pytest.approx(6000), date(2026, 3, 3): 1.0}


def test_an_empty_roll_up_is_filled_once_at_start(history):
    now = datetime(2026, 3, 4, tzinfo=timezone.utc)
    with history.write() as s:
        assert fill_if_empty(s, "Asia/Shanghai", now) == 3
    with history.write() as s:
        s.execute(delete(ReliabilityPiece).where(ReliabilityPiece.day == date(2026, 3, 1)))
        assert fill_if_empty(s, "Asia/Shanghai", now) == 0  # it has rows: a rebuild is the CLI's to ask for
    assert _days(history) == [date(2026, 3, 2), date(2026, 3, 3)]


@pytest.mark.parametrize("argv", [["--from", "2026-03-03", "--to", "2026-03-01"], ["--only", "nope"],
                                  ["--from", "March"]])
def test_bad_arguments(monkeypatch, database_url, history, argv):
    assert _run(monkeypatch, database_url, ["rollups", "rebuild", *argv]) == 2
    assert _days(history) == []


def test_rebuild_builds_the_call_roll_up_from_calls_written_straight(monkeypatch, database_url):
    from dashboard.models import Call, CallHour
    from dashboard.services import call_rollup
    from dashboard.services.call_figures import call_center_figures, straight_figures
    db = Database(database_url)
    db.upgrade()
    t = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing
    with db.write() as s:  # no change hook sees these: only a rebuild puts them in the roll-up
        s.add_all([Call(id="h1", queue="repair", offered_at=t, answered_at=t + timedelta(seconds=10),
                        ended_at=t + timedelta(seconds=100)),
                   Call(id="h2", queue="repair", offered_at=t + timedelta(hours=1),
                        abandoned_at=t + timedelta(hours=1, seconds=30))])
        s.commit()
    assert _run(monkeypatch, database_url, ["rollups", "rebuild", "--only", "call_hourly"]) == 0
    start, end = t - timedelta(days=1), t + timedelta(days=1)
    with db.read() as s:
        assert dict(s.execute(select(CallHour.hour, CallHour.offered)).all()) == {t: 1, t + timedelta(hours=1): 1}
        state = call_rollup.read_state(s)
        assert call_rollup.covered(state, state.params, start, end) is not None
        got = call_center_figures(s, start, end, target_s=20, short_abandon_s=5)
        assert got == straight_figures(s, start, end, target_s=20, short_abandon_s=5)
    assert (got["overall"]["offered"], got["overall"]["answered_in_target"], got["overall"]["abandoned"]) == (2, 1, 1)
