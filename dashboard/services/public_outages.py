"""The public outage notices: outages under way and planned ones coming, by area, built field by field from an
allowlist so that nothing personal or internal can reach the public (docs/public-outages.md)."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from dashboard.domain import OutageStatus
from dashboard.models import Outage
from dashboard.ops.timed_cache import TimedCache
from dashboard.services.grid_catalog import GridCatalog
from dashboard.services.public_cause import cause_text, public_cause
from dashboard.timeutil import iso

log = logging.getLogger(__name__)
# Every key the feed may carry: the tests walk every answer against these.
FEED_FIELDS = frozenset({"generated_at", "upcoming_days", "current", "upcoming"})
OUTAGE_FIELDS = frozenset({"id", "kind", "status", "district", "districts", "areas", "areas_more", "start", "etr",
                           "customers_affected", "cause", "cause_text", "centroid", "bbox", "updated_at"})
CAUSE_TEXT_FIELDS = frozenset({"zh", "en"})
# Under way: unplanned outages a person or automation confirmed (or another system reported), planned ones that
# have started. Never `predicted`: 研判's guess from a few calls may be a customer-side fault or the wrong device,
# and a wrong public notice costs more than a late one (docs/public-outages.md).
CURRENT = (OutageStatus.confirmed.value, OutageStatus.active.value)
COMING = OutageStatus.scheduled.value
MAX_ITEMS = 2000  # per list; a storm has a few hundred
MAX_AREAS = 20  # grid names per outage; the rest are counted in areas_more
PLACE_STEP = 0.01  # degrees (about 1 km): the coarsest place a map can still use, and no finer
_COLUMNS = (Outage.id, Outage.kind, Outage.status, Outage.source, Outage.grid_ids, Outage.districts,
            Outage.geometry, Outage.start, Outage.etr, Outage.customers_affected, Outage.cause, Outage.updated_at)


def public_id(key: bytes, outage_id: int) -> str:
    """An id the public can quote back to the center, which names no row count or order (HMAC of the row id)."""
    return hmac.new(key, f"public-outage:{outage_id}".encode(), hashlib.sha256).hexdigest()[:16]


def grid_bounds(catalog: GridCatalog) -> dict[str, tuple[float, float, float, float]]:
    """Each grid's bounding box (west, south, east, north)."""
    index = catalog.index
    return {gid: tuple(geom.bounds) for gid, geom in zip(index.ids, index.geometries)}


def _coarse_place(bounds: list[tuple[float, float, float, float]]) -> tuple[list[float] | None, list[float] | None]:
    """The box around an area, widened outward to PLACE_STEP, and its middle: [lon, lat] and [w, s, e, n]."""
    if not bounds:
        return None, None
    step = round(1 / PLACE_STEP)
    w = math.floor(min(b[0] for b in bounds) * step) / step
    s = math.floor(min(b[1] for b in bounds) * step) / step
    e = math.ceil(max(b[2] for b in bounds) * step) / step
    n = math.ceil(max(b[3] for b in bounds) * step) / step
    box = [round(w, 2), round(s, 2), round(e, 2), round(n, 2)]
    return [round((w + e) / 2, 2), round((s + n) / 2, 2)], box


def _main_district(catalog: GridCatalog, grid_ids: list[str], districts: list[str]) -> str | None:
    """The district holding most of the outage's grids (the first by name on a tie)."""
    counts = Counter(catalog.info[g].district for g in grid_ids if g in catalog.info)
    if counts:
        return min(counts, key=lambda d: (-counts[d], d))
    return districts[0] if districts else None


