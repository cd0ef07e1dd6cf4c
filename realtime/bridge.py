"""The Socket.IO side of the live stream: namespace /live, auth on connect, coalesced `update`s with seq."""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from flask import request
from flask_socketio import SocketIO, join_room

from dashboard.events import Change, EventBus
from dashboard.principal import Principal
from dashboard.ops.recent_updates import RecentStore, RecentUpdates
from dashboard.schemas import bad_text
from realtime.coalescer import Coalescer

log = logging.getLogger(__name__)

NAMESPACE = "/live"
ALL_ROOM = "all"
# What one client may ask of the server: a burst of EVENT_BURST requests (subscribe, snapshot), then one every
# 1/EVENT_RATE s. A client that goes on asking past its budget FLOOD_LIMIT times is disconnected.
EVENT_BURST, EVENT_RATE, FLOOD_LIMIT = 10, 1.0, 50
SESSION_SWEEP_S = 15.0  # how soon a live connection notices that its sign-in was ended


@dataclass
class _Client:
    principal: Principal
    route: str | None = None  # its district room, None for everything
    tokens: float = EVENT_BURST
    refilled: float = field(default_factory=time.monotonic)
    refused: int = 0

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(EVENT_BURST, self.tokens + (now - self.refilled) * EVENT_RATE)
        self.refilled = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.refused = 0  # a client that slowed down starts afresh: only a flood without pause is cut off
            return True
        self.refused += 1
        return False


def route_key(districts: Sequence[str]) -> str:
    """One room per distinct subscription, so a client in it gets each seq exactly once."""
    return "d:" + "|".join(sorted(set(districts)))


def route_districts(key: str) -> frozenset[str]:
    return frozenset(key[2:].split("|")) if key.startswith("d:") else frozenset()


def select(changes: Sequence[Change], districts: frozenset[str]) -> list[dict[str, Any]]:
    return [c.public() for c in changes if not c.districts or districts.intersection(c.districts)]


