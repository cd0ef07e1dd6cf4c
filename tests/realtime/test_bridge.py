"""The /live namespace: auth on connect, hello, coalesced updates with seq, snapshot ack, district filters."""
import time

import pytest

from app import runtime_of
from tests.conftest import TOKENS, auth, make_fault


def _connect(app, token=TOKENS["viewer"], **kw):
    rt = runtime_of(app)
    return rt.socketio.test_client(app.server, namespace="/live", auth={"token": token} if token else None, **kw)


def _updates(client, wait=1.5, until=None):
    got, deadline = [], time.monotonic() + wait
    while time.monotonic() < deadline:
        got += [m for m in client.get_received("/live") if m["name"] == "update"]
        if until and until(got):
            break
        time.sleep(0.02)
    return got


@pytest.mark.parametrize("token", [None, "wrong"])
def test_unauthenticated_connect_is_refused(app, token):
    client = _connect(app, token)
    assert not client.is_connected("/live")


def test_hello_then_update_with_next_seq(app):
    client = _connect(app)
    assert client.is_connected("/live")
    hello = [m for m in client.get_received("/live") if m["name"] == "hello"][0]["args"][0]
    r = app.server.test_client().post("/api/v1/faults", json=make_fault(), headers=auth("ingest"))
    updates = _updates(client, until=lambda u: any(c["kind"] == "workorder" for x in u for c in x["args"][0]["changes"]))
    body = updates[0]["args"][0]
    assert body["seq"] == hello["seq"] + 1
    change = next(c for c in body["changes"] if c["kind"] == "workorder")
    assert change["op"] == "upsert" and change["id"] == str(r.json["workorder_id"])
    assert "districts" not in change  # routing data never leaves the server
    seqs = [u["args"][0]["seq"] for u in updates]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_a_burst_is_coalesced_into_few_updates_with_no_change_lost(app):
    client = _connect(app)
    client.get_received("/live")
    http = app.server.test_client()
    ids = {str(http.post("/api/v1/faults", json=make_fault(lon=116.2 + i / 100, lat=39.9), headers=auth("ingest"))
               .json["workorder_id"]) for i in range(30)}
    updates = _updates(client, wait=3, until=lambda u: ids <= {c["id"] for x in u for c in x["args"][0]["changes"]
                                                               if c["kind"] == "workorder"})
    seen = {c["id"] for u in updates for c in u["args"][0]["changes"] if c["kind"] == "workorder"}
    assert ids <= seen
    assert len(updates) < 30


def test_snapshot_ack_and_subscribe_filters_by_district(app):
    client = _connect(app)
    snap = client.emit("snapshot", namespace="/live", callback=True)
    assert set(snap) >= {"seq", "workorders", "crews", "kpis"}
    ack = client.emit("subscribe", {"districts": ["海淀区"]}, namespace="/live", callback=True)
    assert ack["ok"] and ack["districts"] == ["海淀区"]
    bad = client.emit("subscribe", {"districts": "海淀区"}, namespace="/live", callback=True)
    assert bad["error"]["code"] == "invalid_subscription"
    client.get_received("/live")
    http = app.server.test_client()
    http.post("/api/v1/faults", json=make_fault(lon=116.4075, lat=39.9040), headers=auth("ingest"))  # 东城区
    haidian = http.post("/api/v1/faults", json=make_fault(lon=116.3160, lat=39.9830), headers=auth("ingest")).json
    updates = _updates(client, wait=2, until=lambda u: any(
        c["id"] == str(haidian["workorder_id"]) for x in u for c in x["args"][0]["changes"]))
    order_ids = {c["id"] for u in updates for c in u["args"][0]["changes"] if c["kind"] == "workorder"}
    assert order_ids == {str(haidian["workorder_id"])}
