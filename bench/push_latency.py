"""Ingest -> browser latency: N Socket.IO clients vs the usual Dash way (dcc.Interval polling /snapshot at 1 s).

Each phase runs against a fresh server process (python app.py, SQLite, in-process bus) preloaded with open
orders, so the snapshot has a realistic size. Faults are posted at R/s for S seconds in batches; every report is
a new order (category customer_internal, which is never grouped). Latency is from just before the POST to the
moment a client holds the order. Bytes are JSON payload bytes received per client per minute.

    python bench/push_latency.py --clients 50 --rate 500 --seconds 20 --poll-clients 10
    python bench/push_latency.py --hostile     # Redis deployment; one client floods `subscribe` (hostile_subscriber.py)
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.support.processes import ServerProcess  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

TOKEN, VIEWER = "bench-ingest", "bench-viewer"
BOX = (116.10, 39.70, 116.70, 40.15)  # the built-up part of Beijing


def fault(n: int, rng: random.Random) -> dict:
    return {"external_id": f"B-{n:08d}", "reported_at": datetime.now(timezone.utc).isoformat(),
            "lon": round(rng.uniform(BOX[0], BOX[2]), 6), "lat": round(rng.uniform(BOX[1], BOX[3]), 6),
            "category": "customer_internal"}


def start_server(workdir: Path, name: str, redis_url: str = "", root: Path = ROOT) -> ServerProcess:
    env = {"GRIDCMD_DATABASE_URL": f"sqlite:///{workdir / (name + '.db')}", "GRIDCMD_SECRET_KEY": "bench",
           "GRIDCMD_API_TOKENS": f"{TOKEN}:ingest,{VIEWER}:viewer", "GRIDCMD_REDIS_URL": redis_url}
    return ServerProcess(free_port(), env, workdir / f"{name}.log", root=root).start()


def preload(url: str, count: int, rng: random.Random, start: int) -> int:
    session = requests.Session()
    n = start
    while n < start + count:
        items = [fault(i, rng) for i in range(n, min(n + 500, start + count))]
        r = session.post(f"{url}/api/v1/faults", json={"items": items}, headers={"Authorization": f"Bearer {TOKEN}"})
        r.raise_for_status()
        n += len(items)
    return n


def _post_loop(url: str, rate: int, seconds: float, batch: int, first: int, out) -> None:
    """Runs in its own process, so the clients' work never slows the load down (one GIL each)."""
    rng = random.Random(first)
    session = requests.Session()
    sent: dict[str, float] = {}
    took: list[float] = []
    errors, n, k = 0, first, 0
    interval = batch / rate
    t0 = time.time()
    while (now := time.time()) - t0 < seconds:
        due = t0 + k * interval
        if now < due:
            time.sleep(due - now)
        items = [fault(n + i, rng) for i in range(batch)]
        n += batch
        at = time.time()
        r = session.post(f"{url}/api/v1/faults", json={"items": items},
                         headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        took.append(time.time() - at)
        if r.status_code != 200:
            errors += 1
        else:
            for res in r.json()["results"]:
                if res.get("status") == 201:
                    sent[str(res["workorder_id"])] = at
        k += 1
    out.send((sent, errors, len(sent) / (time.time() - t0), took))


class Load:
    """Posts R faults/s for S seconds in batches from `senders` processes (upstream systems post concurrently:
    the 95598 platform, the automation feed, ...), each with its own connection and R/senders; records when
    each order was sent."""

    def __init__(self, url: str, rate: int, seconds: float, batch: int, first: int, senders: int = 2):
        self.url, self.rate, self.seconds, self.batch, self.first, self.senders = url, rate, seconds, batch, first, senders
        self.sent: dict[str, float] = {}
        self.errors = 0
        self.achieved = 0.0
        self.post_seconds: list[float] = []
        self.steal = 0.0

    def run(self) -> None:
        before = cpu_times()
        procs = []
        for k in range(self.senders):
            ours, theirs = multiprocessing.Pipe(duplex=False)
            first = self.first + k * 10 * self.rate * int(self.seconds + 1)  # disjoint external ids per sender
            proc = multiprocessing.Process(target=_post_loop, args=(
                self.url, self.rate / self.senders, self.seconds, self.batch, first, theirs))
            proc.start()
            procs.append((proc, ours))
        for proc, ours in procs:
            sent, errors, achieved, took = ours.recv()
            self.sent |= sent
            self.errors += errors
            self.achieved += achieved
            self.post_seconds += took
            proc.join()
        self.steal = steal_share(before, cpu_times())


def cpu_times() -> list[int]:
    """The machine's `cpu` line of /proc/stat (user nice system idle iowait irq softirq steal ...), in ticks."""
    with open("/proc/stat") as f:
        return [int(v) for v in f.readline().split()[1:9]]


def steal_share(before: list[int], after: list[int]) -> float:
    """Of all CPU time in the interval, the part the hypervisor gave to someone else: on a shared VM this can
    be large, and it shows up as latency no code of ours can remove."""
    delta = [b - a for a, b in zip(before, after)]
    return delta[7] / max(sum(delta), 1)


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    if len(values) == 1:
        return dict.fromkeys(("p50", "p95", "p99"), values[0])
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p95": q[94], "p99": q[98]}


def _client_worker(url: str, count: int, measure_bytes: bool, ready, go, stop, out) -> None:
    """A process holding `count` Socket.IO clients on one asyncio loop, the way a browser holds one: no thread
    per message (the threaded client spent more CPU than the server). Reports when each client first held
    each order, and the flush time (`at`) of the update that carried it."""
    import asyncio

    seen = [dict() for _ in range(count)]
    dups = [0] * count
    nbytes = [0]

    def handler(i: int):
        def on_update(data):
            now = time.time()
            flushed = datetime.fromisoformat(data["at"]).timestamp()
            if measure_bytes and i == 0:  # every client gets the same stream: size it once
                nbytes[0] += len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
            versions = set()
            for c in data["changes"]:
                if c["kind"] == "workorder":
                    key = (c["id"], c["data"]["version"])
                    if key in versions:
                        dups[i] += 1
                    versions.add(key)
                    seen[i].setdefault(c["id"], (flushed, now))
        return on_update

    async def main() -> None:
        socks = []
        for i in range(count):
            sio = socketio.AsyncClient(reconnection=False)
            sio.on("update", handler(i), namespace="/live")
            await sio.connect(url, namespaces=["/live"], auth={"token": VIEWER}, transports=["websocket"])
            socks.append(sio)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.2)
        for sock in socks:
            await sock.disconnect()

    asyncio.run(main())
    out.send((seen, sum(dups), nbytes[0]))