def public_outage(row: Any, catalog: GridCatalog, bounds: dict, key: bytes) -> dict[str, Any]:
    """One outage as the public sees it: exactly OUTAGE_FIELDS, each copied or derived on purpose."""
    grid_ids = sorted(g for g in (row.grid_ids or []) if g in catalog.info)
    names = [catalog.info[g].name for g in grid_ids]
    districts = sorted(row.districts or [])
    area = [bounds[g] for g in grid_ids if g in bounds]
    if row.geometry:  # drawn by the planning system: tighter than its grids
        try:
            area = [tuple(shape(row.geometry).bounds)]
        except (ValueError, TypeError, AttributeError, KeyError):  # a stored shape shapely cannot read
            pass
    centroid, bbox = _coarse_place(area)
    cause = public_cause(row.kind, row.source, row.cause)
    return {
        "id": public_id(key, row.id),
        "kind": row.kind,
        "status": row.status,
        "district": _main_district(catalog, grid_ids, districts),
        "districts": districts,
        "areas": names[:MAX_AREAS],
        "areas_more": max(0, len(names) - MAX_AREAS),
        "start": iso(row.start),
        "etr": iso(row.etr),
        "customers_affected": int(row.customers_affected or 0),
        "cause": cause,
        "cause_text": cause_text(cause),
        "centroid": centroid,
        "bbox": bbox,
        "updated_at": iso(row.updated_at),
    }


def build_public_feed(session: Session, catalog: GridCatalog, now: datetime, *, upcoming: timedelta, key: bytes,
                      bounds: dict | None = None) -> dict[str, Any]:
    """Outages under way, by district then start, and planned ones starting within `upcoming`, by start. An outage
    inside a larger one (its customers count there) and one with no customers out are left out."""
    bounds = grid_bounds(catalog) if bounds is None else bounds
    shown = (Outage.covered_by.is_(None), Outage.customers_affected > 0)
    current = session.execute(select(*_COLUMNS).where(Outage.status.in_(CURRENT), *shown)
                              .order_by(Outage.start.desc(), Outage.id).limit(MAX_ITEMS)).all()
    coming = session.execute(select(*_COLUMNS).where(Outage.status == COMING, Outage.start <= now + upcoming,
                                                     *shown)
                             .order_by(Outage.start, Outage.id).limit(MAX_ITEMS)).all()
    under_way = sorted(((public_outage(r, catalog, bounds, key), r.start) for r in current),
                       key=lambda pair: (pair[0]["district"] or "", pair[1]))
    return {"generated_at": iso(now), "upcoming_days": round(upcoming / timedelta(days=1), 3),
            "current": [item for item, _ in under_way],
            "upcoming": [public_outage(r, catalog, bounds, key) for r in coming]}


def feed_etag(feed: dict[str, Any]) -> str:
    """What the feed says, without when it was said: unchanged outages keep their ETag across rebuilds."""
    content = {k: v for k, v in feed.items() if k != "generated_at"}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Feed:
    body: dict[str, Any]
    etag: str


class PublicFeed:
    """The feed as the public routes serve it: built from the database at most once per `ttl` in this process."""

    def __init__(self, read: Callable, catalog: GridCatalog, clock: Callable[[], datetime], *, ttl: timedelta,
                 upcoming: timedelta, key: bytes) -> None:
        self._read, self._catalog, self._clock = read, catalog, clock
        self.upcoming, self._key = upcoming, key
        self.cache: TimedCache[Feed] = TimedCache(ttl)
        self._bounds: tuple[str, dict] | None = None
        self._last: Feed | None = None

    def _grid_bounds(self) -> dict:
        version = self._catalog.version
        if self._bounds is None or self._bounds[0] != version:
            self._bounds = (version, grid_bounds(self._catalog))
        return self._bounds[1]

    def _build(self, now: datetime) -> Feed:
        try:
            with self._read() as session:
                body = build_public_feed(session, self._catalog, now, upcoming=self.upcoming, key=self._key,
                                         bounds=self._grid_bounds())
        except SQLAlchemyError:
            if self._last is None:
                raise
            # The public keeps the last notices (their generated_at says how old) until the database is back.
            log.warning("public outage feed: database unavailable, serving the one built at %s",
                        self._last.body["generated_at"])
            return self._last
        self._last = Feed(body, feed_etag(body))
        return self._last

    def get(self) -> Feed:
        return self.cache.get(self._clock(), self._build)
