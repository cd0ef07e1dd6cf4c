"""The wall survives its server dying: it keeps the last data on screen, says it is reconnecting and since when,
and when the server is back it reconnects, resyncs and clears the banner by itself."""
import shutil
import signal

import pytest

from tests.browser.wall_page import DRAWN, STATE, api, wait_for
from tests.conftest import TOKENS, make_fault
from tests.support.processes import ServerProcess
from tests.support.servers import free_port

pytestmark = [pytest.mark.browser, pytest.mark.multiprocess]
LINK = "const e = document.getElementById('live-link'); return e && [e.className, e.textContent]"


def test_banner_appears_while_the_server_is_down_and_clears_in_sync(dash_duo, tmp_path, sqlite_template, artifacts):
    db = tmp_path / "wall.db"
    shutil.copy(sqlite_template, db)
    env = {"GRIDCMD_DATABASE_URL": f"sqlite:///{db}", "GRIDCMD_SECRET_KEY": "same-secret-across-restarts",
           "GRIDCMD_REDIS_URL": "", "GRIDCMD_API_TOKENS": ",".join(f"{v}:{k}" for k, v in TOKENS.items())}
    port = free_port()
    server = ServerProcess(port, env, tmp_path / "server.log").start()
    driver = dash_duo.driver
    try:
        first = api(server.url, "POST", "/faults", json=make_fault()).json()["workorder_id"]
        driver.get(f"{server.url}/kiosk?token={TOKENS['viewer']}")  # the wall's own start URL
        wait_for(driver, STATE, lambda s: s and str(first) in s["orders"])
        wait_for(driver, LINK, lambda link: bool(link) and link[0] == "link link-ok")
        assert driver.execute_script("return document.body.classList.contains('kiosk')")

        server.proc.send_signal(signal.SIGKILL)  # a crash, not a polite shutdown
        server.proc.wait()
        lost = wait_for(driver, LINK, lambda link: bool(link) and link[0] == "link link-lost", timeout=30)
        assert "最后更新" in lost[1]
        # The last good data stays on screen.
        assert str(first) in driver.execute_script(STATE)["orders"]
        assert str(first) in driver.execute_script(DRAWN)["orders"]
        driver.save_screenshot(str(artifacts / "wall-reconnecting.png"))

        server = ServerProcess(port, env, tmp_path / "server.log").start()
        second = api(server.url, "POST", "/faults", json=make_fault(lon=116.41, lat=39.92)).json()["workorder_id"]
        wait_for(driver, LINK, lambda link: bool(link) and link[0] == "link link-ok", timeout=60)
        snap = api(server.url, "GET", "/snapshot", role="viewer").json()
        expected = sorted(str(o["id"]) for o in snap["workorders"])
        assert str(second) in expected
        wait_for(driver, STATE, lambda s: sorted(s["orders"]) == expected, timeout=20)
        wait_for(driver, DRAWN, lambda d: sorted(d["orders"]) == expected, timeout=20)
    finally:
        server.stop()