def run_push_clients(url: str, clients: int, load: Load, grace: float, processes: int = 5,
                     during: Callable[[], None] | None = None) -> tuple[list[dict], int, int, float]:
    """Holds `clients` Socket.IO clients while `load` runs (and `during`, if given, in a thread); returns what each
    client saw, duplicates, bytes and the minutes measured."""
    processes = max(1, min(processes, clients))
    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()
    workers = []
    for p in range(processes):
        count = clients // processes + (1 if p < clients % processes else 0)
        ready, (ours, theirs) = ctx.Event(), ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_client_worker, args=(url, count, p == 0, ready, None, stop, theirs))
        proc.start()
        workers.append((proc, ready, ours))
    for _, ready, _ in workers:
        ready.wait(120)
    time.sleep(1.0)
    started = time.time()
    side = threading.Thread(target=during, daemon=True) if during else None
    if side:
        side.start()
    load.run()
    time.sleep(grace)
    if side:
        side.join()
    minutes = (time.time() - started) / 60
    stop.set()
    seen, dups, nbytes = [], 0, 0
    for proc, _, ours in workers:
        s, d, b = ours.recv()
        seen += s
        dups += d
        nbytes += b
        proc.join()
    return seen, dups, nbytes, minutes


def latencies(seen: list[dict], sent: dict[str, float]) -> tuple[list[float], list[float], list[float], int]:
    """POST -> client, POST -> flush and flush -> client for every (client, order) pair, and how many were lost."""
    total, to_flush, to_client, lost = [], [], [], 0
    for held in seen:
        for oid, at in sent.items():
            if oid in held:
                flushed, got = held[oid]
                total.append(got - at)
                to_flush.append(flushed - at)
                to_client.append(got - flushed)
            else:
                lost += 1
    return total, to_flush, to_client, lost


def push_phase(url: str, clients: int, load: Load, grace: float, processes: int = 5) -> dict:
    seen, dups, nbytes, minutes = run_push_clients(url, clients, load, grace, processes)
    total, to_flush, to_client, lost = latencies(seen, load.sent)
    return {"latency": percentiles(total), "post_to_flush": percentiles(to_flush),
            "flush_to_client": percentiles(to_client), "lost": lost, "duplicated": dups,
            "bytes_per_client_min": nbytes / minutes, "achieved_rate": load.achieved,
            "orders": len(load.sent), "post_errors": load.errors, "post": percentiles(load.post_seconds),
            "steal": load.steal}


