"""The dispatcher console under a storm: click to assign → the wall shows it, candidates, first paint, the sweep.

A server (python app.py: SQLite, in-process bus) is preloaded with --orders open orders and --crews crews on duty.
Printed, p50/p99 where it is a distribution:

1. Candidates for one order with all crews on duty: the ranking's own time in this process (the service call on a
   copy of the server's database) and the HTTP round trip of GET /workorders/{id}/candidates.
2. The console's first paint: from navigation to the first rows of the work-order list on screen, in a fresh
   browser profile and on a reload (the list pages: it asks for one page, not for every order).
3. Click to assign: a dispatcher's console and a wall (kiosk) in two headless Chromiums; while --rate events/s
   (new faults and crew positions) flow, the console selects an order as a click on its marker does, waits for
   its candidates and clicks the top crew's assign button. Timed from the click (the console page's clock) to
   (a) the wall's live state holding the crew as dispatched and (b) the wall's next map draw after that — what
   a supervisor sees. Both browsers and this script run on one machine and one clock.
4. The escalation sweep over the open orders: one pass that finds nothing new (the usual case) and one pass
   that moves every order up a level (the worst case), in this process on the same database.

    python bench/console.py                  # 10,000 orders, 2,000 crews, 200 events/s, 50 assignments
    python bench/console.py --orders 2000 --crews 500 --assigns 20
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.push_latency import cpu_times, steal_share  # noqa: E402
from bench.wall_render import INGEST, VIEWER, _flow, browser, check_page, preload, wait  # noqa: E402
from tests.support.processes import ServerProcess  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

DISPATCHER_TOKEN, PERSON, PASSWORD = "bench-dispatcher", "bench-li", "bench-dispatch-pw"
LIST_PROBE = """
new MutationObserver((_, obs) => { if (document.querySelector('#console-grid .ag-row')) {
  window.__listAt = performance.now(); obs.disconnect(); } }).observe(document, {subtree: true, childList: true});
"""
# In the wall: note when the crew turns dispatched in the live state, then when the map next draws.
WATCH = """
const crew = arguments[0], W = window.__watch = {crew, applied: null, drawn: null};
const tick = () => { const c = gridcmd.state.crew.get(crew);
  if (!W.applied && c && c.status === 'dispatched') { W.applied = Date.now(); W.draws = gridcmd.map.draws; }
  if (W.applied && gridcmd.map.draws > W.draws) { W.drawn = Date.now(); return; }
  setTimeout(tick, 5); };
