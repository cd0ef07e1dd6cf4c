"""A replay session on a stepped clock: the log read in chunks, batches per window, seq by one, a stop."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from dashboard.models import EventLog
from dashboard.replay import log as replay_log
from dashboard.replay.log import LogCursor
from dashboard.replay.session import ReplaySession

T0 = datetime(2026, 10, 12, 6, 0, tzinfo=timezone.utc)


def _log(services, rows):
    with services.db.write() as s:
        s.execute(insert(EventLog), [{"at": T0 + timedelta(seconds=sec), "kind": "workorder", "op": op,
                                      "entity_id": id, "data": {"id": id, "status": st}} for sec, op, id, st in rows])


def test_the_cursor_hands_out_each_change_once_in_order_across_chunks(services, monkeypatch):
    monkeypatch.setattr(replay_log, "CHUNK", 3)
    _log(services, [(s, "upsert", str(s), "received") for s in range(10)] + [(5, "upsert", "x", "received")])
    cursor = LogCursor(services.db.read, T0 + timedelta(seconds=2), T0 + timedelta(seconds=9))
    got = [c["id"] for c in cursor.until(T0 + timedelta(seconds=5))]
    assert got == ["2", "3", "4"]
    got += [c["id"] for c in cursor.until(T0 + timedelta(hours=1))]
    assert got == ["2", "3", "4", "5", "x", "6", "7", "8"] and cursor.done


def test_a_session_starts_from_the_fold_and_plays_the_period_in_windows(services):
    _log(services, [(-60, "upsert", "1", "received"), (-30, "upsert", "2", "received"),
                    (1, "upsert", "1", "on_site"), (2, "remove", "2", "received"), (20, "upsert", "3", "received"),
                    (3600, "upsert", "4", "received")])  # after the period: never played
    sent = []
    steps = []
    session = ReplaySession(services.db.read, T0, T0 + timedelta(seconds=30), 10, lambda rid, u: sent.append(u),
                            wait=lambda s: steps.append(s) or False)
    session.prepare()
    assert {o["id"] for o in session.snapshot()["workorders"]} == {"1", "2"} and session.snapshot()["seq"] == 0
    session.run()
    # 30 s of log at 10× in windows of 2.5 s of log: 12 steps, batches only where something happened.
    assert len(steps) == 12 and session.status == "done"
    assert [u["seq"] for u in sent] == [1, 2]
    assert [[(c["id"], c["op"]) for c in u["changes"] if c["kind"] == "workorder"] for u in sent] == \
        [[("1", "upsert"), ("2", "remove")], [("3", "upsert")]]
    assert sent[0]["at"] == "2026-10-12T06:00:02.500000Z"  # the replay's clock at the batch, not now
    assert [(o["id"], o["status"]) for o in session.snapshot()["workorders"]] == [("1", "on_site"), ("3", "received")]
    assert session.updates_after(1) == sent[1:] and session.updates_after(2) == []


def test_a_stopped_session_sends_no_more(services):
    _log(services, [(s, "upsert", str(s), "received") for s in range(0, 100, 5)])
    sent = []
    session = ReplaySession(services.db.read, T0, T0 + timedelta(seconds=100), 1, lambda rid, u: sent.append(u),
                            wait=lambda s: len(sent) >= 2 and (session.stop() or True))
    session.prepare()
    session.run()
    assert session.status == "stopped" and len(sent) == 2
