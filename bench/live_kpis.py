"""Server CPU spent on today's live KPIs: held figures kept current from the changes against the re-read of the
day (compute_kpis, what the ticker did before issue 12).

A fresh SQLite database is filled through the real services with a day of work: --orders reports today (grouped
into orders by 研判's rules, a share dispatched, arrived, restored), --calls call events, --tickets tickets, a few
outages and --crews crews. Then --events further events (new reports, order moves, call events) go through the
services on the in-process bus, and in this one thread (SQLite is in-process: its reads count) this measures:

- apply: the CPU to fold each event's published changes into the held state (per event);
- publish: the CPU of one `kpi` payload: held figures + the few queried ones (incremental) or compute_kpis (re-read),
  p50/p99 over --publishes payloads at spread-out points of the stream;
- per event at R events/s: the ticker publishes at most every 2 s after a change, so one payload serves
  R × 2 events: apply + publish / (R × 2); and "every change" (one payload per event, the worst case).

    python bench/live_kpis.py                                 # 3,000 orders, 30,000 call events, 400 events
    python bench/live_kpis.py --orders 500 --calls 3000 --events 100 --publishes 10   # a quick look
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from dashboard.config import Config  # noqa: E402
from dashboard.container import Services  # noqa: E402
from dashboard.db import Database  # noqa: E402
from dashboard.domain import OrderStatus  # noqa: E402
from dashboard.errors import ServiceError  # noqa: E402
from dashboard.models import WorkOrder  # noqa: E402
from dashboard.schemas import CrewIn, OutageIn, TicketIn  # noqa: E402
from dashboard.services.callcenter import ServiceLevelRule, record_call_events  # noqa: E402
from dashboard.services.crews import upsert_crew  # noqa: E402
from dashboard.services.faults import ingest_faults  # noqa: E402
from dashboard.services.grid_catalog import GridCatalog, ensure_grids  # noqa: E402
from dashboard.services.kpis import compute_kpis  # noqa: E402
from dashboard.services.live_kpis import kpi_payload, queried_figures, seed_live_kpis  # noqa: E402
from dashboard.services.outages import create_outage  # noqa: E402
from dashboard.services.tickets import create_ticket  # noqa: E402
from dashboard.services.tokens import TokenCache  # noqa: E402
from dashboard.services.workorders import assign_crew, transition  # noqa: E402
from geo.grids import load_default_grids  # noqa: E402
from realtime.inprocess_bus import InProcessBus  # noqa: E402
from sqlalchemy import select  # noqa: E402

NEXT = {OrderStatus.dispatched: OrderStatus.accepted, OrderStatus.accepted: OrderStatus.en_route,
        OrderStatus.en_route: OrderStatus.on_site, OrderStatus.on_site: OrderStatus.restored}
CATEGORIES = ("lv", "lv", "lv", "hv", "power_quality", "hazard", "meter")


def services_on(path: Path, clock) -> Services:
    url = f"sqlite:///{path}"
    db = Database(url)
    db.upgrade()
    with db.write() as session:
        ensure_grids(session, load_default_grids())
    catalog = GridCatalog()
    with db.read() as session:
        catalog.load(session)
    return Services(config=Config(database_url=url), db=db, bus=InProcessBus(), catalog=catalog,
                    tokens=TokenCache(()), rule=ServiceLevelRule(), clock=clock)


class Day:
    """Drives the services with a believable day's events on a clock that moves forward with them."""

    def __init__(self, s: Services, rng: random.Random, clock: dict, crews: int):
        self.s, self.rng, self.clock, self.n = s, rng, clock, 0
        self.crews = [f"B{i:04d}" for i in range(crews)]
        self.grids = list(s.catalog.info)
        self.calls_open: list[str] = []

    def now(self) -> datetime:
        return self.clock["now"]

    def tick(self, seconds: float) -> None:
        self.clock["now"] += timedelta(seconds=seconds)

    def reports(self, k: int) -> None:
        items = []
        for _ in range(k):
            self.n += 1
            lon, lat = self.rng.uniform(116.25, 116.55), self.rng.uniform(39.80, 40.05)
            items.append({"external_id": f"R{self.n}", "reported_at": self.now().isoformat(), "lon": lon, "lat": lat,
                          "category": self.rng.choice(CATEGORIES), "customers_affected": self.rng.randint(1, 300)})
        with self.s.db.write() as session:
            ingest_faults(session, self.s.bus, self.s.catalog, items, self.now(), limits=self.s.limits)

    def move(self) -> None:
        with self.s.db.write() as session:
            ids = session.execute(select(WorkOrder.id, WorkOrder.status, WorkOrder.version).where(
                WorkOrder.status.in_(["received", *NEXT])).order_by(WorkOrder.id.desc()).limit(200)).all()
            if not ids:
                return
            oid, status, version = self.rng.choice(ids)
            try:
                if status == OrderStatus.received:
                    busy = set(session.scalars(select(WorkOrder.crew_id).where(WorkOrder.crew_id.is_not(None),
                                                                                WorkOrder.status.in_(list(NEXT)))))
                    free = [c for c in self.crews if c not in busy]
                    if free:
                        assign_crew(session, self.s.bus, oid, self.rng.choice(free), version=version, now=self.now(),
                                    catalog=self.s.catalog, limits=self.s.limits)
                else:
                    transition(session, self.s.bus, oid, NEXT[OrderStatus(status)], now=self.now(),
                               catalog=self.s.catalog, limits=self.s.limits)
            except ServiceError:
                pass

    def calls(self, k: int) -> None:
        items = []
        for _ in range(k):
            if self.calls_open and self.rng.random() < 0.5:
                cid = self.calls_open.pop(self.rng.randrange(len(self.calls_open)))
                event = self.rng.choice(("answered", "answered", "answered", "abandoned"))
            else:
                self.n += 1
                cid, event = f"K{self.n}", "offered"
                self.calls_open.append(cid)
            items.append({"call_id": cid, "queue": "repair" if hash(cid) % 4 else "complaint", "event": event,
                          "at": self.now().isoformat()})
        with self.s.db.write() as session:
            record_call_events(session, self.s.bus, items, self.now(), self.s.rule)

    def setup(self, orders: int, calls: int, tickets: int) -> None:
        with self.s.db.write() as session:
            for crew in self.crews:
                upsert_crew(session, self.s.bus, self.s.catalog, crew,
                            CrewIn(name=crew, team="抢修", skills=["lv", "hv"], members=2, on_duty=True), self.now())
        for i in range(20):
            with self.s.db.write() as session:
                start = self.now() + timedelta(hours=self.rng.randint(-3, 48))
                body = {"external_id": f"O{i}", "kind": self.rng.choice(("planned", "unplanned")),
                        "grid_ids": [self.rng.choice(self.grids)], "start": min(start, self.now()).isoformat()
                        if i % 2 else start.isoformat(), "customers_affected": self.rng.randint(10, 3000)}
                if body["kind"] == "unplanned":
                    body["start"] = min(start, self.now()).isoformat()
                create_outage(session, self.s.bus, self.s.catalog, OutageIn.model_validate(body), self.now())
        steps = max(orders // 50, 1)
        for _ in range(steps):  # the day so far, 50 reports, a few moves and calls at a time
            self.reports(50)
            for _ in range(30):
                self.move()
            self.calls(max(calls // steps, 1))
            self.tick(20 * 3600 / steps)
        for i in range(tickets):
            with self.s.db.write() as session:
                create_ticket(session, self.s.bus, self.s.catalog, TicketIn.model_validate({
                    "external_id": f"T{i}", "kind": "complaint", "received_at": self.now().isoformat(),
                    "grid_id": self.rng.choice(self.grids), "subject": "停电"}), self.now(), rules=self.s.tickets)

    def event(self) -> None:
        r = self.rng.random()
        if r < 0.3:
            self.reports(1)
        elif r < 0.6:
            self.move()
        else:
            self.calls(1)
        self.tick(self.rng.uniform(0.1, 2.0))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--orders", type=int, default=3000)
    p.add_argument("--calls", type=int, default=30000)
    p.add_argument("--tickets", type=int, default=200)
    p.add_argument("--crews", type=int, default=300)
    p.add_argument("--events", type=int, default=400)
    p.add_argument("--publishes", type=int, default=20)
    p.add_argument("--rates", default="10,50,200", help="events/s to state the per-event CPU at")
    p.add_argument("--seed", type=int, default=12)
    args = p.parse_args()
    rng = random.Random(args.seed)
    # 02:00 in Beijing: the day's work goes on to 22:00, the day's last hours are the measured stream.
    clock = {"now": datetime(2026, 3, 9, 18, 0, tzinfo=timezone.utc)}
    with tempfile.TemporaryDirectory() as tmp:
        s = services_on(Path(tmp) / "bench.db", lambda: clock["now"])
        day = Day(s, rng, clock, args.crews)
        t0 = time.perf_counter()
        day.setup(args.orders, args.calls, args.tickets)
        with s.db.read() as session:
            state = seed_live_kpis(session, clock["now"], s.rule)
            held = state.held()
        print(f"day filled in {time.perf_counter() - t0:.0f} s; held: {held}")

        heard: list = []
        s.bus.subscribe(lambda changes: heard.append([c for c in changes if c.kind != "kpi"]))
        apply_cpu, n_changes, incremental, reread = 0.0, 0, [], []
        every = max(args.events // args.publishes, 1)
        for i in range(args.events):
            day.event()
            c0 = time.thread_time()
            for batch in heard:
                state.apply(batch)
                n_changes += len(batch)
            apply_cpu += time.thread_time() - c0
            heard.clear()
            if i % every == 0:
                now = clock["now"]
                with s.db.read() as session:
                    c0 = time.thread_time()
                    live = kpi_payload(state, queried_figures(session, now, s.rule, state.day), now)
                    incremental.append(time.thread_time() - c0)
                    c0 = time.thread_time()
                    full = compute_kpis(session, now, s.rule)
                    reread.append(time.thread_time() - c0)
                differ = [k for k in full if k != "avg_arrival_min" and full[k] != live[k]]
                if differ:
                    raise SystemExit(f"held figures differ from compute_kpis on {differ}")
        per_event_apply = apply_cpu / args.events
        rates = [float(r) for r in args.rates.split(",")]
        print(f"\n{args.events} events ({n_changes} changes), {len(incremental)} payloads of each kind; "
              f"CPU in this thread (SQLite in-process)\n")
        head = f"{'':<13}{'apply µs/ev':>12}{'publish p50 ms':>16}{'p99 ms':>9}" + \
            "".join(f"{f'µs/ev @{r:g}/s':>15}" for r in rates) + f"{'µs/ev every':>14}"
        print(head)
        for name, apply_s, pubs in (("incremental", per_event_apply, incremental), ("re-read", 0.0, reread)):
            p50 = pct(pubs, 0.5)
            mean = sum(pubs) / len(pubs)
            cells = "".join(f"{(apply_s + mean / (r * 2.0)) * 1e6:>15.0f}" for r in rates)
            print(f"{name:<13}{apply_s * 1e6:>12.1f}{p50 * 1e3:>16.2f}{pct(pubs, 0.99) * 1e3:>9.2f}{cells}"
                  f"{(apply_s + mean) * 1e6:>14.0f}")
        print("\n'µs/ev @R/s': one payload per 2 s serves R × 2 events; 'every': one payload per event.")


if __name__ == "__main__":
    main()
