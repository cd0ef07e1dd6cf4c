"""A hostile live client (Redis deployment): one viewer floods `subscribe`, connecting again whenever it is cut
off, then leaves; everyone else's push latency before, during and after, the routes left in Redis, the server's CPU.

    python bench/push_latency.py --hostile --clients 20 --window 10 [--server-root OTHER_CHECKOUT]
"""
from __future__ import annotations

import multiprocessing
import os
import random
import time
from pathlib import Path

import requests
import socketio

from bench.push_latency import (ROOT, VIEWER, Load, latencies, percentiles, preload, run_push_clients,
                                start_server)


def _hostile_worker(url: str, seconds: float, districts: list[str], out) -> None:
    """One viewer that subscribes as fast as it can (half made-up districts, half combinations of real ones) for
    `seconds`, connecting again each time the server lets it go, then leaves."""
    rng = random.Random(7)
    sent, connections, started = 0, 0, time.time()
    while time.time() - started < seconds:
        sio = socketio.Client(reconnection=False)
        try:
            sio.connect(url, namespaces=["/live"], auth={"token": VIEWER}, transports=["websocket"])
        except socketio.exceptions.ConnectionError:
            continue
        connections += 1
        while time.time() - started < seconds and sio.connected:
            pool = districts if sent % 2 else [f"伪造区{rng.randrange(10**9)}" for _ in range(4)]
            try:
                sio.emit("subscribe", {"districts": rng.sample(pool, rng.randint(1, min(8, len(pool))))},
                         namespace="/live")
            except socketio.exceptions.SocketIOError:
                break
            sent += 1
        if sio.connected:
            sio.disconnect()
    out.send({"sent": sent, "seconds": time.time() - started, "connections": connections})


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def hostile_phase(args, workdir: Path) -> None:
    """Redis deployment, steady load, N clients; one hostile client floods `subscribe` in the middle. Push
    latency of the others before, during and after; routes left in Redis; the server's CPU in each window."""
    import redis

    from tests.support.servers import RedisServer
    redis_server = RedisServer().start()
    server = start_server(workdir, "hostile", redis_server.url, Path(args.server_root or ROOT))
    rng = random.Random(3)
    try:
        first = preload(server.url, args.preload, rng, 0)
        grids = requests.get(f"{server.url}/api/v1/grids", headers={"Authorization": f"Bearer {VIEWER}"}).json()
        districts = sorted({f["properties"]["district"] for f in grids["features"]})
        window = args.window
        load = Load(server.url, args.hostile_rate, 3 * window, args.batch, first, args.senders)
        marks: dict[str, float] = {}
        report: dict = {}

        def hostile() -> None:
            time.sleep(window)
            marks["cpu_before"] = _cpu_seconds(server.proc.pid)
            marks["start"] = time.time()
            ours, theirs = multiprocessing.Pipe(duplex=False)
            proc = multiprocessing.get_context("spawn").Process(target=_hostile_worker, args=(
                server.url, window, districts, theirs))
            proc.start()
            report.update(ours.recv())
            proc.join()
            marks["end"] = time.time()
            marks["cpu_during"] = _cpu_seconds(server.proc.pid)
            time.sleep(max(0.0, window - (marks["end"] - marks["start"])))
            marks["after"] = time.time()
            marks["cpu_after_start"] = _cpu_seconds(server.proc.pid)

        load_started = time.time()
        cpu0 = _cpu_seconds(server.proc.pid)
        seen, _, _, _ = run_push_clients(server.url, args.clients, load, args.grace, args.client_processes,
                                         during=hostile)
        cpu_end = _cpu_seconds(server.proc.pid)
        end = time.time()
        r = redis.Redis.from_url(redis_server.url)
        route_keys = [k.decode() for k in r.scan_iter("gridcmd:routes*")]
        routes = sum(r.scard(k) for k in route_keys if r.type(k) == b"set")
    finally:
        server.stop()
        redis_server.stop()
    windows = (("before", load_started, marks["start"], marks["cpu_before"] - cpu0),
               ("during", marks["start"], marks["end"], marks["cpu_during"] - marks["cpu_before"]),
               ("after", marks["after"], end, cpu_end - marks["cpu_after_start"]))
    print(f"hostile client, Redis deployment: {args.clients} clients, {args.hostile_rate} reports/s, windows of "
          f"{window:.0f} s; {args.preload} open orders preloaded; 2 cores")
    print(f"  hostile client: {report['sent']} subscribe events in {report['seconds']:.1f} s"
          f" ({report['sent'] / max(report['seconds'], 1e-9):.0f}/s) over {report['connections']} connections "
          f"(the server ends one that keeps asking past its budget; it connected again each time)")
    for name, t0, t1, cpu in windows:
        sent = {oid: at for oid, at in load.sent.items() if t0 <= at < t1}
        total, _, _, lost = latencies(seen, sent)
        lat = percentiles(total)
        ms = lambda v: "n/a" if v is None else f"{v * 1000:.0f} ms"  # noqa: E731
        print(f"  {name:<7} p50 {ms(lat['p50']):>8}  p95 {ms(lat['p95']):>8}  p99 {ms(lat['p99']):>8}  "
              f"orders {len(sent)}  lost {lost}  server CPU {cpu / max(t1 - t0, 1e-9):.0%}")
    print(f"  routes left in Redis after it left: {routes} (keys: {', '.join(route_keys) or 'none'})")
