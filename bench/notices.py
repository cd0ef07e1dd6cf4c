"""Outage reported → the grid manager's webhook receiver holds the notice: p50/p99 (the rule is 60 s, the target
p99 ≤ 5 s), with the receiver answering at once or slowly.

A server process (python app.py, SQLite, in-process bus) with GRIDCMD_NOTIFY pointing at a webhook receiver in
this process (loopback, one thread per request). --grids grids get a manager and a liaison (PUT /grids/{id}/contacts);
then --outages unplanned outages are posted (POST /outages, one grid each, cycling) at --rate/s. Latency runs from
just before the POST to the moment the receiver has read the notice's body. Lost = outages whose notice never
arrived within --grace s; duplicated = one notice id taken twice.

    python bench/notices.py                           # 200 outages at 10/s, receiver answering at once
    python bench/notices.py --slow-ms 200             # a receiver taking 200 ms per notice
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.support.processes import ServerProcess  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

TOKEN = "bench-ingest"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


class Receiver:
    """Keeps the arrival time of every notice id; answers after `slow_s`."""

    def __init__(self, slow_s: float) -> None:
        self.arrived: dict[str, float] = {}
        self.duplicates = 0
        lock, receiver = threading.Lock(), self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                with lock:
                    if body["id"] in receiver.arrived:
                        receiver.duplicates += 1
                    receiver.arrived.setdefault(body["id"], time.time())
                time.sleep(slow_s)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--outages", type=int, default=200)
    p.add_argument("--rate", type=float, default=10, help="outages posted per second")
    p.add_argument("--grids", type=int, default=50)
    p.add_argument("--slow-ms", type=float, default=0, help="the receiver's time per notice")
    p.add_argument("--grace", type=float, default=60)
    args = p.parse_args()
    receiver = Receiver(args.slow_ms / 1000)
    work = Path(tempfile.mkdtemp(prefix="gridcmd-notices-"))
    env = {"GRIDCMD_DATABASE_URL": f"sqlite:///{work / 'notices.db'}", "GRIDCMD_SECRET_KEY": "bench",
           "GRIDCMD_API_TOKENS": f"{TOKEN}:ingest", "GRIDCMD_REDIS_URL": "",
           "GRIDCMD_NOTIFY": f"webhook+{receiver.url}"}
    server = ServerProcess(free_port(), env, work / "server.log").start()
    try:
        session = requests.Session()
        grids = [f["properties"]["id"] for f in session.get(f"{server.url}/api/v1/grids", headers=HEADERS,
                                                            timeout=30).json()["features"]][:args.grids]
        for n, grid in enumerate(grids):
            body = {"manager": {"name": f"经理{n}", "phone": f"138{n:08d}"},
                    "liaisons": [{"name": f"联络员{n}", "phone": f"139{n:08d}", "village": f"{n}号村"}]}
            session.put(f"{server.url}/api/v1/grids/{grid}/contacts", json=body, headers=HEADERS,
                        timeout=30).raise_for_status()
        sent: dict[str, float] = {}
        t0 = time.time()
        for n in range(args.outages):
            due = t0 + n / args.rate
            if time.time() < due:
                time.sleep(due - time.time())
            grid = grids[n % len(grids)]
            body = {"external_id": f"BN-{n}", "kind": "unplanned", "grid_ids": [grid],
                    "start": datetime.now(timezone.utc).isoformat(), "customers_affected": 100 + n}
            at = time.time()
            answer = session.post(f"{server.url}/api/v1/outages", json=body, headers=HEADERS, timeout=30)
            answer.raise_for_status()
            sent[f"outage:{answer.json()['id']}:{grid}:opened"] = at
        deadline = time.time() + args.grace
        while time.time() < deadline and not all(k in receiver.arrived for k in sent):
            time.sleep(0.1)
        latencies = [receiver.arrived[k] - at for k, at in sent.items() if k in receiver.arrived]
        lost = len(sent) - len(latencies)
        print(f"{len(sent)} outages at {args.rate:g}/s, receiver {args.slow_ms:g} ms per notice")
        if latencies:
            print(f"outage posted → notice at the receiver: p50 {statistics.median(latencies) * 1000:.0f} ms, "
                  f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
                  f"(target p99 ≤ 5000 ms; the rule is 60 s)")
        print(f"lost {lost}, duplicated {receiver.duplicates}")
    finally:
        server.stop()
        receiver.server.shutdown()


if __name__ == "__main__":
    main()