class LiveBridge:
    """Subscribes to the bus; in the leader process, flushes batches to every room. A subscriber to some
    districts still gets every seq (possibly with no changes), so its gap detection stays exact."""

    def __init__(self, socketio: SocketIO, bus: EventBus, *, interval: float,
                 authenticate: Callable[[dict | None], Principal | None], snapshot: Callable[[], dict],
                 recent: RecentStore | None = None, districts: Callable[[], Collection[str]] = frozenset,
                 sessions_in_use: Callable[[list[int]], set[int]] | None = None):
        self.socketio = socketio
        self.bus = bus
        self.authenticate = authenticate
        self.snapshot = snapshot
        self.recent = recent if recent is not None else RecentUpdates()
        self.districts = districts
        self.sessions_in_use = sessions_in_use
        self.coalescer = Coalescer(interval)
        self.updates_sent = 0
        self._clients: dict[str, _Client] = {}
        self._route_members: Counter[str] = Counter()
        self._lock = threading.Lock()
        # In-process the bus leads from the start: nothing to make clients resync for. A Redis process that
        # gains the lease later takes over a stream whose last buffer may be lost, and skips a seq.
        self._was_leader = bus.is_leader()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sweeper: threading.Thread | None = None
        bus.subscribe(self.coalescer.offer)
        self._register_handlers()

    @property
    def clients(self) -> int:
        return len(self._clients)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="live-bridge", daemon=True)
            self._thread.start()
        if self._sweeper is None and self.sessions_in_use is not None:
            self._sweeper = threading.Thread(target=self._sweep_loop, name="live-session-sweep", daemon=True)
            self._sweeper.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in (self._thread, self._sweeper):
            if thread is not None:
                thread.join(timeout=3)
        self._thread = self._sweeper = None

    def _run(self) -> None:
        while not self._stop.is_set():
            batch = self.coalescer.take(self._stop)
            try:
                self._check_leadership()
                if batch and self.bus.is_leader():
                    self.flush(batch)
            except Exception:  # keep the stream alive whatever one flush met (Redis down mid-flush, ...)
                log.exception("live flush failed; clients will resync on the next seq")

    def _check_leadership(self) -> None:
        leader = self.bus.is_leader()
        if leader and not self._was_leader and self.bus.current_seq() > 0:
            # Whatever the old leader held in its buffer is gone: make every client resync.
            self.bus.skip_seq()
        self._was_leader = leader

    def flush(self, batch: Sequence[Change]) -> int:
        seq = self.bus.next_seq()
        at = datetime.now(timezone.utc).isoformat()
        update = {"seq": seq, "at": at, "changes": [c.public() for c in batch]}
        self.recent.add(update)
        self.socketio.emit("update", update, namespace=NAMESPACE, to=ALL_ROOM)
        for key in self.bus.routes():
            self.socketio.emit("update", {"seq": seq, "at": at, "changes": select(batch, route_districts(key))},
                               namespace=NAMESPACE, to=key)
        self.updates_sent += 1
        return seq

    def _register_handlers(self) -> None:
        sio = self.socketio

        @sio.on("connect", namespace=NAMESPACE)
        def _connect(auth=None):
            principal = self.authenticate(auth if isinstance(auth, dict) else None)
            if principal is None:
                raise ConnectionRefusedError("unauthorized")
            join_room(ALL_ROOM)
            with self._lock:
                self._clients[request.sid] = _Client(principal)
            sio.emit("hello", {"seq": self.bus.current_seq()}, namespace=NAMESPACE, to=request.sid)

        @sio.on("disconnect", namespace=NAMESPACE)
        def _disconnect(*_args):
            with self._lock:
                client = self._clients.pop(request.sid, None)
                if client is not None:
                    self._leave_route(client)

        @sio.on("snapshot", namespace=NAMESPACE)
        def _snapshot(*_args):
            refused = self._refuse(request.sid)
            return refused or self.snapshot()

        @sio.on("subscribe", namespace=NAMESPACE)
        def _subscribe(data=None):
            refused = self._refuse(request.sid)
            if refused:
                return refused
            return self.subscribe(request.sid, data.get("districts") if isinstance(data, dict) else None)

    def _refuse(self, sid: str) -> dict | None:
        """None if the client may ask now; else the answer, and past the flood limit the client is let go."""
        with self._lock:
            client = self._clients.get(sid)
            if client is None or client.take():
                return None
            flooding = client.refused > FLOOD_LIMIT
        if flooding:
            log.warning("live client %s (%s) disconnected: %d requests over its budget", sid,
                        client.principal.name, client.refused)
            self.socketio.server.disconnect(sid, namespace=NAMESPACE)
        return {"error": {"code": "rate_limited", "message": "too many requests; slow down"}}

    def subscribe(self, sid: str, districts: object) -> dict:
        """Move a client to the room for `districts` (empty or None: everything); answers the ack."""
        known = self.districts()
        if districts is not None and (not isinstance(districts, list) or len(districts) > len(known) or not all(
                isinstance(d, str) and 0 < len(d) <= 64 and bad_text(d) is None for d in districts)):
            return {"error": {"code": "invalid_subscription",
                              "message": f"districts must be a list of at most {len(known)} district names"}}
        wanted = sorted(set(districts or []))
        unknown = [d for d in wanted if d not in known]
        if unknown:
            return {"error": {"code": "unknown_district", "message": f"unknown district(s): {', '.join(unknown[:3])}"}}
        key = route_key(wanted) if wanted else None
        server = self.socketio.server
        with self._lock:
            client = self._clients.get(sid)
            if client is None:
                return {"error": {"code": "not_connected", "message": "connect first"}}
            if key != client.route:
                server.leave_room(sid, client.route or ALL_ROOM, namespace=NAMESPACE)
                self._leave_route(client)
                if key is not None:
                    self._route_members[key] += 1
                    if self._route_members[key] == 1:
                        self.bus.register_route(key)
                client.route = key
                server.enter_room(sid, key or ALL_ROOM, namespace=NAMESPACE)
        return {"ok": True, "districts": wanted, "seq": self.bus.current_seq()}

    def _leave_route(self, client: _Client) -> None:
        """Drop the client's hold on its route (under the lock); the last one out unregisters it."""
        key, client.route = client.route, None
        if key is None:
            return
        self._route_members[key] -= 1
        if self._route_members[key] <= 0:
            del self._route_members[key]
            self.bus.unregister_route(key)

    def _sweep_loop(self) -> None:
        while not self._stop.wait(SESSION_SWEEP_S):
            try:
                self.sweep_sessions()
            except Exception:  # the database may be away for a moment; the next sweep tries again
                log.exception("live session sweep failed")

    def sweep_sessions(self) -> int:
        """Disconnect live clients whose sign-in has ended (logout, password change, admin); renews the rest."""
        with self._lock:
            held = {sid: c.principal.session_id for sid, c in self._clients.items() if c.principal.session_id}
        if not held or self.sessions_in_use is None:
            return 0
        alive = self.sessions_in_use(sorted(set(held.values())))
        ended = [sid for sid, session_id in held.items() if session_id not in alive]
        for sid in ended:
            self.socketio.server.disconnect(sid, namespace=NAMESPACE)
        return len(ended)
