"""In a real browser: the wall syncs, a pushed order appears on the map and a resolved one leaves it, a missed
update is refetched without a snapshot, and nothing is loaded from anywhere but this machine."""
import time
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By

from tests.browser.wall_page import DRAWN, STATE, api, sign_in, wait_for
from tests.conftest import make_fault

pytestmark = pytest.mark.browser


def test_a_pushed_order_appears_and_a_resolved_one_disappears(dash_duo, app, wall_user, artifacts):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, wall_user)
    r = api(url, "POST", "/faults", json=make_fault())
    assert r.status_code == 201
    order = str(r.json()["workorder_id"])
    wait_for(driver, STATE, lambda s: order in s["orders"], timeout=10)
    wait_for(driver, DRAWN, lambda d: d and order in d["orders"], timeout=10)  # redrawn ≤ 1 s later
    wait_for(driver, "return document.getElementById('kpi-open').textContent", lambda t: t == "1")
    assert "实时" in driver.find_element(By.ID, "live-link").text
    time.sleep(1.5)  # let WebGL paint the new marker before the picture is taken
    driver.save_screenshot(str(artifacts / "wall-live-1920.png"))

    version = api(url, "GET", f"/workorders/{order}", role="dispatcher").json()["version"]
    r = api(url, "POST", f"/workorders/{order}/transition", role="dispatcher",
            json={"to": "cancelled", "note": "not a grid fault", "version": version})
    assert r.status_code == 200, r.text
    wait_for(driver, STATE, lambda s: order not in s["orders"], timeout=10)
    wait_for(driver, DRAWN, lambda d: order not in d["orders"], timeout=10)
    wait_for(driver, "return document.getElementById('kpi-open').textContent", lambda t: t == "0")

    # Chinese glyphs come from a local font, not a fallback box.
    assert driver.execute_script("return document.fonts.check('16px \"WenQuanYi Micro Hei\"', '供电')")
    # Offline: every resource the page loaded (scripts, styles, fetches, fonts) came from this machine.
    urls = driver.execute_script("return [location.href, ...performance.getEntriesByType('resource')"
                                 ".map(e => e.name)]")
    assert {urlparse(u).hostname for u in urls} <= {"127.0.0.1", "localhost"}
    assert not [e for e in driver.get_log("browser") if "Map error" in e["message"]]


def test_a_missed_update_is_refetched_and_a_resync_keeps_the_link_green(dash_duo, app, wall_user):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, wall_user)
    # Pretend the browser lost the last update (two pushes in one tick collapse): the next one shows a gap,
    # which is filled from /updates, not from a whole snapshot.
    first = api(url, "POST", "/faults", json=make_fault()).json()["workorder_id"]
    wait_for(driver, STATE, lambda s: str(first) in s["orders"])
    before = driver.execute_script("const s = gridcmd.state; s.seq -= 1; s.workorder.clear();"
                                   "return {resyncs: s.resyncs, gaps: s.gapFills}")
    second = api(url, "POST", "/faults", json=make_fault(lon=116.42, lat=39.91)).json()["workorder_id"]
    wait_for(driver, STATE, lambda s: str(second) in s["orders"])
    after = driver.execute_script("return {resyncs: gridcmd.state.resyncs, gaps: gridcmd.state.gapFills}")
    assert after == {"resyncs": before["resyncs"], "gaps": before["gaps"] + 1}

    # A full resync keeps the data on screen and the link green; only a lost socket turns it red.
    resyncs = driver.execute_script("const n = gridcmd.state.resyncs; gridcmd.resync(); return n")
    wait_for(driver, "return gridcmd.state.resyncs", lambda n: n == resyncs + 1)
    for _ in range(5):
        assert driver.find_element(By.ID, "live-link").get_attribute("class") == "link link-ok"
        assert str(second) in driver.execute_script(STATE)["orders"]
        time.sleep(0.2)


def test_dash_undo_history_stays_short_on_a_wall_that_runs_for_days(dash_duo, app, wall_user):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, wall_user)
    for _ in range(5):  # pushed updates are recorded too
        api(url, "POST", "/faults", json=make_fault())
    # Every tick and every push is an input change; unchecked, Dash keeps each one (plotly/dash#727).
    wait_for(driver, "return gridcmd.ticks", lambda n: n and n >= 12, timeout=30)
    assert driver.execute_script("return window.store.getState().history.past.length") <= 6


def test_planned_outages_of_the_next_day_are_listed_apart_and_counted_nowhere(dash_duo, app, wall_user):
    from datetime import timedelta

    from tests.conftest import now_utc
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, wall_user)
    wait_for(driver, "return document.getElementById('wall-upcoming').textContent", lambda t: "24" in t)
    geometry = {"type": "Polygon", "coordinates": [[[116.40, 39.90], [116.41, 39.90], [116.41, 39.91],
                                                    [116.40, 39.90]]]}
    for ext, hours, customers in (("P-SOON", 3, 4321), ("P-LATER", 72, 9876)):
        r = api(url, "POST", "/outages", json={
            "external_id": ext, "kind": "planned", "geometry": geometry, "customers_affected": customers,
            "start": (now_utc() + timedelta(hours=hours)).isoformat(), "cause": "检修",
            "notified_at": (now_utc() - timedelta(days=1)).isoformat()})
        assert r.status_code == 201, r.text
    text = wait_for(driver, "return document.getElementById('wall-upcoming').textContent", lambda t: "4321" in t)
    assert "9876" not in text  # three days away: not in the next 24 h
    assert "公告不足7天" in text  # noticed a day ahead: late, flagged
    assert driver.execute_script("return document.getElementById('kpi-customers_out').textContent") == "0"


def test_a_planned_outage_noticed_late_is_alarmed_until_it_ends(dash_duo, app, wall_user):
    from datetime import timedelta

    from tests.conftest import now_utc
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, wall_user)
    wait_for(driver, "return document.getElementById('wall-alarms').textContent", lambda t: "无告警" in t)
    start = now_utc() + timedelta(days=3)  # beyond the next 24 h: not "upcoming", still alarmed
    r = api(url, "POST", "/outages", json={
        "external_id": "P-LATE", "kind": "planned", "grid_ids": ["110101-001"], "start": start.isoformat(),
        "customers_affected": 2468, "cause": "检修", "notified_at": now_utc().isoformat()})
    assert r.status_code == 201 and r.json()["notice_ok"] is False, r.text
    text = wait_for(driver, "return document.getElementById('wall-alarms').textContent",
                    lambda t: "计划停电通知不及时" in t)
    assert "2468" in text and "计划检修应提前7天" in text
    r = api(url, "PATCH", f"/outages/{r.json()['id']}", json={"end": (start + timedelta(hours=2)).isoformat()})
    assert r.status_code == 200, r.text
    wait_for(driver, "return document.getElementById('wall-alarms').textContent",
             lambda t: "计划停电通知不及时" not in t)
