"""In a real browser: a wall opened on a replay of the recorded storm says REPLAY in big letters, in a frame of its
own colour, shows the replay's time, and the storm's orders and outages appear on it; the live wall stays live."""
import time

import pytest
from selenium.webdriver.common.by import By

from dashboard.replay.recording import load_demo_storm
from tests.browser.wall_page import STATE, api, sign_in, wait_for
from tests.conftest import now_utc

pytestmark = pytest.mark.browser
REPLAYED = ("return window.gridcmd && gridcmd.state && gridcmd.state.seq !== null ? {seq: gridcmd.state.seq, "
            "orders: gridcmd.state.workorder.size, outages: gridcmd.state.outage.size, crews: gridcmd.state.crew.size}"
            " : null")


def test_the_wall_plays_the_recorded_storm_marked_replay(dash_duo, app, services, wall_user, artifacts):
    assert load_demo_storm(services.db, now_utc())
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, wall_user)  # the live wall first
    assert not driver.find_element(By.ID, "replay-banner").is_displayed()
    storm = api(url, "GET", "/replays", role="viewer").json()["recordings"][0]
    r = api(url, "POST", "/replays", role="dispatcher", json={"from": storm["from"], "to": storm["to"], "speed": 60})
    assert r.status_code == 201, r.text
    replay = r.json()
    driver.get(f"{url}/wall?replay={replay['id']}")
    banner = driver.find_element(By.ID, "replay-banner")
    assert banner.is_displayed() and "REPLAY 回放" in banner.text and "60×" in banner.text
    assert "replay-mode" in driver.find_element(By.ID, "wall-canvas").get_attribute("class")
    assert driver.execute_script("return getComputedStyle(document.getElementById('wall-canvas')).outlineColor") \
        == "rgb(255, 145, 0)"
    # The storm's crews come at once, its orders and outages as it plays (a minute of storm a second).
    got = wait_for(driver, REPLAYED, lambda s: s and s["orders"] > 0 and s["outages"] > 0 and s["crews"] > 50,
                   timeout=60)
    assert got["seq"] >= 1
    wait_for(driver, "return document.getElementById('live-link').textContent", lambda t: "回放" in t)
    # The clock reads the replay's day (a month back), not today.
    clock = driver.find_element(By.ID, "live-clock").text
    day = storm["from"][5:10].replace("-", "/")
    assert day in clock, (clock, day)
    time.sleep(1.5)
    driver.save_screenshot(str(artifacts / "wall-replay-1920.png"))
    api(url, "POST", f"/replays/{replay['id']}/stop", role="dispatcher")
    # The live wall, meanwhile, is live and empty of the storm.
    driver.get(f"{url}/wall")
    wait_for(driver, STATE, lambda s: s and s["seq"] is not None)
    assert driver.execute_script("return gridcmd.state.workorder.size") == 0
    assert not driver.find_element(By.ID, "replay-banner").is_displayed()


def test_a_supervisor_picks_the_storm_and_lands_on_its_replay_wall(dash_duo, app, services, console_people):
    assert load_demo_storm(services.db, now_utc())
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, console_people["dispatcher"], "/wall")
    driver.find_element(By.CSS_SELECTOR, "a.replay-link").click()
    button = wait_for(driver, "return [...document.querySelectorAll('.replay-picker button')]"
                      ".find(b => b.textContent.includes('60×')) || null", lambda b: b is not None)
    button.click()
    wait_for(driver, "return location.search", lambda q: q.startswith("?replay=") and q != "?replay=pick")
    wait_for(driver, REPLAYED, lambda s: s and s["crews"] > 50, timeout=30)
    assert "REPLAY 回放" in driver.find_element(By.ID, "replay-banner").text
    assert [r["status"] for r in api(url, "GET", "/replays", role="viewer").json()["replays"]] in (["playing"],
                                                                                                    ["done"])
