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
window.__bench = {longest: 0, longTasks: 0, lags: [], tasks: []};
new PerformanceObserver(list => { for (const e of list.getEntries()) {
  window.__bench.longTasks++; window.__bench.longest = Math.max(window.__bench.longest, e.duration);
  if (e.duration >= 150) window.__bench.tasks.push([Math.round(e.startTime), Math.round(e.duration)]); } })
  .observe({type: 'longtask', buffered: true});
// When the wall's panels first show the snapshot: the open-orders tile turns into a number.
new MutationObserver((_, obs) => { const el = document.getElementById('kpi-open');
  if (el && /^[0-9]+$/.test(el.textContent.trim())) { window.__bench.panelsAt = performance.now(); obs.disconnect(); } })
  .observe(document, {subtree: true, childList: true, characterData: true});
// Uncaught errors and rejections: the run fails on the first one (check_page), not after a silent timeout.
window.__bench.errors = [];
addEventListener('error', e => window.__bench.errors.push(`${e.message} at ${e.filename}:${e.lineno}:${e.colno}`));
addEventListener('unhandledrejection', e => window.__bench.errors.push(
  `unhandled rejection: ${e.reason && e.reason.stack ? e.reason.stack : e.reason}`));
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
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(options=o)
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1920, "height": 1080, "deviceScaleFactor": 1,
                                                             "mobile": False})
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
    d.execute_cdp_cmd("Network.enable", {})
    return d


class PageError(RuntimeError):
    """The page threw: a figure measured on a broken page means nothing."""


def check_page(d) -> None:
    """Raise PageError on any uncaught error or rejection in the page, or any SEVERE entry in the browser's log
    (what the console shows in red: uncaught errors, failed requests)."""
    caught = d.execute_script("return (window.__bench && window.__bench.errors) || []")
    severe = [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"]
    if caught or severe:
        raise PageError("uncaught page errors:\n  " + "\n  ".join((caught + severe)[:10]))


def wait(d, script: str, timeout: float = 120):
    deadline, checked = time.time() + timeout, 0.0
    while time.time() < deadline:
        value = d.execute_script(script)
        if value:
            check_page(d)
            return value
        if time.time() - checked > 1:
            check_page(d)
            checked = time.time()
        time.sleep(0.05)
    check_page(d)  # an error is the likelier reason for the timeout: say it first
    raise TimeoutError(script)


START_UP = """
const r = performance.getEntriesByType('resource').filter(e => /\/api\/v1\/(snapshot|grids)|_dash-layout|plotly.min/.test(e.name));
const name = e => e.name.split('/').pop().split('?')[0];
const fcp = performance.getEntriesByName('first-contentful-paint')[0];
return {nav: performance.getEntriesByType('navigation')[0].startTime, fcp: fcp ? fcp.startTime : null,
        panels: window.__bench.panelsAt, map: gridcmd.map.firstDrawAt, tasks: window.__bench.tasks,
        marks: performance.getEntriesByType('mark').map(m => [m.name.replace('gridcmd:', ''), m.startTime])
          .concat(r.map(e => [name(e) + ' requested', e.startTime]), r.map(e => [name(e) + ' answered', e.responseStart]),
                  r.map(e => [name(e) + ' received', e.responseEnd]))
          .sort((a, b) => a[1] - b[1])};
"""
# The floor set by the machine, not the wall: a bare Plotly map with one point, until MapLibre has painted it.
BARE_MAP = """
const done = arguments[arguments.length - 1], t0 = performance.now();
const s = document.createElement('script'); s.src = arguments[0]; s.onload = () => {
  const t1 = performance.now(), div = document.createElement('div');
  div.style.cssText = 'width:1100px;height:860px'; document.body.appendChild(div);
  Plotly.newPlot(div, [{type: 'scattermap', lon: [116.4], lat: [39.9], mode: 'markers'}],
    {map: {style: arguments[1], center: {lon: 116.4, lat: 39.9}, zoom: 8}}).then(() => {
    const map = div._fullLayout.map._subplot.map;
    const check = () => map.loaded() ? requestAnimationFrame(() => done([t1 - t0, performance.now() - t1]))
                                     : requestAnimationFrame(check);
    check(); }); };
document.head.appendChild(s);
"""


def load_wall(d, url: str, orders: int) -> dict:
    """Open (or reload) the wall and wait until its map shows the orders; start-up times in ms after navigation."""
    d.get(url)
    wait(d, "return window.gridcmd && gridcmd.map && gridcmd.map.firstDrawAt && window.__bench.panelsAt && "
            f"gridcmd.state.workorder.size >= {orders}")
    got = d.execute_script(START_UP)
    nav = got["nav"]
    return {"fcp": got["fcp"] - nav, "panels": got["panels"] - nav, "map": got["map"] - nav,
            "marks": [(n, at - nav) for n, at in got["marks"]], "tasks": got["tasks"]}


def bare_map(url: str) -> tuple[float, float]:
    """In a fresh browser (cold, like the wall's first load): plotly.js load and compile, then map to first paint."""
    from layouts.map_figure import OFFLINE_STYLE
    from layouts.page import PLOTLY_URL
    signed_in = requests.Session()
    signed_in.get(f"{url}/kiosk?token={VIEWER}", allow_redirects=False, timeout=30,
                  headers={"Sec-Fetch-Site": "none"}).raise_for_status()  # as a browser typing the address sends
    d = browser()
    try:
        d.set_script_timeout(120)
        d.get(f"{url}/login")
        for c in signed_in.cookies:  # signed in without opening the wall (which would warm the caches)
            d.add_cookie({"name": c.name, "value": c.value, "path": "/"})
        return tuple(d.execute_async_script(BARE_MAP, PLOTLY_URL, OFFLINE_STYLE))
    finally:
        d.quit()


def print_start_up(label: str, t: dict) -> None:
    print(f"{label}: first contentful paint {t['fcp']:.0f} ms; panels show the snapshot {t['panels']:.0f} ms; "
          f"map shows the orders and crews (MapLibre painted) {t['map']:.0f} ms")
    print("  milestones: " + ", ".join(f"{name} {at:.0f}" for name, at in t["marks"]))
    print("  main-thread blocks ≥ 150 ms (at+ms): " + ", ".join(f"{a:.0f}+{b}" for a, b in t["tasks"]))


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
        bare = bare_map(server.url)
        d = browser()
        cold = load_wall(d, f"{server.url}/kiosk?token={VIEWER}", args.orders)
        time.sleep(2)
        before = d.execute_script("const m = gridcmd.map; return {draws: m.draws, times: m.drawTimes.length,"
                                  " applied: gridcmd.state.applied, seq: gridcmd.state.seq}")
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
        # A wall PC's browser keeps its profile: after its first day, a restart loads from its caches.
        warm = load_wall(d, f"{server.url}/?kiosk=1", after["orders"])
    finally:
        if d is not None:
            d.quit()
        server.stop()
    draws = after["draws"] - before["draws"]
    times = after["times"][-draws:] if draws else []
    print(f"control, a bare Plotly map with one point in a fresh browser: plotly.js loaded and compiled in "
          f"{bare[0]:.0f} ms, then {bare[1]:.0f} ms until MapLibre painted it")
    print_start_up(f"first load, fresh browser profile ({args.orders} orders, {args.crews} crews, 303 grids)", cold)
    print_start_up(f"reload, same profile ({after['orders']} orders)", warm)
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
