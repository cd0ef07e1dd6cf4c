"""The Socket.IO side of the live stream: namespace /live, auth on connect, coalesced `update`s with seq."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from flask import request
from flask_socketio import SocketIO, join_room

from dashboard.events import Change, EventBus
from dashboard.recent_updates import RecentStore, RecentUpdates
from realtime.coalescer import Coalescer

log = logging.getLogger(__name__)

NAMESPACE = "/live"
ALL_ROOM = "all"
MAX_DISTRICTS = 64


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
                 authenticate: Callable[[dict | None], str | None], snapshot: Callable[[], dict],
                 recent: RecentStore | None = None):
        self.socketio = socketio
        self.bus = bus
        self.authenticate = authenticate
        self.snapshot = snapshot
        self.recent = recent if recent is not None else RecentUpdates()
        self.coalescer = Coalescer(interval)
        self.clients = 0
        self.updates_sent = 0
        # In-process the bus leads from the start: nothing to make clients resync for. A Redis process that
        # gains the lease later takes over a stream whose last buffer may be lost, and skips a seq.
        self._was_leader = bus.is_leader()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        bus.subscribe(self.coalescer.offer)
        self._register_handlers()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="live-bridge", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
            self._thread = None

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
            role = self.authenticate(auth if isinstance(auth, dict) else None)
            if role is None:
                raise ConnectionRefusedError("unauthorized")
            join_room(ALL_ROOM)
            self.clients += 1
            sio.emit("hello", {"seq": self.bus.current_seq()}, namespace=NAMESPACE, to=request.sid)

        @sio.on("disconnect", namespace=NAMESPACE)
        def _disconnect(*_args):
            self.clients = max(0, self.clients - 1)

        @sio.on("snapshot", namespace=NAMESPACE)
        def _snapshot(*_args):
            return self.snapshot()

        @sio.on("subscribe", namespace=NAMESPACE)
        def _subscribe(data=None):
            districts = (data or {}).get("districts") if isinstance(data, dict) else None
            if districts is not None and (not isinstance(districts, list) or len(districts) > MAX_DISTRICTS
                                          or not all(isinstance(d, str) and 0 < len(d) <= 64 for d in districts)):
                return {"error": {"code": "invalid_subscription",
                                  "message": "districts must be a list of up to 64 district names"}}
            self.subscribe(request.sid, districts or [])
            return {"ok": True, "districts": sorted(set(districts or [])), "seq": self.bus.current_seq()}

    def subscribe(self, sid: str, districts: Sequence[str]) -> None:
        """Move a client to the room for `districts` (empty: everything). Also used by Dash callbacks."""
        server = self.socketio.server
        for room in list(server.rooms(sid, namespace=NAMESPACE)):
            if room == ALL_ROOM or room.startswith("d:"):
                server.leave_room(sid, room, namespace=NAMESPACE)
        if districts:
            key = route_key(districts)
            self.bus.register_route(key)
            server.enter_room(sid, key, namespace=NAMESPACE)
        else:
            server.enter_room(sid, ALL_ROOM, namespace=NAMESPACE)
