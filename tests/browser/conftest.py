"""Real headless Chromium (Debian's) for dash_duo, with the closed-network flags this environment needs."""
import os
import threading
from pathlib import Path

import pytest
from dash.testing import wait
from dash.testing.application_runners import ThreadedRunner
from selenium.webdriver.chrome.options import Options
from werkzeug.serving import make_server

from dashboard.services.accounts import add_user
from tests.conftest import now_utc

os.environ.setdefault("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WALL_USER, WALL_PASSWORD = "wall", "wall-password"


def pytest_setup_options():
    options = Options()
    for arg in ("--headless=new", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1920,1080",
                "--force-device-scale-factor=1", "--lang=zh-CN"):
        options.add_argument(arg)
    return options


class StoppableRunner(ThreadedRunner):
    """dash_duo's server, stopped politely: Dash's own runner raises SystemExit in every thread started since it
    began (Socket.IO's ping and service threads too), which prints pages of tracebacks on a green run. This one
    closes the Socket.IO clients, stops Engine.IO's service task and shuts the WSGI server down."""

    def start(self, app, start_timeout=3, **kwargs):
        from tests.support.servers import free_port
        self._app = app
        app.scripts.config.serve_locally = app.css.config.serve_locally = True
        self.port = kwargs.get("port") or free_port()
        self._server = make_server("127.0.0.1", self.port, app.server, threaded=True)
        self.thread = threading.Thread(target=self._server.serve_forever, name="dash-duo-server", daemon=True)
        self.thread.start()
        wait.until(lambda: self.accessible(self.url), timeout=start_timeout)
        self.started = True

    def stop(self):
        from app import runtime_of
        runtime_of(self._app).stop()  # Socket.IO clients and background work first, then the WSGI server
        self._server.shutdown()
        self.thread.join(timeout=self.stop_timeout)
        self._server.server_close()
        self._app, self.started = None, False


@pytest.fixture
def dash_thread_server():
    with StoppableRunner() as runner:
        yield runner


@pytest.fixture
def wall_user(services):
    with services.db.write() as session:
        add_user(session, WALL_USER, WALL_PASSWORD, "viewer", now_utc())
    return WALL_USER, WALL_PASSWORD


@pytest.fixture
def console_people(services) -> dict[str, tuple[str, str]]:
    """A dispatcher at the console and a supervisor at the wall beside it."""
    people = {"dispatcher": ("li", "dispatch-password"), "viewer": ("wang", "wall-password")}
    with services.db.write() as session:
        for role, (name, password) in people.items():
            add_user(session, name, password, role, now_utc())
    return people


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def second_browser(tmp_path):
    """Another headless Chromium with its own profile (a wall beside the dispatcher's console)."""
    from selenium import webdriver
    options = pytest_setup_options()
    options.binary_location = os.environ["DASH_TEST_CHROMEPATH"]
    for arg in ("--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options)
    yield driver
    driver.quit()
