"""Wall rendering in headless Chromium: first paint with a big city, then responsiveness while events flow.

A fresh server (python app.py, SQLite, in-process bus) is loaded with N open orders and M crews with positions;
the wall is opened at 1920×1080 through /kiosk. Printed: time to first contentful paint and to the first full
map draw, then — while R events/s (new faults and crew positions, half each) flow for S seconds — map redraws
per second, redraw time per update (JS build + Plotly.react), the longest main-thread block (Long Tasks API),
event-loop lag of a 100 ms probe, and bytes. The usual Dash alternative ships the whole figure from the server
on every change; its size is measured in the same run from the same data, against the bytes of our pushes.

    python bench/wall_render.py --orders 10000 --crews 2000 --rate 500 --seconds 20
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import requests
from selenium import webdriver

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.push_latency import BOX, cpu_times, percentiles, steal_share  # noqa: E402
from tests.support.processes import ServerProcess  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

INGEST, VIEWER = "bench-ingest", "bench-viewer"
PROBE = """
window.__bench = {longest: 0, longTasks: 0, lags: []};
new PerformanceObserver(list => { for (const e of list.getEntries()) {
  window.__bench.longTasks++; window.__bench.longest = Math.max(window.__bench.longest, e.duration); } })
  .observe({type: 'longtask', buffered: true});
(function probe() { const t = performance.now();
  setTimeout(() => { window.__bench.lags.push(performance.now() - t - 100); probe(); }, 100); })();
