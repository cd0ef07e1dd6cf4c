"""The fold: the wall's state at an instant from the log's changes, pure (no database, no clock)."""
from datetime import datetime, timezone

from dashboard.replay.fold import figures, fold, snapshot

T = datetime(2026, 10, 12, 6, 0, tzinfo=timezone.utc)


def up(kind, id, **data):
    return {"kind": kind, "op": "upsert", "id": id, "data": {"id": id, **data}}


def rm(kind, id, **data):
    return {"kind": kind, "op": "remove", "id": id, "data": {"id": id, **data}}


def test_an_upsert_replaces_the_entity_whole_and_a_remove_deletes_it():
    state = fold([up("workorder", "1", status="received", address="a"),
                  up("workorder", "1", status="dispatched"),  # replaces: no field of the old copy survives
                  up("crew", "C1", status="available"), up("crew", "C2", status="busy"),
                  rm("crew", "C1"), rm("outage", "9")])  # removing what never was is nothing
    assert state == {"workorder": {"1": {"id": "1", "status": "dispatched"}},
                     "crew": {"C2": {"id": "C2", "status": "busy"}}, "outage": {}}


def test_kinds_keep_their_ids_apart_and_ids_are_compared_as_text():
    state = fold([{"kind": "workorder", "op": "upsert", "id": 7, "data": {"status": "received"}},
                  {"kind": "outage", "op": "upsert", "id": "7", "data": {"status": "confirmed"}},
                  {"kind": "workorder", "op": "remove", "id": "7", "data": None}])
    assert state == {"workorder": {}, "outage": {"7": {"status": "confirmed"}}}


def test_folding_in_two_parts_is_folding_the_whole():
    changes = [up("workorder", str(i % 5), status=s) for i, s in enumerate(["received", "dispatched", "on_site"] * 7)]
    changes[10] = rm("workorder", "3")
    whole = fold(changes)
    parts = fold(changes[12:], fold(changes[:12]))
    assert parts == whole and whole["workorder"]["3"]["status"] == changes[18]["data"]["status"]


def test_the_snapshot_shows_what_the_live_one_shows():
    state = fold([up("workorder", "10", status="received"), up("workorder", "2", status="dispatched", overdue=True),
                  up("workorder", "3", status="restored"),  # power is back: off the wall
                  up("outage", "1", status="confirmed", customers_affected=120),
                  up("outage", "2", status="restored", customers_affected=50),
                  up("outage", "3", status="scheduled", start="2026-10-12T10:00:00Z", customers_affected=9),
                  up("outage", "4", status="scheduled", start="2026-10-20T10:00:00Z", notice_ok=True),
                  up("crew", "C1", status="available", on_duty=True), up("crew", "C2", status="busy", on_duty=True),
                  up("seat", "S1", state="idle"), up("queue", "repair", waiting=3)])
    snap = snapshot(state, T, seq=4, order_fields=("id", "status"))
    assert [o["id"] for o in snap["workorders"]] == ["2", "10"]  # numeric order, as ORDER BY id
    assert snap["workorders"][0] == {"id": "2", "status": "dispatched"}
    assert [o["id"] for o in snap["outages"]] == ["1"]
    assert [o["id"] for o in snap["upcoming"]] == ["3"]  # within 24 h of the replay's time, not of now
    assert snap["seq"] == 4 and snap["generated_at"] == snap["replay_at"] == "2026-10-12T06:00:00Z"
    assert snap["kpis"] == {"open": 2, "overdue": 1, "customers_out": 120, "crews_available": 1, "crews_busy": 1,
                            "replay": True}
    assert figures({}) == {"open": 0, "overdue": 0, "customers_out": 0, "crews_available": 0, "crews_busy": 0,
                           "replay": True}
