"""The executive page's first paint in headless Chromium: time from navigation until it is useful, over a few loads.

A fresh server (python app.py, SQLite unless --database, in-process bus) gets an executive; with --database it
reads that database as it is (a year of history from `gridcommand history`, say), without it a small scene is
posted. The page is opened at 1920×1080 LOADS times (the first with a cold cache). Printed per milestone, p50 and
p99 in ms after navigation: first contentful paint; the tiles show today's live figures; the period figures (the
district ranking); the reliability table; the grid map coloured. Target (DESIGN.md): first paint ≤ 3 s.

    python bench/executive_paint.py --loads 5 [--database sqlite:////path/history.db]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.push_latency import percentiles  # noqa: E402
from bench.wall_render import browser, wait  # noqa: E402
from tests.support.processes import ServerProcess  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

INGEST, USER, PASSWORD = "bench-ingest", "bench-exec", "bench-exec-password"
# Milestones, seen by the page itself (performance.now(), navigation at 0), recorded once each.
PROBE = """
window.__exec = {};
const seen = (name, ok) => { if (!window.__exec[name] && ok()) window.__exec[name] = performance.now(); };
new MutationObserver(() => {
  const tile = document.querySelector('#exec-tile-customers_out .exec-tile-value');
  seen('tiles', () => tile && /[0-9]/.test(tile.textContent));
  seen('ranking', () => document.querySelector('#exec-ranking table, #exec-ranking p'));
  seen('reliability', () => document.querySelector('#exec-rel-table table'));
  const map = document.querySelector('#exec-map .js-plotly-plot');
  // The measure's colours arrived (the server's patch sets showscale, on or off, with them).
  seen('map', () => map && map.data && map.data[1] && map.data[1].showscale !== undefined);
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""
MILESTONES = ("fcp", "tiles", "ranking", "reliability", "map")


def scene(url: str) -> None:
    """A few dozen orders with arrivals, calls and an outage: enough that every part has something to draw."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {INGEST}"
    now = datetime.now(timezone.utc)
    faults = [{"external_id": f"B-{i}", "reported_at": (now - timedelta(minutes=90 - i)).isoformat(),
               "lon": 116.2 + 0.01 * i, "lat": 39.8 + 0.008 * i, "category": "lv"} for i in range(40)]
    s.post(f"{url}/api/v1/faults", json={"items": faults}, timeout=60).raise_for_status()
    calls = [{"call_id": f"K{k}", "queue": "repair", "event": e, "at": (now - timedelta(seconds=1700 - 20 * k - d))
              .isoformat()} for k in range(80) for e, d in (("offered", 0), ("answered", 8), ("ended", 200))]
    s.post(f"{url}/api/v1/calls/events", json={"items": calls}, timeout=60).raise_for_status()
    grids = [f["properties"]["id"] for f in s.get(f"{url}/api/v1/grids", timeout=60).json()["features"]]
    s.post(f"{url}/api/v1/outages", json={"external_id": "B-O", "kind": "unplanned", "grid_ids": grids[:3],
                                          "start": (now - timedelta(hours=1)).isoformat(), "customers_affected": 900},
           timeout=60).raise_for_status()


def sign_in(d, url: str) -> None:
    d.get(f"{url}/login?next=/executive")
    d.find_element(By.NAME, "user").send_keys(USER)
    d.find_element(By.NAME, "password").send_keys(PASSWORD)
    d.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def load(d, url: str, timeout: float, verbose: bool = False) -> dict[str, float]:
    d.get(f"{url}/executive")
    wait(d, "return window.__exec && " + " && ".join(f"window.__exec.{m}" for m in MILESTONES[1:]), timeout)
    got = d.execute_script("const f = performance.getEntriesByName('first-contentful-paint')[0];"
                           "return Object.assign({fcp: f ? f.startTime : null}, window.__exec, {marks: "
                           "performance.getEntriesByType('mark').map(m => [m.name, Math.round(m.startTime)]), "
                           "requests: performance.getEntriesByType('resource').filter(e => /snapshot|_dash-update|"
                           "_dash-layout|plotly.min/.test(e.name)).map(e => [e.name.split('/').pop().slice(0, 30), "
                           "Math.round(e.startTime), Math.round(e.responseEnd)])});")
    if verbose:
        print("  marks", got["marks"], "\n  requests", got["requests"])
    return {m: got[m] for m in MILESTONES}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--loads", type=int, default=5)
    p.add_argument("--database", help="an SQLAlchemy URL to read as it is (default: a fresh SQLite file + a scene)")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--verbose", action="store_true", help="print each load's milestones and requests")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gridcmd-exec-"))
    db = args.database or f"sqlite:///{work / 'exec.db'}"
    env = {"GRIDCMD_DATABASE_URL": db, "GRIDCMD_SECRET_KEY": "bench", "GRIDCMD_API_TOKENS": f"{INGEST}:ingest",
           "GRIDCMD_REDIS_URL": ""}
    server = ServerProcess(free_port(), env, work / "server.log").start()
    d = None
    try:
        subprocess.run([sys.executable, "-m", "dashboard", "user", "add", USER, "--role", "executive"], cwd=ROOT,
                       env=server.env, input=PASSWORD + "\n", text=True, check=False, capture_output=True)
        if not args.database:
            scene(server.url)
        d = browser()
        d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
        sign_in(d, server.url)
        runs = []
        for i in range(args.loads):
            if i == 0:
                d.execute_cdp_cmd("Network.clearBrowserCache", {})
            started = time.perf_counter()
            runs.append(load(d, server.url, args.timeout, args.verbose))
            print(f"load {i + 1}: " + ", ".join(f"{m} {runs[-1][m]:.0f}" for m in MILESTONES) +
                  f" ms (wall clock {1000 * (time.perf_counter() - started):.0f} ms)")
        for m in MILESTONES:
            q = percentiles([r[m] for r in runs])
            print(f"{m:>12}: p50 {q['p50']:.0f} ms, p99 {q['p99']:.0f} ms")
        print(f"first paint (tiles show today's figures) p99 {percentiles([r['tiles'] for r in runs])['p99']:.0f} ms"
              " against the 3,000 ms target")
    finally:
        if d is not None:
            d.quit()
        server.stop()


if __name__ == "__main__":
    main()