"""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def post(session: requests.Session, url: str, path: str, body: dict, method: str = "POST") -> requests.Response:
    r = session.request(method, f"{url}/api/v1{path}", json=body, headers={"Authorization": f"Bearer {INGEST}"},
                        timeout=120)
    r.raise_for_status()
    return r


def fault(n: int, rng: random.Random) -> dict:
    return {"external_id": f"W-{n:08d}", "reported_at": now_iso(), "category": "customer_internal",
            "lon": round(rng.uniform(BOX[0], BOX[2]), 6), "lat": round(rng.uniform(BOX[1], BOX[3]), 6)}


def positions(crews: int, rng: random.Random, count: int) -> list[dict]:
    return [{"crew_id": f"K{rng.randrange(crews):05d}", "lon": round(rng.uniform(BOX[0], BOX[2]), 6),
             "lat": round(rng.uniform(BOX[1], BOX[3]), 6), "at": now_iso()} for _ in range(count)]


def preload(url: str, orders: int, crews: int, rng: random.Random) -> None:
    s = requests.Session()
    for start in range(0, orders, 500):
        post(s, url, "/faults", {"items": [fault(n, rng) for n in range(start, min(start + 500, orders))]})
    for k in range(crews):
        post(s, url, f"/crews/K{k:05d}", {"name": f"抢修{k}班", "team": "bench", "skills": ["lv"], "members": 3,
                                          "on_duty": True}, method="PUT")
    for start in range(0, crews, 1000):
        items = [{"crew_id": f"K{k:05d}", "lon": round(rng.uniform(BOX[0], BOX[2]), 6),
                  "lat": round(rng.uniform(BOX[1], BOX[3]), 6), "at": now_iso()}
                 for k in range(start, min(start + 1000, crews))]
        post(s, url, "/crews/positions", {"items": items})


def _flow(url: str, rate: int, seconds: float, crews: int, first: int, out) -> None:
    """Half new faults, half crew positions, in batches of 25 each, paced to `rate` events/s."""
    rng, s = random.Random(first), requests.Session()
    n, k, t0 = first, 0, time.time()
    interval = 50 / rate
    while time.time() - t0 < seconds:
        due = t0 + k * interval
        if time.time() < due:
            time.sleep(due - time.time())
        post(s, url, "/faults", {"items": [fault(n + i, rng) for i in range(25)]})
        post(s, url, "/crews/positions", {"items": positions(crews, rng, 25)})
        n, k = n + 25, k + 1
    out.send(50 * k / (time.time() - t0))


def full_figure_bytes(url: str) -> int:
    """What the usual Dash way ships per refresh: the whole map figure built on the server from the snapshot."""
    from layouts.map_figure import TRACES, base_figure
    snap = requests.get(f"{url}/api/v1/snapshot", headers={"Authorization": f"Bearer {VIEWER}"}, timeout=120).json()
    grids = requests.get(f"{url}/api/v1/grids", headers={"Authorization": f"Bearer {VIEWER}"}, timeout=60).json()
    fig = base_figure(grids)
    orders, crews = snap["workorders"], [c for c in snap["crews"] if c["lon"] is not None]
    fig.data[TRACES.index("orders")].update(lon=[o["lon"] for o in orders], lat=[o["lat"] for o in orders],
                       text=[f"#{o['id']} {o['status']}" for o in orders], customdata=[o["id"] for o in orders])
    fig.data[TRACES.index("crews")].update(lon=[c["lon"] for c in crews], lat=[c["lat"] for c in crews],
                       text=[c["name"] for c in crews], customdata=[c["id"] for c in crews])
    return len(fig.to_json().encode())


def browser() -> webdriver.Chrome:
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              f"--user-data-dir={tempfile.mkdtemp()}", "--window-size=1920,1080"):
        o.add_argument(a)
    d = webdriver.Chrome(options=o)
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1920, "height": 1080, "deviceScaleFactor": 1,
                                                             "mobile": False})
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
    d.execute_cdp_cmd("Network.enable", {})
    return d


def wait(d, script: str, timeout: float = 120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = d.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(script)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--orders", type=int, default=10_000)
    p.add_argument("--crews", type=int, default=2_000)
    p.add_argument("--rate", type=int, default=500)
    p.add_argument("--seconds", type=float, default=20)
    args = p.parse_args()
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="gridcmd-wall-"))
    env = {"GRIDCMD_DATABASE_URL": f"sqlite:///{work / 'wall.db'}", "GRIDCMD_SECRET_KEY": "bench",
           "GRIDCMD_API_TOKENS": f"{INGEST}:ingest,{VIEWER}:viewer", "GRIDCMD_REDIS_URL": ""}
    server = ServerProcess(free_port(), env, work / "server.log").start()
    d = None
    try:
        t = time.time()
        preload(server.url, args.orders, args.crews, rng)
        print(f"preloaded {args.orders} open orders and {args.crews} crews in {time.time() - t:.0f} s")
        figure_bytes = full_figure_bytes(server.url)
        d = browser()
        d.get(f"{server.url}/kiosk?token={VIEWER}")
        first_draw = wait(d, "return window.gridcmd && gridcmd.map && gridcmd.map.firstDrawAt && "
                             f"gridcmd.state.workorder.size >= {args.orders} && gridcmd.map.firstDrawAt")
        fcp = d.execute_script("const e = performance.getEntriesByName('first-contentful-paint')[0];"
                               "return e ? e.startTime : null")
        nav = d.execute_script("return performance.getEntriesByType('navigation')[0].startTime")
        time.sleep(2)
        before = d.execute_script("const m = gridcmd.map; return {draws: m.draws, times: m.drawTimes.length,"
                                  " applied: gridcmd.state.applied, seq: gridcmd.state.seq,"
                                  " snapshot: gridcmd.state.firstSnapshotMs}")
        d.execute_script("window.__bench.longest = 0; window.__bench.longTasks = 0; window.__bench.lags = [];")
        ours, theirs = multiprocessing.Pipe(duplex=False)
        cpu0 = cpu_times()
        flow = multiprocessing.Process(target=_flow, args=(server.url, args.rate, args.seconds, args.crews,
                                                           10_000_000, theirs))
        started = time.time()
        flow.start()
        achieved = ours.recv()
        flow.join()
        time.sleep(2)
        elapsed = time.time() - started
        steal = steal_share(cpu0, cpu_times())
        after = d.execute_script(
            "const m = gridcmd.map, b = window.__bench; return {draws: m.draws, times: m.drawTimes,"
            " applied: gridcmd.state.applied, resyncs: gridcmd.state.resyncs, gaps: gridcmd.state.gapFills,"
            " longest: b.longest, longTasks: b.longTasks, lags: b.lags, orders: gridcmd.state.workorder.size,"
            " aggregated: m.aggregated, log: gridcmd.state.resyncLog}")
        pushed = requests.get(f"{server.url}/api/v1/updates?after={before['seq']}", headers={"Authorization": f"Bearer {VIEWER}"},
                              timeout=60)
        held = pushed.json()["updates"] if pushed.ok else []
        push_bytes = sum(len(json.dumps(u, separators=(",", ":"), ensure_ascii=False).encode()) for u in held)
        push_updates = len(held)
    finally:
        if d is not None:
            d.quit()
        server.stop()
    draws = after["draws"] - before["draws"]
    times = after["times"][-draws:] if draws else []
    print(f"first contentful paint: {fcp - nav:.0f} ms; first full map draw ({args.orders} orders, {args.crews} "
          f"crews, 303 grids): {first_draw - nav:.0f} ms after navigation (snapshot applied at "
          f"{before['snapshot'] - nav:.0f} ms)")
    print(f"flow: {achieved:.0f} events/s for {args.seconds:.0f} s (faults + crew positions); cpu steal {steal:.0%}; "
          f"orders on the wall at the end: {after['orders']} ({'aggregated per grid' if after['aggregated'] else 'individual'})")
    print(f"updates applied: {after['applied'] - before['applied']}; gap fills {after['gaps']}, full resyncs "
          f"{after['resyncs']} {[e['why'] for e in after['log']]}; map redraws: {draws} in {elapsed:.0f} s ({draws / elapsed:.2f}/s)")
    if times:
        q = percentiles(times)
        print(f"redraw (JS build + Plotly.react): p50 {q['p50']:.0f} ms  p99 {q['p99']:.0f} ms  "
              f"max {max(times):.0f} ms")
    lags = after["lags"]
    if lags:
        q = percentiles(lags)
        print(f"event-loop lag (100 ms probe): p50 {q['p50']:.0f} ms  p99 {q['p99']:.0f} ms  "
              f"max {max(lags):.0f} ms")
    print(f"long tasks: {after['longTasks']}, longest main-thread block {after['longest']:.0f} ms")
    if push_updates:
        print(f"bytes: whole figure (the Dash way, per refresh) {figure_bytes / 1e6:.2f} MB vs our pushes "
              f"{push_bytes / push_updates / 1e3:.1f} KB per update ({push_updates} updates held, "
              f"{figure_bytes / (push_bytes / push_updates):.0f}x smaller)")
    print(f"logs in {work}")


if __name__ == "__main__":
    main()
