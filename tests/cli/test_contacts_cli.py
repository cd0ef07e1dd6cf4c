"""`gridcommand grids contacts FILE.csv`: every grid in the file gets exactly its rows; a bad row is named and
nothing is imported."""
import io

import pytest

from dashboard.cli import main
from dashboard.db import Database
from dashboard.services.grid_contacts import contacts_view

HEADER = "grid_id,role,name,phone,village\n"


def _run(monkeypatch, database_url, argv):
    monkeypatch.setenv("GRIDCMD_DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(SystemExit) as done:
        main(argv)
    return done.value.code


def test_contacts_from_csv(monkeypatch, database_url, tmp_path, capsys):
    good = tmp_path / "contacts.csv"
    good.write_text(HEADER + "110101-001,manager,王建国,13800138000,\n110101-001,liaison,李秀英,010-12345678,和平里社区\n"
                    "110101-002,manager,赵敏,13900000001,\n", encoding="utf-8")
    assert _run(monkeypatch, database_url, ["grids", "contacts", str(good)]) == 0
    assert "contacts of 2 grid(s) replaced: 3 people" in capsys.readouterr().out
    with Database(database_url).read() as s:
        view = contacts_view(s, "110101-001")
    assert view["manager"]["name"] == "王建国"
    assert view["liaisons"] == [{"name": "李秀英", "phone": "01012345678", "email": None, "village": "和平里社区"}]


def test_bad_rows_are_named_and_nothing_is_imported(monkeypatch, database_url, tmp_path, capsys):
    bad = tmp_path / "contacts.csv"
    bad.write_text(HEADER + "110101-001,manager,王建国,13800138000,\n110101-001,liaison,李秀英,12345,村\n"
                   "nowhere,manager,赵敏,13900000001,\n110101-003,boss,张伟,13900000002,\n"
                   "110101-004,liaison,张伟,13900000002,\n", encoding="utf-8")
    assert _run(monkeypatch, database_url, ["grids", "contacts", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 3: phone: must be a Chinese mobile" in err
    assert "row 4: grid_id 'nowhere' is not a known grid" in err
    assert "row 5: role must be manager or liaison" in err
    assert "grid 110101-004 (row 6): no manager" in err and "110101-003 (row" not in err
    with Database(database_url).read() as s:
        assert contacts_view(s, "110101-001")["manager"] is None
    assert _run(monkeypatch, database_url, ["grids", "contacts", str(tmp_path / "missing.csv")]) == 2
