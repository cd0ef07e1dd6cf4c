"""Redis EventBus: pub/sub between server processes, a shared seq counter, and a leader lease for the emitter."""
from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence

import redis

from dashboard.events import Change, ChangeHandler

log = logging.getLogger(__name__)

_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"


class RedisBus:
    """Survives Redis restarts: publishes fail soft while it is down, and on its return the stream is bumped
    by one seq so every client resyncs from the database, which never stopped taking reports."""

    def __init__(self, url: str, prefix: str = "gridcmd", lease_ms: int = 3000, route_ttl_ms: int = 10_000):
        self.url = url
        self._channel = f"{prefix}:changes"
        self._seq_key = f"{prefix}:seq"
        self._leader_key = f"{prefix}:leader"
        self._me = uuid.uuid4().hex
        # Each process keeps its own routes in a set that expires unless the process renews it (Redis's clock, so
        # hosts' clocks do not matter), and names itself in a set of route owners: the emitter reads the union of
        # the owners' sets that still exist. A process that dies takes its routes with it within route_ttl_ms.
        # (Earlier versions kept one shared set that only ever grew.) One thread writes them: no interleaving.
        self._legacy_routes_key = f"{prefix}:routes"
        self._owners_key = f"{prefix}:routes:owners"
        self._my_routes_key = f"{prefix}:routes:{self._me}"
        self._routes_prefix = f"{prefix}:routes:"
        self._route_ttl_ms = route_ttl_ms
        self._local_routes: set[str] = set()
        self._routes_lock = threading.Lock()
        self._routes_dirty = threading.Event()
        self._routes_cache: tuple[float, set[str]] = (0.0, set())
        self._lease_ms = lease_ms
        self._last_seq = 0
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2,
                                           health_check_interval=5)
        self._handlers: list[ChangeHandler] = []
        self._ok = False
        self._error: str | None = None
        self._leader = False
        self._missed = False  # something was not published or not heard: clients must resync
        self._gaps = 0  # how many times that happened (held state built from the changes must be seeded again)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._listen, name="redis-bus-listen", daemon=True),
                         threading.Thread(target=self._lead, name="redis-bus-lease", daemon=True),
                         threading.Thread(target=self._keep_routes, name="redis-bus-routes", daemon=True)]
        for t in self._threads:
            t.start()

    # --- port ---------------------------------------------------------------------------------------
    def publish(self, changes: Sequence[Change]) -> None:
        if not changes:
            return
        payload = json.dumps([c.to_wire() for c in changes], separators=(",", ":"), default=str)
        try:
            self._redis.publish(self._channel, payload)
        except redis.RedisError as exc:
            self._down(exc)
            self._missed = True

    def subscribe(self, handler: ChangeHandler) -> None:
        self._handlers.append(handler)

    def next_seq(self) -> int:
        self._last_seq = int(self._redis.incr(self._seq_key))
        return self._last_seq

    def current_seq(self) -> int:
        """The stream's seq; with Redis away, the last one this process saw (never 0: a client told 0 would take
        every later update for an old one or resync in a loop)."""
        try:
            self._last_seq = max(self._last_seq, int(self._redis.get(self._seq_key) or 0))
        except redis.RedisError as exc:
            self._down(exc)
        return self._last_seq

    def skip_seq(self) -> None:
        self.next_seq()

    def is_leader(self) -> bool:
        return self._leader and self._ok

    def register_route(self, key: str) -> None:
        """No Redis I/O here (callers hold their own locks): the routes thread writes it at once."""
        with self._routes_lock:
            self._local_routes.add(key)
        self._routes_dirty.set()

    def unregister_route(self, key: str) -> None:
        with self._routes_lock:
            self._local_routes.discard(key)
        self._routes_dirty.set()

    def _keep_routes(self) -> None:
        while not self._stop.is_set():
            self._routes_dirty.wait(self._route_ttl_ms / 3000)
            self._routes_dirty.clear()
            if not self._stop.is_set():
                self._write_routes()

    def _write_routes(self) -> None:
        """Write this process's routes whole and renew their expiry; every few seconds, so that they come back by
        themselves after Redis restarts empty."""
        with self._routes_lock:
            local = sorted(self._local_routes)
        try:
            pipe = self._redis.pipeline(transaction=True)
            pipe.delete(self._my_routes_key)
            if local:
                pipe.sadd(self._my_routes_key, *local)
                pipe.pexpire(self._my_routes_key, self._route_ttl_ms)
                pipe.sadd(self._owners_key, self._me)
            else:
                pipe.srem(self._owners_key, self._me)
            pipe.execute()
        except redis.RedisError as exc:
            self._down(exc)

    def routes(self, *, fresh: bool = False) -> set[str]:
        fetched_at, cached = self._routes_cache
        if fresh or time.monotonic() - fetched_at > 1.0:  # read at most once a second: it is on the flush path
            try:
                cached = self._read_routes()
                self._routes_cache = (time.monotonic(), cached)
            except redis.RedisError as exc:
                self._down(exc)
        return cached

    def _read_routes(self) -> set[str]:
        owners = [o.decode() for o in self._redis.smembers(self._owners_key)]
        if not owners:
            return set()
        pipe = self._redis.pipeline(transaction=False)
        for owner in owners:
            pipe.exists(self._routes_prefix + owner)
        alive = [o for o, exists in zip(owners, pipe.execute()) if exists]
        gone = set(owners) - set(alive)
        if gone:  # their sets expired: processes that died (or have had no routes for a while)
            self._redis.srem(self._owners_key, *gone)
        return {r.decode() for r in self._redis.sunion([self._routes_prefix + o for o in alive])} if alive else set()

    def health(self) -> dict:
        return {"kind": "redis", "ok": self._ok, "leader": self.is_leader(), "error": self._error}

    @property
    def gaps(self) -> int:
        """How many times messages were lost (state kept from the changes, like the live KPIs', is seeded again)."""
        return self._gaps

    def kill(self) -> None:
        """Stop as a crashed process would: threads end, nothing in Redis is cleaned up (for tests)."""
        self._stop.set()
        self._routes_dirty.set()
        for t in self._threads:
            t.join(timeout=3)
        self._redis.close()

    def close(self) -> None:
        self._stop.set()
        self._routes_dirty.set()
        for t in self._threads:
            t.join(timeout=3)
        try:
            self._redis.pipeline(transaction=True).delete(self._my_routes_key).srem(self._owners_key, self._me).execute()
        except redis.RedisError:
            pass
        if self._leader:
            try:
                self._redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
                                 "end return 0", 1, self._leader_key, self._me)
            except redis.RedisError:
                pass
        self._redis.close()

    # --- internals ----------------------------------------------------------------------------------
    def _down(self, exc: Exception) -> None:
        if self._ok or self._error is None:
            log.error("Redis bus unavailable (%s): serving from the database, live push paused", exc)
        self._ok, self._error, self._leader = False, str(exc), False

    def _up(self) -> None:
        if not self._ok:
            log.warning("Redis bus connected")
        self._ok, self._error = True, None

    def _listen(self) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self._channel)
                # A Redis that restarted empty must not restart seq at 0: clients would take every new update
                # for an old one. Seeding from the clock keeps seq increasing across restarts.
                self._redis.set(self._seq_key, int(time.time() * 1000), nx=True)
                self._up()
                if self._missed:
                    self._missed = False
                    self._gaps += 1
                    self.skip_seq()
                backoff = 0.2
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=0.5)
                    if message and message.get("type") == "message":
                        self._deliver(message["data"])
            except redis.RedisError as exc:
                self._down(exc)
                self._missed = True
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                try:
                    pubsub.close()
                except redis.RedisError:
                    pass

    def _deliver(self, data: bytes) -> None:
        try:
            changes = [Change.from_wire(raw) for raw in json.loads(data)]
        except (ValueError, KeyError, TypeError):
            log.error("malformed message on %s ignored", self._channel)
            return
        for handler in list(self._handlers):
            try:
                handler(changes)
            except Exception:
                log.exception("bus handler failed")

    def _lead(self) -> None:
        while not self._stop.is_set():
            try:
                if self._leader:
                    self._leader = bool(self._redis.eval(_RENEW, 1, self._leader_key, self._me, self._lease_ms))
                else:
                    self._leader = bool(self._redis.set(self._leader_key, self._me, nx=True, px=self._lease_ms))
                    if self._leader:
                        self._redis.delete(self._legacy_routes_key)  # orphans of the shared set, if any
            except redis.RedisError as exc:
                self._down(exc)
            self._stop.wait(self._lease_ms / 3000)
