"""Replays over HTTP and Socket.IO: who may start one, bad periods, the per-process limit, isolation from the live
stream and tables, and a recorded storm replayed reaching the state the live wall ended with."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import runtime_of
from dashboard.models import EventLog
from dashboard.services.snapshot import build_snapshot
from tests.conftest import TOKENS, auth, make_fault, now_utc


def fast(services) -> None:
    """The replays' clock runs flat out: a period at 60× plays in the time its reads take."""
    services.replays.wait_factory = lambda: (lambda seconds: False)


def start(client, body, role="dispatcher"):
    return client.post("/api/v1/replays", json=body, headers=auth(role))


def period(minutes_ago=60, minutes=30) -> dict:
    t0 = now_utc() - timedelta(minutes=minutes_ago)
    return {"from": t0.isoformat(), "to": (t0 + timedelta(minutes=minutes)).isoformat(), "speed": 60}


def finish(services, replay_id: str):
    session = services.replays.get(replay_id)
    session.join(10)
    assert not session.running
    return session


@pytest.mark.parametrize("role", ["dispatcher", "executive", "admin"])
def test_supervisors_start_a_replay_of_a_quiet_period(client, services, role):
    fast(services)
    r = start(client, period(), role)
    assert r.status_code == 201, r.json
    assert set(r.json) >= {"id", "from", "to", "speed", "status"} and r.json["speed"] == 60
    session = finish(services, r.json["id"])
    got = client.get(f"/api/v1/replays/{r.json['id']}", headers=auth("viewer")).json
    assert got["status"] == "done" and got["seq"] == 0 and session.snapshot()["workorders"] == []


@pytest.mark.parametrize("role", ["viewer", "ingest"])
def test_a_viewer_or_a_machine_cannot_start_or_stop_one(client, services, role):
    assert start(client, period(), role).status_code == 403
    assert services.replays.all() == []
    r = start(client, period(), "admin")
    assert client.post(f"/api/v1/replays/{r.json['id']}/stop", headers=auth(role)).status_code == 403
    assert services.replays.get(r.json["id"]).status != "stopped"


