"""The demo's duty roster (值班): day and night shifts from yesterday to a week ahead — a duty chief, dispatchers,
the seats of the demo's call center, crews on call — loaded on a demo's start when those days have none.
Synthetic: names are made up."""
from __future__ import annotations

import logging
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from dashboard.db import Database
from dashboard.demo_network import GIVEN, SURNAMES
from dashboard.models import DutyShift
from dashboard.simulator.callcenter import SEAT_GROUPS

log = logging.getLogger(__name__)
SHIFTS = (("day", 8, 12), ("night", 20, 12))  # name, start hour, hours
DISPATCHERS = {"day": 4, "night": 2}
CREWS = {"day": 160, "night": 60}  # the simulator's crews are C001.. (some 200)
SEAT_SHARE = {"day": 1.0, "night": 0.4}


def demo_shifts(first: date, days: int, tz: str, rng: random.Random) -> list[dict]:
    zone = ZoneInfo(tz)
    chiefs = [rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(4)]
    dispatchers = [rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(12)]
    rows = []
    for n in range(days):
        day = first + timedelta(days=n)
        for k, (shift, hour, hours) in enumerate(SHIFTS):
            start = datetime.combine(day, time(hour), zone)
            base = {"day": day, "shift": shift, "start": start, "end": start + timedelta(hours=hours)}
            rows.append(base | {"role": "duty_chief", "person": chiefs[(2 * n + k) % len(chiefs)],
                                "phone": f"1390100{(2 * n + k) % len(chiefs):04d}"})
            rows += [base | {"role": "dispatcher", "person": dispatchers[(n * 6 + k * 4 + i) % len(dispatchers)]}
                     for i in range(DISPATCHERS[shift])]
            agent = 0
            for group, count in SEAT_GROUPS:  # the simulator's agents A001.. in its seat order
                rostered = max(1, round(count * SEAT_SHARE[shift]))
                rows += [base | {"role": "seat", "person": f"A{agent + i + 1:03d}", "team": group}
                         for i in range(rostered)]
                agent += count
            rows += [base | {"role": "crew", "person": f"C{(i + (n * 37 if shift == 'night' else 0)) % 200 + 1:03d}"}
                     for i in range(CREWS[shift])]
    return rows


def seed_demo_roster(db: Database, now: datetime, tz: str, seed: int = 95598, days: int = 8) -> bool:
    """Shifts from yesterday for `days` days, into a database with none from yesterday on (a roster someone set
    is theirs)."""
    first = now.astimezone(ZoneInfo(tz)).date() - timedelta(days=1)
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(DutyShift).where(DutyShift.day >= first)):
            return False
    rows = demo_shifts(first, days, tz, random.Random(seed))
    with db.write() as session:
        session.execute(insert(DutyShift), rows)
    log.warning("demo duty roster: %d shifts from %s", len(rows), first)
    return True