def poll_phase(url: str, clients: int, load: Load, grace: float) -> dict:
    seen = [dict() for _ in range(clients)]
    nbytes = [0] * clients
    slow = [0.0] * clients
    stop = threading.Event()

    def poller(i: int) -> None:
        session = requests.Session()
        time.sleep(random.random())  # browsers do not poll in lockstep
        while not stop.is_set():
            t = time.time()
            r = session.get(f"{url}/api/v1/snapshot", headers={"Authorization": f"Bearer {VIEWER}"}, timeout=60)
            got = time.time()
            nbytes[i] += len(r.content)
            slow[i] = max(slow[i], got - t)
            for o in r.json()["workorders"]:
                seen[i].setdefault(str(o["id"]), got)
            stop.wait(max(0.0, 1.0 - (time.time() - t)))  # dcc.Interval(1000): next tick

    threads = [threading.Thread(target=poller, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    started = time.time()
    load.run()
    time.sleep(grace)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    minutes = (time.time() - started) / 60
    latencies, lost = [], 0
    for i in range(clients):
        for oid, sent in load.sent.items():
            if oid in seen[i]:
                latencies.append(seen[i][oid] - sent)
            else:
                lost += 1
    return {"latency": percentiles(latencies), "lost": lost, "duplicated": 0,
            "bytes_per_client_min": statistics.mean(nbytes) / minutes, "achieved_rate": load.achieved,
            "orders": len(load.sent), "post_errors": load.errors, "slowest_poll_s": max(slow), "steal": load.steal}


def fmt(label: str, r: dict) -> str:
    lat = r["latency"]
    ms = lambda v: "n/a" if v is None else f"{v * 1000:.0f} ms"  # noqa: E731
    return (f"{label:<26} p50 {ms(lat['p50']):>8}  p95 {ms(lat['p95']):>8}  p99 {ms(lat['p99']):>8}  "
            f"rate {r['achieved_rate']:.0f}/s  orders {r['orders']}  lost {r['lost']}  dup {r['duplicated']}  "
            f"{r['bytes_per_client_min'] / 1e6:.2f} MB/client/min  cpu steal {r['steal']:.0%}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--poll-clients", type=int, default=10)
    p.add_argument("--rate", type=int, default=500)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--batch", type=int, default=25, help="reports per POST")
    p.add_argument("--preload", type=int, default=2000, help="open orders before measuring")
    p.add_argument("--grace", type=float, default=3.0)
    p.add_argument("--senders", type=int, default=2, help="concurrent posting processes sharing the rate")
    p.add_argument("--push-only", action="store_true", help="skip the polling baseline (for quick diagnosis)")
    p.add_argument("--client-processes", type=int, default=5, help="processes the push clients are spread over")
    p.add_argument("--hostile", action="store_true",
                   help="instead: a Redis deployment where one client floods `subscribe` mid-run, then leaves")
    p.add_argument("--hostile-rate", type=int, default=100, help="reports/s during the --hostile run")
    p.add_argument("--window", type=float, default=10.0, help="seconds before, during and after (--hostile)")
    p.add_argument("--server-root", help="run the server from another checkout (to compare versions)")
    args = p.parse_args()
    rng = random.Random(1)
    workdir = Path(tempfile.mkdtemp(prefix="gridcmd-bench-"))
    if args.hostile:
        from bench.hostile_subscriber import hostile_phase
        hostile_phase(args, workdir)
        return
    results = {}
    phases = (("push", args.clients),) if args.push_only else (("push", args.clients), ("poll", args.poll_clients))
    for name, clients in phases:
        server = start_server(workdir, name)
        try:
            first = preload(server.url, args.preload, rng, 10_000_000 if name == "poll" else 0)
            load = Load(server.url, args.rate, args.seconds, args.batch, first, args.senders)
            results[name] = (push_phase(server.url, clients, load, args.grace, args.client_processes)
                             if name == "push" else poll_phase(server.url, clients, load, args.grace))
        finally:
            server.stop()
    print(f"load: {args.rate} reports/s for {args.seconds:.0f} s in batches of {args.batch}, "
          f"{args.preload} open orders preloaded; 2 cores")
    print(fmt(f"push  ({args.clients} Socket.IO)", results["push"]))
    for part in ("post", "post_to_flush", "flush_to_client"):
        lat = results["push"][part]
        print(f"  push {part.replace('_', ' ')}: p50 {lat['p50'] * 1000:.0f} ms  p99 {lat['p99'] * 1000:.0f} ms")
    if args.push_only:
        return
    print(fmt(f"poll  ({args.poll_clients} x 1 s snapshot)", results["poll"]))
    pl, po = results["push"]["latency"]["p50"], results["poll"]["latency"]["p50"]
    if pl and po:
        print(f"median latency: polling / push = {po / pl:.1f}x")
    print(f"bytes per client per minute: polling / push = "
          f"{results['poll']['bytes_per_client_min'] / max(results['push']['bytes_per_client_min'], 1):.1f}x")
    print(f"slowest single poll: {results['poll']['slowest_poll_s']:.2f} s; logs in {workdir}")


if __name__ == "__main__":
    main()
