"""The demo's recorded storm: the committed file loads into the event log once, a month back, and plays."""
import gzip
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from dashboard.models import EventLog
from dashboard.replay.fold import fold
from dashboard.replay.log import state_at
from dashboard.replay.recording import (DEMO_STORM, load_demo_storm, read_recording, recordings, shift_times,
                                        thin_moves, write_recording)
from tests.conftest import auth

NOW = datetime(2026, 11, 23, 1, 17, 5, tzinfo=timezone.utc)


def test_the_committed_storm_is_small_and_loads_a_month_back_once(services, client):
    assert DEMO_STORM.stat().st_size < 2 * 1024 * 1024
    with gzip.open(DEMO_STORM, "rt", encoding="utf-8") as f:
        header = json.loads(f.readline())
    assert load_demo_storm(services.db, NOW) is True
    assert load_demo_storm(services.db, NOW) is False  # the second start finds it there
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(EventLog)) == header["events"] > 1000
        first, last = s.execute(select(func.min(EventLog.at), func.max(EventLog.at))).one()
        [rec] = recordings(s)
        state = state_at(s, last + timedelta(seconds=1))
    assert first == datetime(2026, 10, 24, 1, 0, tzinfo=timezone.utc)  # on the hour, 30 days back
    assert rec["from"] == "2026-10-24T01:00:00Z" and rec["events"] == header["events"]
    assert state["workorder"] and state["outage"] and state["crew"]
    # Times inside the entities moved with the storm: its orders were reported during it, not on the day recorded.
    reported = [o["reported_at"] for o in state["workorder"].values() if o.get("reported_at")]
    assert reported and all(rec["from"] <= r <= rec["to"] for r in reported)
    listed = client.get("/api/v1/replays", headers=auth("viewer")).json
    assert listed["recordings"] == [rec] and listed["replays"] == []


def test_times_inside_the_data_shift_and_nothing_else_does():
    d = timedelta(days=-30)
    assert shift_times({"a": "2026-10-12T06:00:00Z", "b": ["2026-10-12T06:00:00.5+00:00", "x"], "c": 3,
                        "d": "2026-10-12", "e": None}, d) == {
        "a": "2026-09-12T06:00:00Z", "b": ["2026-09-12T06:00:00.500000Z", "x"], "c": 3, "d": "2026-10-12", "e": None}


def test_thinning_crews_moves_keeps_every_other_change_and_each_crews_last_state():
    t0 = datetime(2026, 10, 12, 6, 0, tzinfo=timezone.utc)

    def crew(s, status="en_route", lon=116.0):
        return (t0 + timedelta(seconds=s), "crew", "upsert", "C1", {"id": "C1", "status": status, "lon": lon + s})
    rows = [crew(0), crew(10), crew(20), crew(30, "on_site"), crew(40, "on_site"), crew(95, "on_site"),
            crew(100, "on_site"), (t0 + timedelta(seconds=101), "workorder", "upsert", "7", {"status": "on_site"}),
            crew(110, "available")]
    kept = thin_moves(rows)
    assert [r[0] - t0 for r in kept] == [timedelta(seconds=s) for s in (0, 30, 95, 101, 110)]
    assert fold({"kind": k, "op": o, "id": i, "data": d} for _, k, o, i, d in kept) == \
        fold({"kind": k, "op": o, "id": i, "data": d} for _, k, o, i, d in rows)


def test_a_recording_round_trips_to_any_start(tmp_path):
    t0 = datetime(2026, 10, 12, 6, 0, tzinfo=timezone.utc)
    rows = [(t0, "outage", "upsert", "1", {"start": "2026-10-12T06:00:00Z"}),
            (t0 + timedelta(seconds=90.5), "outage", "remove", "1", None)]
    assert write_recording(tmp_path / "r.jsonl.gz", "test", rows) == 2
    header, back = read_recording(tmp_path / "r.jsonl.gz", t0 - timedelta(days=1))
    assert header["duration_s"] == 90.5
    assert [(r["at"], r["op"], r["data"]) for r in back] == [
        (t0 - timedelta(days=1), "upsert", {"start": "2026-10-11T06:00:00Z"}),
        (t0 - timedelta(days=1) + timedelta(seconds=90.5), "remove", None)]
