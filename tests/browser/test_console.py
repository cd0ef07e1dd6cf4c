"""In real browsers: a dispatcher runs the console from the keyboard (the most urgent order, the top crew, a
confirm) and a wall open in a second browser shows the crew dispatched; the console runs under its CSP."""
import time
from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.test_hardening import WATCH_CSP
from tests.browser.wall_page import STATE, api, sign_in, wait_for
from tests.conftest import make_fault

pytestmark = pytest.mark.browser
DETAIL = "const e = document.getElementById('console-detail'); return e ? e.innerText : ''"
CREW = "return gridcmd.state && gridcmd.state.crew.get(arguments[0]) ? gridcmd.state.crew.get(arguments[0]).status : null"


def _scene(url: str) -> tuple[str, str]:
    now = datetime.now(timezone.utc)
    faults = [make_fault(external_id=f"K-{i}", category="meter", lon=116.40 + i / 100,
                         reported_at=(now - timedelta(minutes=minutes)).isoformat())
              for i, minutes in enumerate((5, 30, 12))]  # the second is the most urgent: 15 min left of 45
    orders = [str(r["workorder_id"]) for r in api(url, "POST", "/faults", json={"items": faults}).json()["results"]]
    for i, (lon, skills) in enumerate(((116.42, ["lv", "meter"]), (116.60, ["lv"]), (116.45, ["lv", "meter"]))):
        api(url, "PUT", f"/crews/K{i}", json={"name": f"抢修{i}班", "team": "城区", "skills": skills, "members": 3,
                                               "on_duty": True})
        api(url, "POST", "/crews/positions", json={"items": [{"crew_id": f"K{i}", "lon": lon, "lat": 39.904,
                                                              "at": now.isoformat()}]})
    return orders[1], "K0"


def test_a_dispatcher_sends_the_top_crew_with_the_keyboard_and_the_wall_shows_it(dash_duo, app, services,
                                                                                   console_people, second_browser):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, console = dash_duo.server.url, dash_duo.driver
    urgent, top_crew = _scene(url)
    console.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_CSP})
    sign_in(second_browser, url, ("wang", "wall-password"))  # the wall, at /wall
    assert second_browser.current_url.endswith("/wall")
    sign_in(console, url, ("li", "dispatch-password"))
    assert console.current_url.endswith("/console")
    wait_for(console, "return document.querySelectorAll('#console-grid .ag-row').length", lambda n: n == 3)
    body = console.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_DOWN)  # the list comes into play at its most urgent order
    body.send_keys(Keys.ENTER)
    wait_for(console, DETAIL, lambda text: text.startswith(f"#{urgent}"))
    wait_for(console, "return document.querySelectorAll('.assign-button').length", lambda n: n == 3)
    assert console.execute_script("return document.querySelector('.assign-button').dataset.crew") == "抢修0班"
    body.send_keys("1")
    wait_for(console, "const e = document.getElementById('console-confirm'); return e.hidden ? '' : e.innerText",
             lambda text: "抢修0班" in text)
    started = time.monotonic()
    body.send_keys(Keys.ENTER)
    wait_for(console, "return document.getElementById('console-message').innerText", lambda t: "抢修0班" in t or
             top_crew in t)
    wait_for(second_browser, CREW.replace("arguments[0]", f"'{top_crew}'"), lambda s: s == "dispatched", timeout=10)
    print(f"keyboard confirm → the wall shows the crew dispatched: {time.monotonic() - started:.2f} s")
    order = api(url, "GET", f"/workorders/{urgent}", role="dispatcher").json()
    assert order["status"] == "dispatched" and order["crew_id"] == top_crew
    assert order["timeline"][-1]["actor"] == "li"
    assert console.execute_script("return window.__csp") == []
    wait_for(second_browser, STATE, lambda s: s and urgent in s["orders"])


def test_a_viewer_opening_the_console_gets_a_403_page(dash_duo, app, wall_user):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, wall_user)
    driver.get(f"{url}/console")
    assert "无权" in driver.find_element(By.TAG_NAME, "body").text
    assert not driver.find_elements(By.ID, "console-grid")
