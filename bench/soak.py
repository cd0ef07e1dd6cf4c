"""Soak: the demo storm runs against a server and a wall in headless Chromium; is anything growing?

The server (python app.py --demo: SQLite, in-process bus, the storm simulator at --speed times real time) and one
wall opened through /kiosk run for --minutes while --positions crew positions per second also come in over REST
(off-duty soak crews, so the simulator's dispatching is left alone). Every --every seconds it samples the server's
resident memory and threads (from /metrics) and, after a forced garbage collection, the wall's JS heap, DOM nodes
and event listeners (Chrome DevTools Protocol). The first --warmup minutes are start-up and are left out of the
verdict: memory is "flat" when every later sample stays within ±10 % of the first one after the warm-up.

    python bench/soak.py --minutes 10 --speed 6
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.push_latency import BOX, cpu_times, steal_share  # noqa: E402
from bench.wall_render import browser, wait  # noqa: E402
from tests.support.processes import ServerProcess  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

INGEST, VIEWER = "soak-ingest", "soak-viewer"
SOAK_CREWS = 200
WALL = """return {orders: gridcmd.state.workorder.size, crews: gridcmd.state.crew.size, applied: gridcmd.state.applied,
                  resyncs: gridcmd.state.resyncs, gaps: gridcmd.state.gapFills, draws: gridcmd.map.draws,
                  link: document.getElementById('wall-link').textContent}"""


def metric(text: str, name: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(f"gridcmd_{name} "):
            return float(line.split()[1])
    return None


def positions(url: str, rate: int, stop: threading.Event, sent: list[int]) -> None:
    """`rate` positions a second for the soak crews, in one batch a second."""
    s, rng = requests.Session(), random.Random(3)
    headers = {"Authorization": f"Bearer {INGEST}"}
    for k in range(SOAK_CREWS):
        s.put(f"{url}/api/v1/crews/S{k:04d}", json={"name": f"保障{k}组", "team": "soak", "skills": ["lv"],
              "members": 2, "on_duty": False}, headers=headers, timeout=30).raise_for_status()
    while not stop.wait(1.0):
        at = datetime.now(timezone.utc).isoformat()
        items = [{"crew_id": f"S{rng.randrange(SOAK_CREWS):04d}", "lon": round(rng.uniform(BOX[0], BOX[2]), 6),
                  "lat": round(rng.uniform(BOX[1], BOX[3]), 6), "at": at} for _ in range(rate)]
        try:
            s.post(f"{url}/api/v1/crews/positions", json={"items": items}, headers=headers, timeout=30)
            sent[0] += rate
        except requests.RequestException:
            pass  # counted as not sent; the soak goes on


def sample(url: str, d) -> dict:
    text = requests.get(f"{url}/api/v1/metrics", headers={"Authorization": f"Bearer {VIEWER}"}, timeout=30).text
    d.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    browser_metrics = {m["name"]: m["value"] for m in d.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}
    return {"rss": metric(text, "process_resident_memory_bytes"), "threads": metric(text, "process_threads"),
            "pushed": metric(text, "live_updates_total"), "heap": browser_metrics["JSHeapUsedSize"],
            "nodes": browser_metrics["Nodes"], "listeners": browser_metrics["JSEventListeners"],
            **d.execute_script(WALL)}


def spread(values: list[float]) -> tuple[float, float]:
    """Lowest and highest as a share of the first value, e.g. (-0.03, +0.05)."""
    base = values[0]
    return min(values) / base - 1, max(values) / base - 1


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
    p.add_argument("--speed", type=float, default=6, help="storm simulator speed (times real time)")
    p.add_argument("--positions", type=int, default=20, help="crew positions per second over REST")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gridcmd-soak-"))
    env = {"GRIDCMD_DATABASE_URL": f"sqlite:///{work / 'soak.db'}", "GRIDCMD_SECRET_KEY": "soak",
           "GRIDCMD_API_TOKENS": f"{INGEST}:ingest,{VIEWER}:viewer", "GRIDCMD_REDIS_URL": "",
           "GRIDCMD_SIMULATOR_SPEED": str(args.speed)}
    server = ServerProcess(free_port(), env, work / "server.log", args=("--demo",)).start()
    stop, sent = threading.Event(), [0]
    feeder = threading.Thread(target=positions, args=(server.url, args.positions, stop, sent), daemon=True)
    d, rows = None, []
    try:
        feeder.start()
        d = browser()
        d.execute_cdp_cmd("Performance.enable", {})
        d.get(f"{server.url}/kiosk?token={VIEWER}")
        wait(d, "return window.gridcmd && gridcmd.map && gridcmd.map.firstDrawAt")
        cpu0, t0 = cpu_times(), time.time()
        print(f"{'min':>5} {'server MB':>9} {'threads':>7} {'pushes':>7} {'wall heap MB':>12} {'DOM nodes':>9} "
              f"{'listeners':>9} {'orders':>6} {'crews':>5} {'applied':>7} {'resyncs':>7} {'draws':>5}  link")
        while True:
            row = sample(server.url, d) | {"t": time.time() - t0}
            rows.append(row)
            print(f"{row['t'] / 60:5.1f} {row['rss'] / 1e6:9.1f} {row['threads']:7.0f} {row['pushed']:7.0f} "
                  f"{row['heap'] / 1e6:12.1f} {row['nodes']:9.0f} {row['listeners']:9.0f} {row['orders']:6} "
                  f"{row['crews']:5} {row['applied']:7} {row['resyncs']:7} {row['draws']:5}  {row['link']}", flush=True)
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
    times = [r["t"] for r in settled]
    print(f"\n{args.minutes:.0f} min at storm speed {args.speed:g}x, {sent[0]} crew positions posted, "
          f"{settled[-1]['pushed'] - rows[0]['pushed']:.0f} pushes, cpu steal {steal:.0%}")
    for key, label in (("rss", "server resident memory"), ("threads", "server threads"),
                       ("heap", "wall JS heap (after GC)"), ("nodes", "wall DOM nodes"),
                       ("listeners", "wall event listeners")):
        values = [r[key] for r in settled]
        low, high = spread(values)
        memory = key in ("rss", "heap")
        unit = 1e6 if memory else 1
        # Memory is judged; the DOM follows what is on screen (alarm rows come and go), so it is only shown.
        verdict = (" (flat: within ±10 %)" if max(-low, high) <= 0.10 else " (NOT flat: beyond ±10 %)") if memory else ""
        print(f"{label}: {values[0] / unit:.1f} → {values[-1] / unit:.1f} after the warm-up, range "
              f"{low:+.1%} … {high:+.1%}{verdict}; trend {slope_per_hour(times, values) / unit:+.1f}"
              f"{' MB' if memory else ''}/hour")
    print(f"wall: {settled[-1]['resyncs']} full resyncs, {settled[-1]['gaps']} gap fills, link '{settled[-1]['link']}'")
    print(f"logs in {work}")


if __name__ == "__main__":
    main()
