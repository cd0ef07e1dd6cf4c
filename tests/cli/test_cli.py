"""The management CLI against a real database file."""
import io
import json

import pytest
from sqlalchemy import func, select

from dashboard.cli import main
from dashboard.db import Database
from dashboard.models import ApiToken, GridRow, User
from dashboard.services.accounts import check_login
from dashboard.services.tokens import TokenCache


def _run(monkeypatch, database_url, argv, stdin=""):
    monkeypatch.setenv("GRIDCMD_DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as done:
        main(argv)
    return done.value.code


def test_user_and_token(monkeypatch, database_url, capsys):
    assert _run(monkeypatch, database_url, ["user", "add", "li", "--role", "dispatcher"], "long-password\n") == 0
    assert _run(monkeypatch, database_url, ["user", "add", "li", "--role", "viewer"], "long-password\n") == 2
    assert _run(monkeypatch, database_url, ["user", "add", "zh", "--role", "viewer"], "short\n") == 2
    capsys.readouterr()
    assert _run(monkeypatch, database_url, ["token", "add", "--role", "ingest", "--label", "95598"]) == 0
    token = capsys.readouterr().out.strip()
    db = Database(database_url)
    with db.read() as s:
        assert check_login(s, "li", "long-password").role == "dispatcher"
        assert s.scalar(select(func.count()).select_from(User)) == 1
        assert s.scalar(select(func.count()).select_from(ApiToken)) == 1
    assert TokenCache(()).lookup(db.read, token).role == "ingest"
    assert TokenCache(()).lookup(db.read, token).name == "95598"
    assert TokenCache(()).lookup(db.read, token + "x") is None


def test_grids_import_all_or_nothing(monkeypatch, database_url, tmp_path, capsys):
    good = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": f"g{i}", "name": f"网格{i}", "district": "测试区",
                                           "area_class": "rural", "customers": 10},
         "geometry": {"type": "Polygon", "coordinates": [[[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]]]}}
        for i in range(3)]}
    bad = json.loads(json.dumps(good))
    bad["features"][2]["properties"]["area_class"] = "moon"
    (tmp_path / "bad.geojson").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "good.geojson").write_text(json.dumps(good), encoding="utf-8")
    db = Database(database_url)
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(GridRow))
    assert _run(monkeypatch, database_url, ["grids", "import", str(tmp_path / "bad.geojson")]) == 2
    assert "area_class" in capsys.readouterr().err
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(GridRow)) == before
    assert _run(monkeypatch, database_url, ["grids", "import", str(tmp_path / "good.geojson")]) == 0
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(GridRow)) == 3


def test_password_change_disable_and_sign_ins(monkeypatch, database_url, capsys):
    from dashboard.services import web_sessions
    from dashboard.timeutil import utcnow
    assert _run(monkeypatch, database_url, ["user", "add", "wu", "--role", "dispatcher"], "first-password\n") == 0
    db = Database(database_url)
    with db.write() as s:
        key = web_sessions.open_session(s, user="wu", role="dispatcher", kind="password", now=utcnow(),
                                        password_hash=check_login(s, "wu", "first-password").password_hash)
    capsys.readouterr()
    assert _run(monkeypatch, database_url, ["session", "list"]) == 0
    listing = capsys.readouterr().out
    assert "wu" in listing and "dispatcher" in listing
    assert _run(monkeypatch, database_url, ["user", "passwd", "wu"], "second-password\n") == 0
    assert "1 sign-in(s) ended" in capsys.readouterr().out
    with db.read() as s:
        assert web_sessions.find_active(s, key, utcnow()) is None
        assert check_login(s, "wu", "first-password") is None and check_login(s, "wu", "second-password")
    assert _run(monkeypatch, database_url, ["user", "passwd", "wu"], "short\n") == 2
    assert _run(monkeypatch, database_url, ["user", "disable", "wu"]) == 0
    with db.read() as s:
        assert check_login(s, "wu", "second-password") is None
    assert _run(monkeypatch, database_url, ["user", "enable", "wu"]) == 0
    with db.write() as s:
        person = check_login(s, "wu", "second-password")
        other = web_sessions.open_session(s, user="wu", role="dispatcher", kind="password", now=utcnow(),
                                          password_hash=person.password_hash)
        session_id = web_sessions.find_active(s, other, utcnow()).id
    assert _run(monkeypatch, database_url, ["session", "end", str(session_id)]) == 0
    with db.read() as s:
        assert web_sessions.find_active(s, other, utcnow()) is None
    assert _run(monkeypatch, database_url, ["session", "end", "99999"]) == 2
    assert _run(monkeypatch, database_url, ["user", "disable", "nobody"]) == 2


