"""`gridcommand roster import FILE.csv`: the file's days get exactly its shifts; a bad row is named (row and
field) and nothing is imported."""
import io
from datetime import datetime, timezone

import pytest

from dashboard.cli import main
from dashboard.db import Database
from dashboard.services.roster import on_duty

HEADER = "day,shift,start,end,role,person,team,phone\n"
GOOD = (HEADER + "2026-11-20,day,2026-11-20T08:00:00+08:00,2026-11-20T20:00:00+08:00,duty_chief,王建国,,13800138000\n"
        "2026-11-20,day,2026-11-20T08:00:00+08:00,2026-11-20T20:00:00+08:00,seat,李秀英,repair,\n"
        "2026-11-20,night,2026-11-20T20:00:00+08:00,2026-11-21T08:00:00+08:00,crew,C1,东城班,\n")


def _run(monkeypatch, database_url, argv):
    monkeypatch.setenv("GRIDCMD_DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(SystemExit) as done:
        main(argv)
    return done.value.code


def test_roster_from_csv(monkeypatch, database_url, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert _run(monkeypatch, database_url, ["roster", "import", str(path)]) == 0
    assert "roster 2026-11-20..2026-11-20 replaced: 3 shift(s), 0 removed" in capsys.readouterr().out
    with Database(database_url).read() as s:
        noon = on_duty(s, datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc))  # 12:00 in Beijing
        night = on_duty(s, datetime(2026, 11, 20, 13, 0, tzinfo=timezone.utc))
    assert [p["person"] for p in noon["duty_chief"]] == ["王建国"] and noon["counts"]["seat"] == 1
    assert noon["counts"]["crew"] == 0 and night["counts"] == {"duty_chief": 0, "dispatcher": 0, "seat": 0,
                                                               "crew": 1}
    assert _run(monkeypatch, database_url, ["roster", "import", str(path)]) == 0  # again: replaced, not added
    assert "3 shift(s), 3 removed" in capsys.readouterr().out


def test_a_bad_row_is_named_and_nothing_is_imported(monkeypatch, database_url, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD + "2026-11-20,day,2026-11-20T08:00:00+08:00,2026-11-20T20:00:00+08:00,boss,张伟,,\n",
                    encoding="utf-8")
    assert _run(monkeypatch, database_url, ["roster", "import", str(path)]) == 2
    assert "row 5, role" in capsys.readouterr().err
    with Database(database_url).read() as s:
        assert on_duty(s, datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc))["counts"]["duty_chief"] == 0
