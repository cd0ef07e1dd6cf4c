"""The recent `update`s in Redis, so that any server process can answer GET /updates, not just the emitter."""
from __future__ import annotations

import logging
from typing import Any

import orjson
import redis

from dashboard.ops.recent_updates import reach

log = logging.getLogger(__name__)


class RedisRecentUpdates:
    """A sorted set scored by seq, trimmed to `capacity`. Fails soft: with Redis away nothing is kept and every
    question is answered "gone", so clients take a snapshot from the database."""

    def __init__(self, client: redis.Redis, prefix: str = "gridcmd", capacity: int = 600):
        self._redis = client
        self._key = f"{prefix}:recent"
        self._capacity = capacity
        self._failing = False

    def add(self, update: dict[str, Any]) -> None:
        try:
            pipe = self._redis.pipeline(transaction=True)
            pipe.zadd(self._key, {orjson.dumps(update): update["seq"]})
            pipe.zremrangebyrank(self._key, 0, -self._capacity - 1)
            pipe.execute()
            self._failing = False
        except redis.RedisError as exc:
            self._warn(exc)

    def after(self, seq: int, current: int | None = None) -> list[dict[str, Any]] | None:
        try:
            pipe = self._redis.pipeline(transaction=True)
            pipe.zrange(self._key, 0, 0, withscores=True)
            pipe.zrange(self._key, -1, -1, withscores=True)
            pipe.zrangebyscore(self._key, f"({seq}", "+inf")
            first, last, newer = pipe.execute()
        except redis.RedisError as exc:
            self._warn(exc)
            return None
        verdict = reach(int(first[0][1]) if first else None, int(last[0][1]) if last else None, seq, current)
        if verdict != "all":
            return [] if verdict == "none-newer" else None
        updates = [orjson.loads(raw) for raw in newer]
        # A skipped seq (leader change, Redis back) leaves a hole no update can bridge: the client resyncs.
        if any(u["seq"] != seq + 1 + i for i, u in enumerate(updates)):
            return None
        return updates

    def _warn(self, exc: Exception) -> None:
        if not self._failing:
            log.error("recent updates unavailable in Redis (%s): clients that miss one take a snapshot", exc)
        self._failing = True