def test_named_tokens_bound_to_a_crew_and_revoked(monkeypatch, database_url, capsys):
    from dashboard.services.web_sessions import find_active, open_session
    from dashboard.timeutil import utcnow
    assert _run(monkeypatch, database_url, ["token", "add", "--role", "viewer", "--name", "wall-1"]) == 0
    wall = capsys.readouterr().out.strip()
    assert _run(monkeypatch, database_url, ["token", "add", "--role", "ingest", "--name", "crew-7",
                                            "--crew", "C007"]) == 0
    crew = capsys.readouterr().out.strip()
    assert _run(monkeypatch, database_url, ["token", "add", "--role", "viewer", "--name", "wall-1"]) == 2  # taken
    assert _run(monkeypatch, database_url, ["token", "add", "--role", "viewer", "--crew", "C1"]) == 2  # not ingest
    db = Database(database_url)
    assert TokenCache(()).lookup(db.read, crew).crew_id == "C007"
    with db.write() as s:  # the wall that token opened
        key = open_session(s, user="kiosk:wall-1", role="viewer", kind="kiosk", now=utcnow(),
                           via_token=TokenCache(()).lookup(db.read, wall).digest)
    capsys.readouterr()
    assert _run(monkeypatch, database_url, ["token", "list"]) == 0
    listing = capsys.readouterr().out
    assert "wall-1" in listing and "C007" in listing and wall not in listing and crew not in listing
    assert _run(monkeypatch, database_url, ["token", "revoke", "wall-1"]) == 0
    assert "1 wall sign-in(s)" in capsys.readouterr().out
    assert TokenCache(()).lookup(db.read, wall) is None
    with db.read() as s:
        assert find_active(s, key, utcnow()) is None
    assert _run(monkeypatch, database_url, ["token", "revoke", "wall-1"]) == 2


def test_topology_import_csv_and_geojson_all_or_nothing(monkeypatch, database_url, tmp_path, capsys):
    from dashboard.models import Device
    good = tmp_path / "net.csv"
    good.write_text("id,kind,parent_id,name,lon,lat,grid_id,customers\nS,station,,站,,,,\nF1,feeder,S,,,,,\n"
                    "T1,transformer,F1,台区1,116.4,39.9,g1,120\n", encoding="utf-8")
    assert _run(monkeypatch, database_url, ["topology", "import", str(good)]) == 0
    assert "3 devices imported" in capsys.readouterr().out
    cycle = tmp_path / "bad.csv"
    cycle.write_text("id,kind,parent_id\nS,station,\nA,switch,B\nB,switch,A\n", encoding="utf-8")
    assert _run(monkeypatch, database_url, ["topology", "import", str(cycle)]) == 2
    assert "cycle" in capsys.readouterr().err
    points = tmp_path / "net.geojson"
    points.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"id": "S", "kind": "station", "parent_id": None}},
        {"type": "Feature", "geometry": None, "properties": {"id": "F", "kind": "feeder", "parent_id": "S"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [116.5, 39.8]},
         "properties": {"id": "T", "kind": "transformer", "parent_id": "F", "customers": 7}}]}))
    assert _run(monkeypatch, database_url, ["topology", "import", str(points)]) == 0
    with Database(database_url).read() as session:
        t = session.get(Device, "T")
        assert (t.lon, t.lat, t.customers) == (116.5, 39.8, 7)
        assert session.get(Device, "T1") is None  # replaced whole
    wrong = tmp_path / "kinds.csv"
    wrong.write_text("id,kind,parent_id\nS,plant,\n", encoding="utf-8")
    assert _run(monkeypatch, database_url, ["topology", "import", str(wrong)]) == 2
