"""Outage reported → the grid manager's webhook receiver holds the notice: p50/p99 (the rule is 60 s, the target
p99 ≤ 5 s), with the receiver answering at once or slowly.

A server process (python app.py, SQLite, in-process bus) with GRIDCMD_NOTIFY pointing at a webhook receiver in
this process (loopback, one thread per request). --grids grids get a manager and a liaison (PUT /grids/{id}/contacts);
then --outages unplanned outages are posted (POST /outages, one grid each, cycling) at --rate/s. Latency runs from
just before the POST to the moment the receiver has read the notice's body. Lost = outages whose notice never
arrived within --grace s; duplicated = one notice id taken twice.

    python bench/notices.py                           # 200 outages at 10/s, receiver answering at once
    python bench/notices.py --slow-ms 200             # a receiver taking 200 ms per notice
    python bench/notices.py --customers 1000          # and then: one outage with 1,000 customers to tell

With --customers N, a second phase follows in the same server: a feeder with N registered customers below it is
opened by automation (confirmed at once), so all N are told through GRIDCMD_NOTIFY_CUSTOMERS, an SMS gateway here
answering in --customer-slow-ms (200) per POST of --customer-batch recipients. Reported: the time from the open
to the last customer's notice at the gateway, and the live push latency (a fault posted → a Socket.IO viewer holds
its order) sampled at --push-rate/s for --push-seconds before the flood, and again during it.
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
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.support.processes import ServerProcess  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

TOKEN, VIEWER = "bench-ingest", "bench-viewer"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


class Receiver:
    """Keeps the arrival time of every notice id (and how many recipients it named); answers after `slow_s`."""

    def __init__(self, slow_s: float) -> None:
        self.arrived: dict[str, float] = {}
        self.recipients: dict[str, int] = {}
        self.answered: dict[str, float] = {}  # when the receiver answered it (after its `slow_s`)
        self.duplicates = 0
        lock, receiver = threading.Lock(), self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                with lock:
                    if body["id"] in receiver.arrived:
                        receiver.duplicates += 1
                    receiver.arrived.setdefault(body["id"], time.time())
                    receiver.recipients[body["id"]] = len(body.get("recipients") or [])
                time.sleep(slow_s)
                receiver.answered[body["id"]] = time.time()
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
    p.add_argument("--customers", type=int, default=0, help="then one outage with this many customers to tell")
    p.add_argument("--customer-slow-ms", type=float, default=200, help="the SMS gateway's time per POST")
    p.add_argument("--customer-batch", type=int, default=100, help="recipients per notice (GRIDCMD_NOTIFY_CUSTOMER_BATCH)")
    p.add_argument("--push-rate", type=float, default=10, help="faults posted per second to sample the live push")
    p.add_argument("--push-seconds", type=float, default=10, help="how long the push is sampled without the flood")
    args = p.parse_args()
    receiver = Receiver(args.slow_ms / 1000)
    gateway = Receiver(args.customer_slow_ms / 1000)
    work = Path(tempfile.mkdtemp(prefix="gridcmd-notices-"))
    env = {"GRIDCMD_DATABASE_URL": f"sqlite:///{work / 'notices.db'}", "GRIDCMD_SECRET_KEY": "bench",
           "GRIDCMD_API_TOKENS": f"{TOKEN}:ingest,{VIEWER}:viewer", "GRIDCMD_REDIS_URL": "",
           "GRIDCMD_NOTIFY": f"webhook+{receiver.url}", "GRIDCMD_NOTIFY_CUSTOMERS": f"webhook+{gateway.url}",
           "GRIDCMD_NOTIFY_CUSTOMER_BATCH": str(args.customer_batch)}
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
        if args.customers:
            customer_flood(server.url, session, gateway, args)
    finally:
        server.stop()
        receiver.server.shutdown()
        gateway.server.shutdown()


class PushProbe:
    """A wall's Socket.IO viewer, and faults posted at a steady rate: when each fault's order reaches the viewer."""

    def __init__(self, url: str) -> None:
        self.url, self.seen, self.lock = url, {}, threading.Lock()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("update", self._update, namespace="/live")
        self.sio.connect(url, namespaces=["/live"], auth={"token": VIEWER}, transports=["websocket"])
        self.n = 0

    def _update(self, data) -> None:
        now = time.time()
        with self.lock:
            for c in data.get("changes", []):
                if c["kind"] == "workorder":
                    self.seen.setdefault(int(c["id"]), now)

    def sample(self, rate: float, until) -> list[float]:
        """Posts one fault every 1/rate s until `until()` is true; the push latency of each (s)."""
        session, posted = requests.Session(), {}
        while not until():
            self.n += 1
            body = {"external_id": f"PUSH-{self.n}", "reported_at": datetime.now(timezone.utc).isoformat(),
                    "lon": 116.30 + (self.n % 100) * 0.002, "lat": 39.95, "category": "customer_internal"}
            at = time.time()
            answer = session.post(f"{self.url}/api/v1/faults", json=body, headers=HEADERS, timeout=30)
            answer.raise_for_status()
            posted[answer.json()["workorder_id"]] = at
            time.sleep(max(0.0, at + 1 / rate - time.time()))
        deadline = time.time() + 5
        while time.time() < deadline and not all(k in self.seen for k in posted):
            time.sleep(0.05)
        with self.lock:
            return [self.seen[k] - at for k, at in posted.items() if k in self.seen]


def customer_flood(url: str, session: requests.Session, gateway: Receiver, args) -> None:
    """One feeder, `args.customers` registered customers below it (ten transformers), opened by automation."""
    devices = [{"id": "BS", "kind": "station", "parent_id": None}, {"id": "BF", "kind": "feeder", "parent_id": "BS"}]
    per = max(1, args.customers // 10)
    devices += [{"id": f"BT{i}", "kind": "transformer", "parent_id": "BF", "customers": per} for i in range(10)]
    session.put(f"{url}/api/v1/topology", json={"devices": devices}, headers=HEADERS, timeout=60).raise_for_status()
    items = [{"customer_id": f"BC{k:05d}", "transformer_id": f"BT{k % 10}", "name": f"客户{k}",
              "phone": f"139{k:08d}"} for k in range(args.customers)]
    for i in range(0, len(items), 5000):
        session.post(f"{url}/api/v1/customers", json={"items": items[i:i + 5000]}, headers=HEADERS,
                     timeout=60).raise_for_status()
    probe = PushProbe(url)
    try:
        stop = time.time() + args.push_seconds
        quiet = probe.sample(args.push_rate, lambda: time.time() >= stop)
        told = lambda: sum(n for k, n in gateway.recipients.items() if ":customers:" in k)  # noqa: E731
        opened = time.time()
        session.post(f"{url}/api/v1/devices/events", headers=HEADERS, timeout=30, json={"items": [
            {"device_id": "BF", "state": "open", "at": datetime.now(timezone.utc).isoformat()}]}).raise_for_status()
        open_s = time.time() - opened  # 研判, and the customers' outbox written in the same transaction
        deadline = opened + args.grace
        flood = probe.sample(args.push_rate, lambda: told() >= args.customers or time.time() >= deadline)
        deadline = time.time() + args.customer_slow_ms / 1000 + 5
        while time.time() < deadline and len(gateway.answered) < len(gateway.arrived):
            time.sleep(0.05)
        arrivals = [t for k, t in gateway.arrived.items() if ":customers:" in k]
        answered = [t for k, t in gateway.answered.items() if ":customers:" in k]
        batches = len(arrivals)
        print(f"\none outage, {args.customers} customers below it, batches of {args.customer_batch}, the gateway "
              f"answering in {args.customer_slow_ms:g} ms per POST:")
        print(f"the open's request (研判, its outage and order, {args.customers} customers queued in its "
              f"transaction): {open_s * 1000:.0f} ms")
        if arrivals:
            print(f"open → all customers' notices delivered (the gateway answered the last): "
                  f"{max(answered) - opened:.2f} s "
                  f"({told()} customers in {batches} notices, first after {min(arrivals) - opened:.2f} s; "
                  f"duplicated {gateway.duplicates})")
        for name, values in (("without the flood", quiet), ("during the flood", flood)):
            if values:
                print(f"live push (fault posted → the wall's viewer holds its order) {name}: "
                      f"p50 {statistics.median(values) * 1000:.0f} ms, p99 {percentile(values, 0.99) * 1000:.0f} ms "
                      f"({len(values)} samples)")
    finally:
        probe.sio.disconnect()


if __name__ == "__main__":
    main()