@pytest.mark.parametrize("body, field", [
    ({"to": "2026-01-01T00:00:00Z", "speed": 10}, "from"),
    ({"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, ""),  # backwards
    ({"from": "2026-01-01T00:00:00Z", "to": "2026-01-01T01:00:00Z", "speed": 61}, "speed"),
    ({"from": "2026-01-01T00:00:00Z", "to": "2026-01-01T01:00:00Z", "speed": 0.5}, "speed"),
    ({"from": "2026-01-01T00:00:00Z", "to": "2026-01-01T01:00:00Z", "speed": "10"}, "speed"),
    ({"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}, ""),  # longer than a week
    ({"from": "2026-01-01T00:00:00", "to": "2026-01-01T01:00:00Z"}, "from"),  # no time zone
])
def test_bad_periods_and_speeds_are_422_and_start_nothing(client, services, body, field):
    r = start(client, body)
    assert r.status_code == 422, r.json
    assert services.replays.all() == []


def test_a_period_in_the_future_is_422(client, services):
    r = start(client, period(minutes_ago=10, minutes=30))
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "to"
    assert services.replays.all() == []


def test_the_process_plays_a_few_replays_at_once_then_says_429(client, services):
    ids = [start(client, period()).json["id"] for _ in range(services.replays.max_running)]  # real clock: still playing
    r = start(client, period())
    assert r.status_code == 429 and r.json["error"]["code"] == "too_many_replays"
    assert len(services.replays.all()) == len(ids)
    stopped = client.post(f"/api/v1/replays/{ids[0]}/stop", headers=auth("executive"))
    assert stopped.status_code == 200 and stopped.json["status"] == "stopped"
    assert start(client, period()).status_code == 201  # one stopped: room for one more


def test_an_unknown_replay_is_404(client):
    for path in ("/api/v1/replays/nope", "/api/v1/replays/nope/snapshot", "/api/v1/replays/nope/updates?after=0"):
        assert client.get(path, headers=auth("viewer")).status_code == 404
    assert client.post("/api/v1/replays/nope/stop", headers=auth("admin")).status_code == 404


def _live_picture(services):
    with services.db.read() as s:
        snap = build_snapshot(s, services.bus, services.catalog, services.clock(), services.rule)
        count = s.scalar(select(func.count()).select_from(EventLog))
    snap.pop("generated_at")
    return snap, count


def test_a_replay_touches_nothing_live_and_live_subscribers_hear_nothing_of_it(app, client, services):
    import time
    rt = runtime_of(app)
    rt.kpis.stop()  # its own pushes (every 15 s, and after changes) are live traffic this test must not mistake
    t0 = now_utc() - timedelta(minutes=5)
    ids = {str(client.post("/api/v1/faults", json=make_fault(lon=116.40 + i / 100), headers=auth("ingest"))
               .json["workorder_id"]) for i in range(5)}
    deadline, seen = time.time() + 10, None  # wait till the live stream has pushed it all: then it is quiet
    while time.time() < deadline:
        pushed = ids <= {c["id"] for u in services.recent.items() for c in u["changes"]}
        now_seq = (services.bus.current_seq(), len(rt.bridge.coalescer))
        if pushed and now_seq == seen and not now_seq[1]:
            break
        seen = now_seq
        time.sleep(0.3)
    frozen = now_utc()
    services.clock = lambda: frozen  # the live figures that run with time (levels, queues' waits) hold still
    live = rt.socketio.test_client(app.server, namespace="/live", auth={"token": TOKENS["viewer"]})
    live.get_received("/live")
    before = _live_picture(services)
    fast(services)
    r = start(client, {"from": t0.isoformat(), "to": frozen.isoformat(), "speed": 60})
    watcher = rt.socketio.test_client(app.server, namespace="/replay",
                                      auth={"token": TOKENS["viewer"], "replay": r.json["id"]})
    session = finish(services, r.json["id"])
    assert session.seq >= 1 and session.sent_changes >= 5
    after = _live_picture(services)
    for key in before[0]:
        assert after[0][key] == before[0][key], key
    assert after == before  # the live tables, their snapshot and the event log as they were
    assert [m for m in live.get_received("/live") if m["name"] == "update"] == []
    assert watcher.is_connected("/replay")
    replayed = {str(o["id"]) for o in session.snapshot()["workorders"]}
    assert replayed == {str(o["id"]) for o in before[0]["workorders"]}
    live.disconnect("/live")
    watcher.disconnect("/replay")


def test_a_wall_joins_a_replay_and_gets_its_updates_in_seq_order(app, client, services):
    rt = runtime_of(app)
    t0 = now_utc() - timedelta(minutes=5)
    for i in range(3):
        client.post("/api/v1/faults", json=make_fault(lon=116.40 + i / 100), headers=auth("ingest"))
    gate = []
    services.replays.wait_factory = lambda: (lambda seconds: gate.append(seconds) or False)
    r = start(client, {"from": t0.isoformat(), "to": now_utc().isoformat(), "speed": 60})
    finish(services, r.json["id"])
    assert gate and set(gate) == {0.25}  # paced in windows of 250 ms of playback
    snap = client.get(f"/api/v1/replays/{r.json['id']}/snapshot?order_fields=status", headers=auth("viewer")).json
    assert snap["replay"]["id"] == r.json["id"] and all(set(o) == {"id", "status"} for o in snap["workorders"])
    ups = client.get(f"/api/v1/replays/{r.json['id']}/updates?after=0", headers=auth("viewer")).json["updates"]
    assert [u["seq"] for u in ups] == list(range(1, snap["seq"] + 1))
    assert all(u["replay"] == r.json["id"] for u in ups)
    # No token, no replay: nobody listens in unannounced; an unknown replay is refused too.
    assert not rt.socketio.test_client(app.server, namespace="/replay", auth={"replay": r.json["id"]}).is_connected("/replay")
    assert not rt.socketio.test_client(app.server, namespace="/replay",
                                       auth={"token": TOKENS["viewer"], "replay": "nope"}).is_connected("/replay")
    # A machine's token may not open the wall, so it may not watch one either; a person's may.
    assert not rt.socketio.test_client(app.server, namespace="/replay",
                                       auth={"token": TOKENS["ingest"], "replay": r.json["id"]}).is_connected("/replay")
    assert rt.socketio.test_client(app.server, namespace="/replay",
                                   auth={"token": TOKENS["viewer"], "replay": r.json["id"]}).is_connected("/replay")


def _entities(snap, kind):
    return {str(e["id"]): e for e in snap[kind]}


def test_a_recorded_storm_replayed_at_60x_ends_where_the_live_wall_ended(services, client):
    from dashboard.simulator.storm import StormSimulator
    t0 = now_utc().replace(microsecond=0) - timedelta(hours=2)
    clock = [t0]
    services.clock = lambda: clock[0]
    sim = StormSimulator(services, seed=7, speed=6)
    sim.setup()
    for _ in range(400):  # the storm, live, one second a step
        clock[0] += timedelta(seconds=1)
        sim.step()
    with services.db.read() as s:
        live = build_snapshot(s, services.bus, services.catalog, clock[0], services.rule)
    assert len(live["workorders"]) > 5 and live["outages"] and live["crews"]
    clock[0] += timedelta(seconds=1)
    fast(services)
    r = start(client, {"from": (t0 - timedelta(seconds=1)).isoformat(), "to": clock[0].isoformat(), "speed": 60})
    assert r.status_code == 201, r.json
    replayed = finish(services, r.json["id"]).snapshot()
    assert replayed["replay"]["status"] == "done"
    # Entity by entity: the same orders, crews, outages, seats and queues, in the same state. A queue's figures are
    # recomputed at each read (its waiting times run on), so a queue is compared as pushed, by id.
    for kind in ("workorders", "crews", "outages", "seats"):
        assert _entities(replayed, kind) == _entities(live, kind), kind
    assert _entities(replayed, "queues").keys() == _entities(live, "queues").keys()
    assert replayed["kpis"]["open"] == live["kpis"]["open"]
