"""How long the fold from the start of the log takes (a replay's start): N synthetic changes in a fresh SQLite
database, then state_at at the end. Prints rows/s, to extrapolate to a year of log."""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from dashboard.db import Database
from dashboard.models import EventLog
from dashboard.replay.log import state_at


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    t0 = datetime(2025, 11, 1, tzinfo=timezone.utc)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/fold.db")
        db.upgrade()
        step = timedelta(days=365) / args.rows
        data = {"id": 0, "status": "dispatched", "version": 3, "grid_id": "110101-005", "lon": 116.4, "lat": 39.9,
                "address": "东城区某街道", "reported_at": "2025-11-01T00:00:00Z", "due_at": "2025-11-01T00:45:00Z"}
        with db.write() as s:
            for i in range(0, args.rows, 10_000):
                s.execute(insert(EventLog), [{"at": t0 + step * j, "kind": "workorder", "op": "upsert",
                                              "entity_id": str(j % 50_000), "data": data | {"id": j % 50_000}}
                                             for j in range(i, min(i + 10_000, args.rows))])
        started = time.perf_counter()
        with db.read() as s:
            state = state_at(s, t0 + timedelta(days=366))
        took = time.perf_counter() - started
        print(f"{args.rows} changes folded in {took:.2f} s ({args.rows / took:,.0f}/s); "
              f"{len(state['workorder'])} orders in the state")
        db.dispose()


if __name__ == "__main__":
    main()