tick();
"""
CLICK = "const b = document.querySelector('.assign-button'); const at = Date.now(); b.click(); return at;"


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def show(label: str, values: list[float], unit: str = "ms") -> None:
    print(f"{label}: p50 {pct(values, .5):.1f} {unit}  p99 {pct(values, .99):.1f} {unit}  "
          f"max {max(values):.1f} {unit}  (n={len(values)})")


def add_person(env: dict) -> None:
    subprocess.run([sys.executable, "-m", "dashboard", "user", "add", PERSON, "--role", "dispatcher"],
                   input=PASSWORD, text=True, env=env | {"PATH": "/usr/bin:/bin"}, check=True, cwd=ROOT,
                   capture_output=True)


def signed_in_browser(url: str):
    d = browser()
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LIST_PROBE})
    d.get(f"{url}/login")
    d.find_element("name", "user").send_keys(PERSON)
    d.find_element("name", "password").send_keys(PASSWORD)
    d.find_element("css selector", "button[type=submit]").click()
    return d


def first_paint(d, url: str) -> float:
    d.get(f"{url}/console")
    wait(d, "return window.__listAt")
    return d.execute_script("return window.__listAt - performance.getEntriesByType('navigation')[0].startTime")


def candidates(url: str, db_url: str, order_ids: list[int]) -> tuple[list[float], list[float], int]:
    from dashboard.db import Database
    from dashboard.services.dispatch import rank_candidates
    db = Database(db_url)
    service, http, crews = [], [], 0
    s = requests.Session()
    headers = {"Authorization": f"Bearer {DISPATCHER_TOKEN}"}
    with db.read() as session:  # warm: the first call pays for imports and the page cache
        rank_candidates(session, order_ids[0], limit=5)
    for oid in order_ids:
        with db.read() as session:
            t = time.perf_counter()
            ranked = rank_candidates(session, oid, limit=5)
            service.append((time.perf_counter() - t) * 1000)
        crews = max(crews, len(ranked))
        t = time.perf_counter()
        s.get(f"{url}/api/v1/workorders/{oid}/candidates", headers=headers, timeout=30).raise_for_status()
        http.append((time.perf_counter() - t) * 1000)
    db.dispose()
    return service, http, crews


def sweep_times(db_url: str) -> tuple[float, float, int, int]:
    """One sweep that changes nothing, then one an hour later (orders move up, a batch at most), in ms."""
    from dashboard.db import Database
    from dashboard.services.escalation import sweep
    from dashboard.time_limits import TimeLimits
    from dashboard.timeutil import utcnow
    from realtime.inprocess_bus import InProcessBus
    db, bus, now, took = Database(db_url), InProcessBus(), utcnow(), []
    for at in (now, now + timedelta(hours=1)):
        t = time.perf_counter()
        with db.write() as session:
            changed = sweep(session, bus, TimeLimits(), at)
        took.append(((time.perf_counter() - t) * 1000, changed))
    db.dispose()
    bus.close()
    return took[0][0], took[1][0], took[0][1], took[1][1]


def assign_and_watch(url: str, console, args) -> multiprocessing.Process:
    """Assign --assigns orders from the console, one click each, and time each to the wall in another browser."""
    wall = browser()
    try:
        wall.get(f"{url}/kiosk?token={VIEWER}")
        wait(wall, "return window.gridcmd && gridcmd.map && gridcmd.map.firstDrawAt")
        wait(console, "return window.gridcmd && gridcmd.map && gridcmd.map.firstDrawAt")
        listed = requests.get(f"{url}/api/v1/workorders?status=received&limit={args.assigns + 10}",
                              headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}, timeout=60).json()
        ours, theirs = multiprocessing.Pipe(duplex=False)
        cpu0 = cpu_times()
        flow = multiprocessing.Process(target=_flow, args=(url, args.rate, 3600, args.crews, 10_000_000, theirs),
                                       daemon=True)
        flow.start()
        time.sleep(3)
        applied, drawn, refused = [], [], 0
        for oid in [o["id"] for o in listed["items"]][:args.assigns]:
            console.execute_script("gridcmd.map.onSelect(arguments[0])", str(oid))
            wait(console, "const e = document.getElementById('console-detail'); return e && "
                          f"e.innerText.startsWith('#{oid}') && document.querySelector('.candidate .cand-id')")
            crew = console.execute_script("return document.querySelector('.candidate .cand-id').innerText")
            wall.execute_script(WATCH, crew)
            clicked = console.execute_script(CLICK)
            try:
                seen = wait(wall, "return window.__watch.drawn && window.__watch", timeout=15)
            except TimeoutError:
                refused += 1
                print(f"  order {oid}: the wall did not show {crew} within 15 s; console says: "
                      + console.execute_script("return document.getElementById('console-message').innerText"))
                continue
            applied.append(seen["applied"] - clicked)
            drawn.append(seen["drawn"] - clicked)
        steal = steal_share(cpu0, cpu_times())
        flow.terminate()
        check_page(console)
        check_page(wall)
    finally:
        wall.quit()
    print(f"click to assign with {args.rate} events/s flowing (cpu steal {steal:.0%}); "
          f"{refused} of {args.assigns} not shown:")
    show("  → the wall's live state has the crew dispatched", applied)
    show("  → the wall's map has drawn it", drawn)
    return flow


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--orders", type=int, default=10_000)
    p.add_argument("--crews", type=int, default=2_000)
    p.add_argument("--rate", type=int, default=200, help="events/s flowing while assigning")
    p.add_argument("--assigns", type=int, default=50)
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gridcmd-console-"))
    db_url = f"sqlite:///{work / 'console.db'}"
    env = {"GRIDCMD_DATABASE_URL": db_url, "GRIDCMD_SECRET_KEY": "bench", "GRIDCMD_REDIS_URL": "",
           "GRIDCMD_API_TOKENS": f"{INGEST}:ingest,{VIEWER}:viewer,{DISPATCHER_TOKEN}:dispatcher"}
    add_person(env)
    server = ServerProcess(free_port(), env, work / "server.log").start()
    console = flow = None
    try:
        t = time.time()
        preload(server.url, args.orders, args.crews, random.Random(7))
        print(f"preloaded {args.orders} open orders and {args.crews} crews on duty in {time.time() - t:.0f} s")
        listed = requests.get(f"{server.url}/api/v1/workorders?status=received&limit={args.assigns + 100}",
                              headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}, timeout=60).json()
        order_ids = [o["id"] for o in listed["items"]]
        print(f"open orders the server counts: {listed['count']}")

        # 1. Candidates, on a copy so the server's writes don't queue behind this process's reads.
        copy = work / "copy.db"
        with sqlite3.connect(work / "console.db") as src, sqlite3.connect(copy) as dst:
            src.backup(dst)  # with what is still in the write-ahead log
        service, http, _ = candidates(server.url, f"sqlite:///{copy}", order_ids[:100])
        show(f"candidates (top 5 of {args.crews} crews), service time", service)
        show("candidates over HTTP (GET /workorders/{id}/candidates)", http)

        # 2. First paint of the console.
        console = signed_in_browser(server.url)
        cold = first_paint(console, server.url)
        warm = first_paint(console, server.url)
        print(f"console first paint (list rows on screen) with {args.orders} open orders: fresh profile "
              f"{cold:.0f} ms, reload {warm:.0f} ms")
        rows = console.execute_script("return document.querySelectorAll('#console-grid .ag-row').length")
        print(f"  rows rendered: {rows} (the grid asks the server for pages as it scrolls)")

        # 3. Click to assign → the wall, while events flow (--assigns 0 leaves it out).
        if args.assigns:
            flow = assign_and_watch(server.url, console, args)
    finally:
        if flow is not None and flow.is_alive():
            flow.terminate()
        if console is not None:
            console.quit()
        server.stop()

    # 4. The sweep, with the server stopped (its own sweeper would race this one).
    from dashboard.services.escalation import SWEEP_BATCH
    quiet_ms, busy_ms, quiet, busy = sweep_times(db_url)
    print(f"escalation sweep over the open orders ({args.orders} preloaded and those that flowed in): "
          f"{quiet_ms:.0f} ms when nothing is due ({quiet} changed); {busy_ms:.0f} ms an hour later, when orders "
          f"move up ({busy} changed, at most {SWEEP_BATCH} a sweep)")
    print(f"logs in {work}")


if __name__ == "__main__":
    main()
