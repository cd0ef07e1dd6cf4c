"""The history's one entry point: fill the free days of a span with generated records, a few days at a time, then
rebuild the roll-ups over them (deterministic: a day's records depend on the seed, the day, its storm and the
network, not on the live records around it)."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from dashboard.db import Database
from dashboard.history.block import Block
from dashboard.history.calls import generate_calls
from dashboard.history.days import free_days, span
from dashboard.history.network import read_network
from dashboard.history.planned import generate_planned
from dashboard.history.rates import plan_storms
from dashboard.history.repairs import generate_repairs
from dashboard.history.service import generate_callbacks, generate_tickets
from dashboard.history.writer import write_block
from dashboard.models import Meta
from dashboard.services import rollups
from dashboard.services.rollups import RebuildScope
from dashboard.tickets.limits import TicketRules
from dashboard.time_limits import TimeLimits

log = logging.getLogger(__name__)
META_KEY = "history:generated"
STORM_RECORDING_KEY = "recording:demo_storm"
DEFAULT_SEED = 95598
BLOCK_DAYS = 7  # days generated and written together (memory stays small; ids reserved once per block)
REBUILD_DAYS = 31  # roll-ups rebuilt a month per transaction


@dataclass
class HistoryResult:
    days: list[date] = field(default_factory=list)  # the days generated now
    skipped: int = 0  # days of the span that held records already
    storms: list[date] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    rollups: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rebuild_seconds: float = 0.0


def _recorded_storm_day(db: Database, tz: str) -> tuple[date, ...]:
    """The day the demo's recorded storm was placed on (it plays from the event log): a storm in the history too,
    so that its day's figures look like one."""
    with db.read() as session:
        meta = session.get(Meta, STORM_RECORDING_KEY)
    try:
        start = datetime.fromisoformat(json.loads(meta.value)["from"].replace("Z", "+00:00")) if meta else None
    except (ValueError, KeyError, TypeError):
        return ()
    return (start.astimezone(ZoneInfo(tz)).date(),) if start else ()


def generate_day(block: Block, day: date, *, seed: int, tz: str, net, storms, scale: float, limits: TimeLimits,
                 tickets: TicketRules, now: float) -> None:
    rng = np.random.default_rng([seed, day.toordinal()])
    storm = storms.of(day)
    first_order = len(block.work_orders)
    generate_repairs(block, rng, day, tz, net, storm, scale, limits, now)
    generate_planned(block, rng, day, tz, net, scale)
    generate_calls(block, rng, day, tz, storm, scale)
    generate_tickets(block, rng, day, tz, net, storm, scale, tickets, now)
    generate_callbacks(block, rng, block.work_orders[first_order:], limits, now)


def generate_history(db: Database, *, now: datetime, tz: str, limits: TimeLimits | None = None,
                     tickets: TicketRules | None = None, days: int = 365, seed: int = DEFAULT_SEED,
                     scale: float = 1.0, rebuild: bool = True,
                     progress: Callable[[str], None] | None = None,
                     stop: Callable[[], bool] = lambda: False) -> HistoryResult:
    """Generate the free days of the `days` before yesterday into `db` and rebuild the roll-ups over them."""
    limits, tickets = limits or TimeLimits(), tickets or TicketRules()
    started = time.perf_counter()
    result = HistoryResult()
    candidates = span(now, tz, days)
    with db.read() as session:
        net = read_network(session)
        free = free_days(session, candidates, tz)
    result.skipped = len(candidates) - len(free)
    storms = plan_storms(candidates, seed, also=_recorded_storm_day(db, tz))
    result.storms = sorted(d for d in storms.days if d in set(free))
    stopped = False
    for i in range(0, len(free), BLOCK_DAYS):
        if stop():
            stopped = True  # the next run goes on from here: no roll-ups now, nothing in meta
            break
        block = Block()
        for day in free[i:i + BLOCK_DAYS]:
            generate_day(block, day, seed=seed, tz=tz, net=net, storms=storms, scale=scale, limits=limits,
                         tickets=tickets, now=now.timestamp())
        for table, n in write_block(db, block).items():
            result.rows[table] = result.rows.get(table, 0) + n
        result.days.extend(free[i:i + BLOCK_DAYS])
        if progress:
            progress(f"history: {len(result.days)}/{len(free)} days, {sum(result.rows.values())} rows, "
                     f"{time.perf_counter() - started:.0f} s")
    if rebuild and result.days and not stopped:
        # The whole span, not only today's new days: a run stopped half-way (a demo shut down) left days that no
        # roll-up has seen; a rebuild is from the records, so the span's other days come out as they were.
        t0 = time.perf_counter()
        result.rollups = rebuild_days(db, candidates, tz, now)
        result.rebuild_seconds = time.perf_counter() - t0
    if result.days and not stopped:
        _remember(db, result, seed, scale, now)
    result.seconds = time.perf_counter() - started
    return result


def runs(days: list[date], longest: int = REBUILD_DAYS) -> list[tuple[date, date]]:
    """Consecutive days as [first, last] ranges of at most `longest` days."""
    out: list[tuple[date, date]] = []
    for day in sorted(days):
        if out and day == out[-1][1] + timedelta(days=1) and (day - out[-1][0]).days < longest:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


SPILL_DAYS = 2  # a generated outage or order may end this many days after the day it began


def rebuild_days(db: Database, days: list[date], tz: str, now: datetime) -> dict[str, int]:
    """Every registered roll-up rebuilt over these days and the days their records spill into (a rebuild is from
    the records, so a live day among those comes out as it was), a month per transaction."""
    today = now.astimezone(ZoneInfo(tz)).date()
    spread = {d + timedelta(days=k) for d in days for k in range(SPILL_DAYS + 1)}
    written: dict[str, int] = {}
    for first, last in runs([d for d in spread if d < today]):  # today's figures are live, not rolled up
        with db.write() as session:
            for name, rows in rollups.rebuild(session, RebuildScope(first, last, tz, now)).items():
                written[name] = written.get(name, 0) + rows
    return written


def _remember(db: Database, result: HistoryResult, seed: int, scale: float, now: datetime) -> None:
    """What was generated, in `meta` (appended per run): for docs and for whoever wonders where the year came from."""
    with db.write() as session:
        meta = session.get(Meta, META_KEY)
        done = json.loads(meta.value) if meta else []
        done.append({"at": now.isoformat(), "seed": seed, "scale": scale, "from": result.days[0].isoformat(),
                     "to": result.days[-1].isoformat(), "days": len(result.days), "rows": result.rows,
                     "storms": [d.isoformat() for d in result.storms]})
        if meta:
            meta.value = json.dumps(done)
        else:
            session.add(Meta(key=META_KEY, value=json.dumps(done)))
