"""Two server processes behind one Redis: a fault posted to one reaches a Socket.IO client of the other, and
either process can hand out the updates a client missed."""
import shutil
import threading
import time

import pytest
import requests
import socketio

from tests.conftest import TOKENS, make_fault
from tests.support.processes import ServerProcess
from tests.support.servers import free_port

pytestmark = pytest.mark.multiprocess


@pytest.fixture
def two_servers(tmp_path, sqlite_template, redis_server):
    db = tmp_path / "shared.db"
    shutil.copy(sqlite_template, db)
    env = {"GRIDCMD_DATABASE_URL": f"sqlite:///{db}", "GRIDCMD_REDIS_URL": redis_server.url,
           "GRIDCMD_SECRET_KEY": "shared-secret",
           "GRIDCMD_API_TOKENS": ",".join(f"{v}:{k}" for k, v in TOKENS.items())}
    servers = [ServerProcess(free_port(), env, tmp_path / f"server{i}.log") for i in range(2)]
    for s in servers:
        s.start()
    yield servers
    for s in servers:
        s.stop()


def test_fault_posted_to_one_process_reaches_a_client_of_the_other(two_servers):
    a, b = two_servers
    received, hello, done = [], [], threading.Event()
    sio = socketio.Client(reconnection=False)

    @sio.on("hello", namespace="/live")
    def _hello(data):
        hello.append(data)

    @sio.on("update", namespace="/live")
    def _update(data):
        received.append(data)
        if any(c["kind"] == "workorder" for c in data["changes"]):
            done.set()

    sio.connect(b.url, namespaces=["/live"], auth={"token": TOKENS["viewer"]}, transports=["websocket"])
    try:
        assert sio.connected
        deadline = time.monotonic() + 10
        while not hello and time.monotonic() < deadline:
            time.sleep(0.05)
        # Leadership settles within a lease; post until an update arrives (each post is a distinct report).
        order = None
        deadline = time.monotonic() + 20
        while not done.is_set() and time.monotonic() < deadline:
            r = requests.post(f"{a.url}/api/v1/faults", json=make_fault(),
                              headers={"Authorization": f"Bearer {TOKENS['ingest']}"}, timeout=5)
            assert r.status_code == 201
            order = str(r.json()["workorder_id"])
            done.wait(1.0)
        assert done.is_set(), "no update reached the other process's client"
        ids = {c["id"] for u in received for c in u["changes"] if c["kind"] == "workorder"}
        assert order in ids  # every post lands in the same spot, so they all join this one order
        seqs = [u["seq"] for u in received]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
        for server in (a, b):
            health = requests.get(f"{server.url}/api/v1/healthz", timeout=5).json()
            assert health["bus"]["kind"] == "redis" and health["bus"]["ok"]
        # A browser that missed this update fetches it from whichever process it talks to, not only from the
        # one that emitted it: the recent updates are kept in Redis.
        missed = received[-1]
        for server in (a, b):
            r = requests.get(f"{server.url}/api/v1/updates?after={missed['seq'] - 1}",
                             headers={"Authorization": f"Bearer {TOKENS['viewer']}"}, timeout=5)
            assert r.status_code == 200 and r.json()["updates"][0] == missed
    finally:
        sio.disconnect()
