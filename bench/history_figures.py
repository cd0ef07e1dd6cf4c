"""A year of history, then the period figures over it: builds the demo's generated history (dashboard/history/)
into a fresh SQLite file or a PostgreSQL database, times the generation and the roll-up rebuild, then measures p50/p99
of GET /kpis?from=&to= and GET /reliability?from=&to= for a day, a month and the year.

Requests go through the Flask test client in this process (no HTTP, no network stack): the figures are the
server's own time per request, routing, auth, the query and JSON included.

    python bench/history_figures.py                         # full scale into bench/out/history-365d-x1.db
    python bench/history_figures.py --reuse                 # that file again if it is there (no rebuild)
    python bench/history_figures.py --build-only            # build the year (cache it for --reuse) and stop
    python bench/history_figures.py --scale 0.02 --days 60  # a quick look
    python bench/history_figures.py --db postgresql+psycopg://user@host/db   # an existing PostgreSQL database
    python bench/history_figures.py --pg                    # a throw-away PostgreSQL cluster (tests' helper)
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from dashboard.config import Config  # noqa: E402
from dashboard.db import Database  # noqa: E402
from dashboard.history.generate import META_KEY, generate_history, rebuild_days  # noqa: E402
from dashboard.models import Call, FaultReport, Meta, Outage, WorkOrder  # noqa: E402
from dashboard.services.grid_catalog import ensure_grids  # noqa: E402
from geo.grids import load_default_grids  # noqa: E402

TZ = "Asia/Shanghai"
TOKEN = "bench-executive-token"
OUT = Path(__file__).resolve().parent / "out"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _generated(db: Database) -> list[dict]:
    with db.read() as s:
        meta = s.get(Meta, META_KEY)
    return json.loads(meta.value) if meta else []


def build(url: str, args) -> tuple[Database, date, date]:
    """The year, generated now or found (--reuse); its first and last day."""
    db = Database(url)
    db.upgrade()
    runs = _generated(db) if args.reuse else []
    if runs:
        print(f"reusing {url.split('@')[-1]}: {runs[-1]['days']} days generated at {runs[-1]['at']}")
    else:
        with db.write() as s:
            ensure_grids(s, load_default_grids())
        now = datetime.now(timezone.utc)
        result = generate_history(db, now=now, tz=TZ, days=args.days, seed=args.seed, scale=args.scale,
                                  rebuild=False, progress=print if args.verbose else None)
        rows = sum(result.rows.values())
        print(f"generated {len(result.days)} days, {rows:,} rows in {result.seconds:.1f} s "
              f"({rows / max(result.seconds, 1e-9):,.0f} rows/s): " + ", ".join(f"{k} {v:,}" for k, v in
                                                                          result.rows.items()))
        print(f"storms: {', '.join(d.isoformat() for d in result.storms) or 'none'}")
        t0 = time.perf_counter()
        written = rebuild_days(db, result.days, TZ, now)
        print(f"roll-up rebuild over the generated days: {time.perf_counter() - t0:.1f} s {written}")
        runs = _generated(db)
    if args.rebuild and args.reuse:
        days = [date.fromisoformat(runs[-1]["from"]) + timedelta(days=k) for k in range(runs[-1]["days"])]
        t0 = time.perf_counter()
        written = rebuild_days(db, days, TZ, datetime.now(timezone.utc))
        print(f"roll-up rebuild over the generated days: {time.perf_counter() - t0:.1f} s {written}")
    with db.read() as s:
        counts = {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                  for m in (WorkOrder, Outage, FaultReport, Call)}
    print("in the database: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) +
          f" (call events ≈ {counts['calls'] * 3:,}: offered + answered/abandoned + ended)")
    first = min(date.fromisoformat(r["from"]) for r in runs)
    last = max(date.fromisoformat(r["to"]) for r in runs)
    return db, first, last


def measure(url: str, first: date, last: date, repeat: int) -> list[tuple[str, str, str]]:
    from app import create_app, runtime_of
    config = Config(database_url=url, api_tokens=((TOKEN, "executive"),), secret_key="bench", testing=True)
    app = create_app(config)
    client = app.server.test_client()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    month = max(first, last - timedelta(days=29))
    periods = {"day": (last, last), "month": (month, last), "year": (first, last)}
    table = []
    try:
        for name, (start, end) in periods.items():
            # /kpis: `to` is an inclusive local day; /reliability: `to` is the day after the last.
            for path, to in (("/api/v1/kpis", end), ("/api/v1/reliability", end + timedelta(days=1))):
                url_q = f"{path}?from={start.isoformat()}&to={to.isoformat()}"
                first_answer = client.get(url_q, headers=headers)
                if path.endswith("kpis") and (first_answer.status_code in (400, 404, 422) or "orders" not in (
                        first_answer.get_json(silent=True) or {})):
                    # Before the period figures are merged, /kpis answers today's live KPIs whatever the period.
                    table.append((path.rsplit("/", 1)[1], name, f"not built (HTTP {first_answer.status_code}, "
                                  "no period figures)"))
                    continue
                if first_answer.status_code != 200:
                    table.append((path.rsplit("/", 1)[1], name, f"HTTP {first_answer.status_code}"))
                    continue
                took = []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    client.get(url_q, headers=headers)
                    took.append((time.perf_counter() - t0) * 1000)
                table.append((path.rsplit("/", 1)[1], name, f"p50 {statistics.median(took):7.1f} ms   "
                               f"p99 {_pct(took, 0.99):7.1f} ms   (n={repeat}, first {first_answer.status_code})"))
    finally:
        runtime_of(app).stop()
    return table


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", help="a SQLite file path or a database URL (default bench/out/history-<days>d-x<scale>.db)")
    p.add_argument("--pg", action="store_true", help="a throw-away PostgreSQL cluster (needs initdb; no --reuse)")
    p.add_argument("--reuse", action="store_true", help="use the database as it is when it holds a history")
    p.add_argument("--rebuild", action="store_true", help="with --reuse: time the roll-up rebuild again")
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=95598)
    p.add_argument("--repeat", type=int, default=30, help="requests per figure and period")
    p.add_argument("--verbose", action="store_true", help="print the generator's progress")
    p.add_argument("--build-only", action="store_true", help="build (or find) the year and stop")
    args = p.parse_args()
    server = None
    if args.pg:
        from tests.support.servers import PostgresServer
        server = PostgresServer().start()
        url = server.url("postgres")
    elif args.db and "://" in args.db:
        url = args.db
    else:
        path = Path(args.db) if args.db else OUT / f"history-{args.days}d-x{args.scale:g}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    try:
        db, first, last = build(url, args)
        db.dispose()
        if args.build_only:
            return
        print(f"history {first} .. {last}; measuring through the Flask test client (in process)")
        rows = measure(url, first, last, args.repeat)
        print(f"\n{'figure':<12} {'period':<6} time")
        for figure, period, text in rows:
            print(f"{figure:<12} {period:<6} {text}")
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
