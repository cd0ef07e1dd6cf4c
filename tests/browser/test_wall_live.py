"""In a real browser: sign in, the wall syncs, a fault posted to the API appears on the map; nothing leaves."""
import time
from urllib.parse import urlparse

import pytest
import requests
from selenium.webdriver.common.by import By

from tests.conftest import TOKENS, make_fault

pytestmark = pytest.mark.browser

STATE = "return window.gridcmd ? {seq: gridcmd.state.seq, orders: [...gridcmd.state.workorder.keys()]} : null"
MAP_POINTS = ("const g = document.querySelector('#wall-map .js-plotly-plot');"
              "return g && g.data ? g.data[3].customdata.map(String) : null")


def _wait(driver, script, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if predicate(value):
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out; last value {value!r}")


def _sign_in(dash_duo, app, user):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    driver = dash_duo.driver
    driver.get(f"{dash_duo.server.url}/login")
    driver.find_element(By.NAME, "user").send_keys(user[0])
    driver.find_element(By.NAME, "password").send_keys(user[1])
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    return driver


def test_fault_posted_to_the_api_appears_on_the_wall_map(dash_duo, app, wall_user, artifacts):
    driver = _sign_in(dash_duo, app, wall_user)
    _wait(driver, STATE, lambda s: s and s["seq"] is not None)
    r = requests.post(f"{dash_duo.server.url}/api/v1/faults", json=make_fault(),
                      headers={"Authorization": f"Bearer {TOKENS['ingest']}"}, timeout=10)
    assert r.status_code == 201
    order = str(r.json()["workorder_id"])
    _wait(driver, STATE, lambda s: order in s["orders"], timeout=10)
    _wait(driver, MAP_POINTS, lambda pts: pts is not None and order in pts, timeout=10)  # redrawn ≤ 1 s later
    assert _wait(driver, "return document.getElementById('kpi-open').textContent", lambda t: t == "1")
    assert "实时" in driver.find_element(By.ID, "wall-link").text
    # A resync (what a seq gap triggers) keeps the data and the green link; only a lost socket turns it red.
    resyncs = driver.execute_script("const n = gridcmd.state.resyncs; gridcmd.resync(); return n")
    _wait(driver, "return gridcmd.state.resyncs", lambda n: n == resyncs + 1)
    for _ in range(5):
        assert driver.find_element(By.ID, "wall-link").get_attribute("class") == "link link-ok"
        assert order in driver.execute_script(STATE)["orders"]
        time.sleep(0.2)
    time.sleep(1.5)  # let WebGL paint the new marker before the picture is taken
    driver.save_screenshot(str(artifacts / "wall-live-1920.png"))

    # Chinese glyphs come from a local font, not a fallback box.
    assert driver.execute_script("return document.fonts.check('16px \"WenQuanYi Micro Hei\"', '供电')")
    # Offline: every resource the page loaded (scripts, styles, fetches, fonts) came from this machine.
    urls = driver.execute_script("return [location.href, ...performance.getEntriesByType('resource')"
                                 ".map(e => e.name)]")
    hosts = {urlparse(u).hostname for u in urls}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    assert not [e for e in driver.get_log("browser") if "Map error" in e["message"]]
