"""A recorded period of the event log in a compact file (the demo's storm): written once by a script, loaded into a
demo's event log on its first start, shifted so that it sits in the past (last month)."""
from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dashboard.db import Database
from dashboard.models import EventLog, Meta
from dashboard.timeutil import iso

log = logging.getLogger(__name__)
DEMO_STORM = Path(__file__).resolve().parents[1] / "data" / "demo_storm_events.jsonl.gz"
META_KEY = "recording:demo_storm"
AGO = timedelta(days=30)  # "a supervisor replays last month's storm"
_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def shift_times(value: Any, delta: timedelta) -> Any:
    """Every ISO-8601 instant inside `value` moved by `delta` (an order's reported_at, an outage's etr, ...)."""
    if isinstance(value, str) and _ISO.match(value):
        return iso(datetime.fromisoformat(value.replace("Z", "+00:00")) + delta)
    if isinstance(value, dict):
        return {k: shift_times(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [shift_times(v, delta) for v in value]
    return value


MOVES = ("lon", "lat", "grid_id", "position_at", "speed_kmh", "heading")  # a crew's position fields
MOVE_EVERY = timedelta(seconds=60)


def thin_moves(rows: list[tuple[datetime, str, str, str, Any]], every: timedelta = MOVE_EVERY
               ) -> list[tuple[datetime, str, str, str, Any]]:
    """Crews' position reports are nine in ten of a storm's changes: keep a crew's change when anything but its
    position changed, when `every` has passed since its last kept one, and its last one (so the recording still
    ends in the state the storm ended in). Everything else is kept as it was."""
    last_of: dict[str, int] = {}
    for i, (_, kind, _, entity_id, _) in enumerate(rows):
        if kind == "crew":
            last_of[entity_id] = i
    kept, seen = [], {}
    for i, row in enumerate(rows):
        at, kind, op, entity_id, data = row
        if kind == "crew" and op == "upsert" and isinstance(data, dict) and last_of[entity_id] != i:
            rest = {k: v for k, v in data.items() if k not in MOVES}
            before = seen.get(entity_id)
            if before is not None and before[1] == rest and at - before[0] < every:
                continue
            seen[entity_id] = (at, rest)
        kept.append(row)
    return kept


def write_recording(path: Path, name: str, rows: Iterable[tuple[datetime, str, str, str, Any]]) -> int:
    """rows: (at, kind, op, entity_id, data) in log order. A header line, then one [offset_s, kind, op, id, data]
    per change, offsets from the first change; instants inside data stay as recorded (the header says when)."""
    rows = list(rows)
    base = rows[0][0] if rows else datetime.now(timezone.utc)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(json.dumps({"name": name, "recorded_at": iso(base), "events": len(rows),
                              "duration_s": (rows[-1][0] - base).total_seconds() if rows else 0},
                             ensure_ascii=False) + "\n")
        for at, kind, op, entity_id, data in rows:
            out.write(json.dumps([round((at - base).total_seconds(), 3), kind, op, entity_id, data],
                                 ensure_ascii=False, separators=(",", ":")) + "\n")
    return len(rows)


def read_recording(path: Path, start: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header, and the rows as event_log rows placed from `start` (times inside data moved with them)."""
    with gzip.open(path, "rt", encoding="utf-8") as src:
        header = json.loads(src.readline())
        delta = start - datetime.fromisoformat(header["recorded_at"].replace("Z", "+00:00"))
        rows = [{"at": start + timedelta(seconds=off), "kind": kind, "op": op, "entity_id": entity_id,
                 "data": shift_times(data, delta)}
                for off, kind, op, entity_id, data in map(json.loads, src)]
    return header, rows


def load_demo_storm(db: Database, now: datetime, path: Path = DEMO_STORM) -> bool:
    """Put the recorded storm into the event log once (a demo's first start), starting on the hour a month ago.
    True when loaded now."""
    with db.read() as session:
        if session.get(Meta, META_KEY) is not None or not path.exists():
            return False
    start = (now - AGO).replace(minute=0, second=0, microsecond=0)
    header, rows = read_recording(path, start)
    end = rows[-1]["at"] + timedelta(seconds=1) if rows else start
    with db.write() as session:
        for i in range(0, len(rows), 5000):
            session.execute(insert(EventLog), rows[i:i + 5000])
        session.add(Meta(key=META_KEY, value=json.dumps({"name": header["name"], "from": iso(start), "to": iso(end),
                                                         "events": len(rows)}, ensure_ascii=False)))
    log.warning("demo storm: %d recorded changes placed from %s", len(rows), iso(start))
    return True


def recordings(session: Session) -> list[dict[str, Any]]:
    """The recorded periods ready to play."""
    found = []
    for value in session.scalars(select(Meta.value).where(Meta.key.like("recording:%"))):
        try:
            found.append(json.loads(value))
        except ValueError:
            continue
    return found
