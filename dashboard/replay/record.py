"""Records the demo's storm: the simulator on the demo network, on a stepped clock, into a fresh database; its event
log becomes the committed recording (`gridcommand replay record`). Same seed, same storm."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from dashboard.config import Config
from dashboard.demo_network import seed_demo_network
from dashboard.models import EventLog
from dashboard.replay.recording import thin_moves, write_recording

START = datetime(2026, 10, 12, 6, 0, tzinfo=timezone.utc)  # 14:00 in Beijing: an afternoon storm


def record_storm(app_module, out: Path, *, minutes: int = 90, seed: int = 95598,
                 progress: Callable[[str], None] = print) -> int:
    """`app_module`: the composition root (app.py), which this package may not import. Returns the changes kept."""
    from dashboard.simulator.storm import StormSimulator

    with tempfile.TemporaryDirectory() as folder:
        config = Config(database_url=f"sqlite:///{folder}/storm.db", secret_key="record-storm", testing=True,
                        flush_interval_s=0.05)
        app = app_module.create_app(config)
        runtime = app_module.runtime_of(app)
        try:
            services = runtime.services
            clock = [START]
            services.clock = lambda: clock[0]
            seed_demo_network(services.db, START)
            sim = StormSimulator(services, seed=seed, speed=1.0)
            sim.setup()
            for second in range(minutes * 60):  # one simulated second a step, as the running demo's tick
                clock[0] += timedelta(seconds=1)
                sim.step()
                if second % 600 == 599:
                    progress(f"{(second + 1) // 60} min recorded")
            with services.db.read() as session:
                rows = session.execute(select(EventLog.at, EventLog.kind, EventLog.op, EventLog.entity_id,
                                              EventLog.data).order_by(EventLog.at, EventLog.id)).all()
        finally:
            runtime.stop()
    count = write_recording(out, "雷暴 · thunderstorm", thin_moves([tuple(r) for r in rows]))
    progress(f"{count} changes written to {out} ({out.stat().st_size / 1024:.0f} KB)")
    return count
