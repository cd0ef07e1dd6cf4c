"""Soak: a server and a wall in headless Chromium under a steady load for a while; is anything growing?

A server (python app.py: SQLite, in-process bus) and one wall opened through /kiosk run for --minutes. The load
comes over REST and keeps the picture the same size, so growth means a leak rather than more data: --open orders
stay open (each second --faults new ones come in and as many of the oldest are cancelled) while --positions
crew positions a second move 200 crews. With --storm the demo's storm simulator (at --speed times real time)
drives the server instead, as on a real night: then the number of open orders grows as the storm builds.

Every --every seconds it samples the server's resident memory and threads (from /metrics) and, after a forced
garbage collection, the wall's JS heap, DOM nodes and event listeners (Chrome DevTools Protocol), and the length
of Dash's undo history (`undo`; the wall trims it, see assets/live/state.js). The first
--warmup minutes are start-up and are left out: memory is "flat" when every later sample stays within ±10 % of
the baseline (the median of the first quarter of them). The trend is fitted over the second half of the run.

    python bench/soak.py --minutes 10
    python bench/soak.py --minutes 10 --storm --speed 6
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import deque
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.push_latency import BOX, cpu_times, steal_share  # noqa: E402
from bench.wall_render import browser, check_page, wait  # noqa: E402
from tests.support.processes import ServerProcess  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

INGEST, VIEWER = "soak-ingest", "soak-viewer"
SOAK_CREWS = 200
WALL = """return {orders: gridcmd.state.workorder.size, crews: gridcmd.state.crew.size, applied: gridcmd.state.applied,
                  resyncs: gridcmd.state.resyncs, gaps: gridcmd.state.gapFills, draws: gridcmd.map.draws,
                  link: document.getElementById('live-link').textContent,
                  history: window.store.getState().history.past.length}"""


def metric(text: str, name: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(f"gridcmd_{name} "):
            return float(line.split()[1])
    return None


def feed(url: str, args, stop: threading.Event, sent: dict) -> None:
    """The steady load, in one batch a second: faults in, as many of the oldest cancelled, crews moved."""
    s, rng = requests.Session(), random.Random(3)
    headers = {"Authorization": f"Bearer {INGEST}"}
    for k in range(SOAK_CREWS):
        s.put(f"{url}/api/v1/crews/S{k:04d}", json={"name": f"保障{k}组", "team": "soak", "skills": ["lv"],
              "members": 2, "on_duty": not args.storm}, headers=headers, timeout=30).raise_for_status()
    open_orders: deque[int] = deque()
    n = 0
    while not stop.is_set():
        at = datetime.now(timezone.utc).isoformat()
        want = 0 if args.storm else (args.open - len(open_orders) if len(open_orders) < args.open else args.faults)
        items = [{"external_id": f"SOAK-{n + i:08d}", "reported_at": at, "category": "customer_internal",
                  "lon": round(rng.uniform(BOX[0], BOX[2]), 6), "lat": round(rng.uniform(BOX[1], BOX[3]), 6)}
                 for i in range(min(want, 500))]
        n += len(items)
        moves = [{"crew_id": f"S{rng.randrange(SOAK_CREWS):04d}", "lon": round(rng.uniform(BOX[0], BOX[2]), 6),
                  "lat": round(rng.uniform(BOX[1], BOX[3]), 6), "at": at} for _ in range(args.positions)]
        try:
            if items:
                got = s.post(f"{url}/api/v1/faults", json={"items": items}, headers=headers, timeout=60).json()
                open_orders.extend(r["workorder_id"] for r in got["results"] if r.get("status") == 201)
                sent["faults"] += len(items)
            while len(open_orders) > args.open:
                r = s.post(f"{url}/api/v1/workorders/{open_orders.popleft()}/transition", json={"to": "cancelled"},
                           headers=headers, timeout=30)
                sent["cancelled"] += r.status_code == 200
            s.post(f"{url}/api/v1/crews/positions", json={"items": moves}, headers=headers, timeout=30)
            sent["positions"] += len(moves)
        except requests.RequestException:
            pass  # counted as not sent; the soak goes on
        stop.wait(1.0)


def sample(url: str, d) -> dict:
    text = requests.get(f"{url}/api/v1/metrics", headers={"Authorization": f"Bearer {VIEWER}"}, timeout=30).text
    readings = []
    for _ in range(2):  # a redraw in flight holds old and new arrays at once: the lower of two readings
        d.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
        readings.append({m["name"]: m["value"] for m in d.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]})
        time.sleep(1.5)
    browser_metrics = min(readings, key=lambda m: m["JSHeapUsedSize"])
    return {"rss": metric(text, "process_resident_memory_bytes"), "threads": metric(text, "process_threads"),
            "pushed": metric(text, "live_updates_total"), "heap": browser_metrics["JSHeapUsedSize"],
            "nodes": browser_metrics["Nodes"], "listeners": browser_metrics["JSEventListeners"],
            **d.execute_script(WALL)}


def spread(values: list[float]) -> tuple[float, float, float]:
    """The baseline (median of the first quarter, so one GC-timing outlier does not set it), and the lowest and
    highest sample as a share of it, e.g. (24.1, -0.03, +0.05)."""
    base = statistics.median(values[:max(1, len(values) // 4)])
    return base, min(values) / base - 1, max(values) / base - 1


def slope_per_hour(times: list[float], values: list[float]) -> float:
    n = len(times)
    mt, mv = sum(times) / n, sum(values) / n
    var = sum((t - mt) ** 2 for t in times)
    return 3600 * sum((t - mt) * (v - mv) for t, v in zip(times, values)) / var if var else 0.0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--warmup", type=float, default=2, help="minutes of start-up left out of the verdict")
    p.add_argument("--every", type=float, default=30, help="seconds between samples")
    p.add_argument("--open", type=int, default=2000, help="open orders kept on the wall (steady load)")
    p.add_argument("--faults", type=int, default=10, help="new faults (and cancellations) per second")
    p.add_argument("--positions", type=int, default=20, help="crew positions per second over REST")
    p.add_argument("--storm", action="store_true", help="the demo storm simulator instead of the steady load")
    p.add_argument("--speed", type=float, default=6, help="storm simulator speed (times real time)")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gridcmd-soak-"))
    env = {"GRIDCMD_DATABASE_URL": f"sqlite:///{work / 'soak.db'}", "GRIDCMD_SECRET_KEY": "soak",
           "GRIDCMD_API_TOKENS": f"{INGEST}:ingest,{VIEWER}:viewer", "GRIDCMD_REDIS_URL": "",
           "GRIDCMD_SIMULATOR_SPEED": str(args.speed),
           "GRIDCMD_DEMO_HISTORY_DAYS": "0"}  # a year generated in the background is not the load measured
    server = ServerProcess(free_port(), env, work / "server.log", args=("--demo",) if args.storm else ()).start()
    stop, sent = threading.Event(), {"faults": 0, "cancelled": 0, "positions": 0}
    feeder = threading.Thread(target=feed, args=(server.url, args, stop, sent), daemon=True)
    d, rows = None, []
    try:
        feeder.start()
        d = browser()
        d.execute_cdp_cmd("Performance.enable", {})
        d.get(f"{server.url}/kiosk?token={VIEWER}")
        wait(d, "return window.gridcmd && gridcmd.map && gridcmd.map.firstDrawAt")
        cpu0, t0 = cpu_times(), time.time()
        print(f"{'min':>5} {'server MB':>9} {'threads':>7} {'pushes':>7} {'wall heap MB':>12} {'DOM nodes':>9} "
              f"{'listeners':>9} {'orders':>6} {'crews':>5} {'applied':>7} {'resyncs':>7} {'draws':>5} {'undo':>4}  link")
        while True:
            check_page(d)  # fails the soak loudly: a leak figure from a page that threw means nothing
            row = sample(server.url, d) | {"t": time.time() - t0}
            rows.append(row)
            print(f"{row['t'] / 60:5.1f} {row['rss'] / 1e6:9.1f} {row['threads']:7.0f} {row['pushed']:7.0f} "
                  f"{row['heap'] / 1e6:12.1f} {row['nodes']:9.0f} {row['listeners']:9.0f} {row['orders']:6} "
                  f"{row['crews']:5} {row['applied']:7} {row['resyncs']:7} {row['draws']:5} {row['history']:4}  "
                  f"{row['link']}", flush=True)
            if row["t"] >= args.minutes * 60:
                break
            time.sleep(max(0.0, args.every - (time.time() - t0 - row["t"])))
        steal = steal_share(cpu0, cpu_times())
    finally:
        stop.set()
        if d is not None:
            d.quit()
        server.stop()
    settled = [r for r in rows if r["t"] >= args.warmup * 60]
    if len(settled) < 2:
        print("too short to judge: run longer than the warm-up")
        return
    load = f"the storm at {args.speed:g}x" if args.storm else f"{args.open} open orders kept"
    print(f"\n{args.minutes:.0f} min, {load}: {sent['faults']} faults, {sent['cancelled']} cancelled, "
          f"{sent['positions']} crew positions posted; {settled[-1]['pushed'] - rows[0]['pushed']:.0f} pushes; "
          f"cpu steal {steal:.0%}")
    half = settled[len(settled) // 2:]
    for key, label in (("rss", "server resident memory"), ("threads", "server threads"),
                       ("heap", "wall JS heap (after GC)"), ("nodes", "wall DOM nodes"),
                       ("listeners", "wall event listeners")):
        values = [r[key] for r in settled]
        base, low, high = spread(values)
        memory = key in ("rss", "heap")
        unit = 1e6 if memory else 1
        # Memory is judged; the DOM follows what is on screen (alarm rows come and go), so it is only shown.
        verdict = (" (flat: within ±10 %)" if max(-low, high) <= 0.10 else " (NOT flat: beyond ±10 %)") if memory else ""
        print(f"{label}: {base / unit:.1f} at first → {values[-1] / unit:.1f} at the end, range "
              f"{low:+.1%} … {high:+.1%}{verdict}; trend over the second half "
              f"{slope_per_hour([r['t'] for r in half], [r[key] for r in half]) / unit:+.1f}"
              f"{' MB' if memory else ''}/hour")
    print(f"wall: {settled[-1]['resyncs']} full resyncs, {settled[-1]['gaps']} gap fills, link '{settled[-1]['link']}'")
    print(f"logs in {work}")


if __name__ == "__main__":
    main()
