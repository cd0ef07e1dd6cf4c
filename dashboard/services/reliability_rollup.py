"""The daily reliability roll-up: each ended outage's pieces (grid × local day), kept in step with the outages by a
change hook in the outage's own transaction, and rebuildable from the outage records."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.orm import Session

from dashboard.domain import OutageKind, OutageStatus
from dashboard.events import Change
from dashboard.figures.reliability import Interruption, Piece, split
from dashboard.models import GridRow, Outage, ReliabilityPiece
from dashboard.services.rollups import RebuildScope, register

# The outages that interrupted customers: not a 研判 guess (predicted), not a planned one yet to start, not one
# merged into another, not one under a larger outage (its customers count there).
COUNTED = (Outage.status.in_([OutageStatus.confirmed, OutageStatus.active, OutageStatus.restored]),
           Outage.merged_into.is_(None), Outage.covered_by.is_(None))


def grid_table(session: Session) -> dict[str, tuple[int, str, str]]:
    """grid id → (customers served, district, area class)."""
    return {g: (c, d, a) for g, c, d, a in session.execute(
        select(GridRow.id, GridRow.customers, GridRow.district, GridRow.area_class))}


def interruption(outage: Outage) -> Interruption:
    return Interruption(outage.id, outage.start, outage.end, outage.customers_affected or 0,
                        tuple(outage.grid_ids or ()), outage.kind == OutageKind.planned)


def pieces_of(outages: Iterable[Outage], grids: dict[str, tuple[int, str, str]], tz: str,
              now: datetime) -> list[Piece]:
    customers = {g: v[0] for g, v in grids.items()}
    return [p for o in outages for p in split(interruption(o), customers, tz, now)]


def _rows(pieces: Sequence[Piece], grids: dict[str, tuple[int, str, str]]) -> list[dict]:
    return [{"day": p.day, "outage_id": p.outage_id, "grid_id": p.grid_id, "district": grids[p.grid_id][1],
             "customers": p.customers, "customer_minutes": p.customer_minutes, "duration_min": p.duration_min,
             "planned": p.planned} for p in pieces]


def refresh(session: Session, outage_ids: Iterable[int], tz: str, now: datetime) -> int:
    """Rewrite the roll-up rows of these outages from their records: an ended, counted outage gets its pieces,
    any other none (one reopened, merged or cancelled loses them)."""
    ids = sorted(set(outage_ids))
    if not ids:
        return 0
    session.execute(delete(ReliabilityPiece).where(ReliabilityPiece.outage_id.in_(ids)))
    ended = session.scalars(select(Outage).where(Outage.id.in_(ids), Outage.end.is_not(None), *COUNTED)).all()
    if not ended:
        return 0
    grids = grid_table(session)
    rows = _rows(pieces_of(ended, grids, tz, now), grids)
    if rows:
        session.execute(insert(ReliabilityPiece), rows)
    return len(rows)


class ReliabilityRollupHook:
    """A change hook (Database.add_change_hook): every outage change rewrites that outage's roll-up rows in the
    same transaction, so the roll-up never disagrees with a committed outage."""

    def __init__(self, timezone: str) -> None:
        self.timezone = timezone

    def __call__(self, session: Session, changes: Sequence[Change], at: datetime):
        ids = set()
        for c in changes:
            if c.kind == "outage":
                try:
                    ids.add(int(c.id))
                except (TypeError, ValueError):
                    continue
        if ids:
            session.flush()
            refresh(session, ids, self.timezone, at)
        return None


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, datetime.min.time(), ZoneInfo(tz))


@register("reliability_daily")
def rebuild(session: Session, scope: RebuildScope) -> int:
    """Delete the roll-up's rows of the days in scope and write them again from every ended, counted outage."""
    day_filter = []
    if scope.start is not None:
        day_filter.append(ReliabilityPiece.day >= scope.start)
    if scope.end is not None:
        day_filter.append(ReliabilityPiece.day <= scope.end)
    session.execute(delete(ReliabilityPiece).where(*day_filter))
    overlap = [Outage.end.is_not(None), *COUNTED]
    if scope.start is not None:
        overlap.append(Outage.end > _midnight(scope.start, scope.timezone))
    if scope.end is not None:
        overlap.append(Outage.start < _midnight(scope.end + timedelta(days=1), scope.timezone))
    grids = grid_table(session)
    ids = session.scalars(select(Outage.id).where(and_(*overlap)).order_by(Outage.id)).all()
    written = 0
    for i in range(0, len(ids), 2000):
        chunk = session.scalars(select(Outage).where(Outage.id.in_(ids[i:i + 2000]))).all()
        pieces = [p for p in pieces_of(chunk, grids, scope.timezone, scope.now)
                  if (scope.start is None or p.day >= scope.start) and (scope.end is None or p.day <= scope.end)]
        rows = _rows(pieces, grids)
        if rows:
            session.execute(insert(ReliabilityPiece), rows)
        written += len(rows)
        session.expunge_all()  # a year of outages need not stay in the identity map
    return written


def fill_if_empty(session: Session, tz: str, now: datetime) -> int:
    """Fill an empty roll-up from the records once: after the upgrade that made it, ended outages exist that no
    hook ever saw. Rows written (0 when it had rows or there was nothing to write)."""
    if session.scalar(select(ReliabilityPiece.id).limit(1)) is not None:
        return 0
    if session.scalar(select(Outage.id).where(Outage.end.is_not(None), *COUNTED).limit(1)) is None:
        return 0
    return rebuild(session, RebuildScope(None, None, tz, now))
