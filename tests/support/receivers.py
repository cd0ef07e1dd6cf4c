"""Real receivers on loopback for the notifiers: an HTTP server taking webhook and WeCom posts (which can answer
500, hang past the client's timeout, or be down, then come back) and an SMTP server (aiosmtpd)."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    body: dict
    headers: dict[str, str]
    answered: int  # the status it was answered with (0: the handler hung past the client's timeout)


@dataclass
class HttpReceiver:
    """`mode`: "ok" (200, and WeCom's errcode 0), "fail" (500), "reject" (400), "hang" (answers only after
    `hang_s`), or a WeCom errcode to answer with ("errcode:45009"). `down()` closes the port; `up()` opens it again."""
    mode: str = "ok"
    hang_s: float = 2.0
    received: list[Received] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> HttpReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw or b"{}")
                mode = receiver.mode
                got = Received(self.path, body, dict(self.headers), 0)
                with receiver._lock:  # recorded as it arrives, in arrival order
                    receiver.received.append(got)
                if mode == "hang":
                    time.sleep(receiver.hang_s)  # the client has given up by now: it is not taken
                status = {"fail": 500, "reject": 400}.get(mode, 200)
                answer = {"errcode": int(mode.split(":")[1]) if mode.startswith("errcode:") else 0, "errmsg": "x"}
                if mode != "hang":
                    got.answered = status
                try:
                    payload = json.dumps(answer).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up waiting (hang)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def delivered(self, path: str | None = None) -> list[Received]:
        """What was taken and answered 200 (on `path`)."""
        with self._lock:
            return [r for r in self.received if r.answered == 200 and (path is None or r.path == path)]


class SmtpReceiver:
    """aiosmtpd on a free loopback port, keeping every message it takes."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Message

        received = self.messages = []

        class Keep(Message):
            def handle_message(self, message):
                received.append(message)

        from tests.support.servers import free_port
        self.port = free_port()
        self._controller = Controller(Keep(), hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
