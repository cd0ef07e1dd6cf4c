"""The Socket.IO side of replays: namespace /replay, one room per replay, and the process's replay sessions.
Nothing here touches /live: a live subscriber never hears a replay, and a replay never stops the live wall."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import request
from flask_socketio import SocketIO, join_room

from dashboard.domain import Role
from dashboard.principal import Principal
from dashboard.replay.session import ReplayLimit, ReplaySession

log = logging.getLogger(__name__)

NAMESPACE = "/replay"
MAX_RUNNING = 4  # replays playing at once in one process: each holds its folded state and a thread
KEPT_FINISHED = 16  # finished replays kept for their walls (final state) and GET /replays/{id}
WATCHERS = frozenset({Role.viewer, Role.dispatcher, Role.executive, Role.admin})  # who may open /wall


def room(replay_id: str) -> str:
    return f"replay:{replay_id}"


class ReplayHub:
    """Starts, finds and stops this process's replays, and serves their audiences on /replay."""

    def __init__(self, socketio: SocketIO | None, read, authenticate: Callable[[dict | None], Principal | None], *,
                 max_running: int = MAX_RUNNING, wait_factory: Callable[[], Callable[[float], bool]] | None = None):
        self.socketio, self.read, self.authenticate = socketio, read, authenticate
        self.max_running = max_running
        self.wait_factory = wait_factory  # tests: a fast clock
        self._sessions: dict[str, ReplaySession] = {}
        self._lock = threading.Lock()
        if socketio is not None:
            self._register_handlers()

    def _emit(self, replay_id: str, update: dict[str, Any]) -> None:
        if self.socketio is not None:
            self.socketio.emit("update", update, namespace=NAMESPACE, to=room(replay_id))

    def start(self, start: datetime, end: datetime, speed: float, *, by: str, now: datetime,
              order_fields: tuple[str, ...] | None = None) -> ReplaySession:
        with self._lock:
            if sum(1 for s in self._sessions.values() if s.running) >= self.max_running:
                raise ReplayLimit(f"{self.max_running} replays are already playing here; stop one first")
            session = ReplaySession(self.read, start, end, speed, self._emit, by=by, created=now,
                                    wait=self.wait_factory() if self.wait_factory else None,
                                    order_fields=order_fields)
            self._sessions[session.id] = session
            finished = [k for k, s in self._sessions.items() if not s.running]
            for key in finished[:-KEPT_FINISHED] if len(finished) > KEPT_FINISHED else []:
                del self._sessions[key]
        try:
            session.start()
        except Exception:
            with self._lock:
                self._sessions.pop(session.id, None)
            raise
        return session

    def get(self, replay_id: str) -> ReplaySession | None:
        return self._sessions.get(replay_id)

    def all(self) -> list[ReplaySession]:
        return list(self._sessions.values())

    def stop_all(self) -> None:
        for session in self.all():
            session.stop()
        for session in self.all():
            session.join()

    def _register_handlers(self) -> None:
        sio = self.socketio

        @sio.on("connect", namespace=NAMESPACE)
        def _connect(auth=None):
            principal = self.authenticate(auth if isinstance(auth, dict) else None)
            if principal is None:
                raise ConnectionRefusedError("unauthorized")
            if principal.role not in WATCHERS:  # as /wall (CONTRACT §4): people, not machines' tokens
                raise ConnectionRefusedError("forbidden")
            wanted = auth.get("replay") if isinstance(auth, dict) else None
            session = self.get(str(wanted or request.args.get("replay") or ""))
            if session is None:
                raise ConnectionRefusedError("no such replay")
            join_room(room(session.id))
            sio.emit("hello", {"seq": session.seq, "replay": session.id}, namespace=NAMESPACE, to=request.sid)
