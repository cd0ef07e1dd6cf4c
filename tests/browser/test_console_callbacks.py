"""In a real browser: a dispatcher opens the pending callbacks (回访) tab, opens the restored order from it, records
the customer satisfied, sees the order called back (visited), and archives it."""
from datetime import datetime, timezone

import pytest
from selenium.webdriver.common.by import By

from tests.browser.wall_page import api, sign_in, wait_for
from tests.conftest import make_fault

pytestmark = pytest.mark.browser
DETAIL = "const e = document.getElementById('console-detail'); return e ? e.innerText : ''"
PANE = "const e = document.getElementById('console-callbacks-pane'); return e && !e.hidden ? e.innerText : ''"
TAB_COUNT = "const e = document.querySelector('.tab-count-callbacks'); return e ? e.innerText : ''"


def _restored_order(url: str) -> str:
    now = datetime.now(timezone.utc)
    order = str(api(url, "POST", "/faults", json=make_fault(external_id="CB-B1", customer_name="赵敏",
                                                            phone="13900000001")).json()["workorder_id"])
    api(url, "PUT", "/crews/K0", json={"name": "抢修0班", "team": "城区", "skills": ["lv"], "members": 3,
                                       "on_duty": True})
    api(url, "POST", "/crews/positions", json={"items": [{"crew_id": "K0", "lon": 116.41, "lat": 39.904,
                                                          "at": now.isoformat()}]})
    version = api(url, "GET", f"/workorders/{order}", role="dispatcher").json()["version"]
    api(url, "POST", f"/workorders/{order}/assign", role="dispatcher", json={"crew_id": "K0", "version": version})
    for to in ("on_site", "restored"):
        assert api(url, "POST", f"/workorders/{order}/transition", json={"to": to}).status_code == 200
    return order


def _click(driver, css: str) -> None:
    wait_for(driver, f"return document.querySelectorAll({css!r}).length", lambda n: n > 0)
    driver.execute_script(f"document.querySelector({css!r}).click()")


def test_a_dispatcher_records_a_satisfied_callback_then_archives_the_order(dash_duo, app, console_people):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, console = dash_duo.server.url, dash_duo.driver
    order = _restored_order(url)
    sign_in(console, url, ("li", "dispatch-password"))
    assert console.current_url.endswith("/console")
    wait_for(console, TAB_COUNT, lambda n: n == "1")  # the tab's live count: one callback waiting
    tab = next(e for e in console.find_elements(By.CSS_SELECTOR, ".console-tabs label") if "回访" in e.text)
    tab.click()
    wait_for(console, PANE, lambda text: f"#{order}" in text and "13900000001" in text)
    _click(console, f".cb-card[data-order='{order}'] .lane-id")
    wait_for(console, DETAIL, lambda text: text.startswith(f"#{order}"))
    wait_for(console, "return document.querySelectorAll('.cb-record').length", lambda n: n == 3)
    console.find_element(By.ID, "console-callback-note").send_keys("抢修及时")
    buttons = console.find_elements(By.CSS_SELECTOR, ".cb-record")
    next(b for b in buttons if b.text == "满意").click()
    wait_for(console, "return document.getElementById('console-message').innerText", lambda t: f"#{order}" in t)
    detail = api(url, "GET", f"/workorders/{order}", role="dispatcher").json()
    assert detail["status"] == "visited" and detail["callback"]["result"] == "satisfied"
    assert detail["callback"]["attempts"][0] | {"at": None, "id": None} == {
        "at": None, "id": None, "result": "satisfied", "note": "抢修及时", "actor": "li", "external_id": None}
    # The desk shows it called back, and the one move left: archive.
    wait_for(console, "const e = document.querySelector('.cb-status'); return e ? e.innerText : ''",
             lambda t: t == "已回访")
    wait_for(console, PANE, lambda text: f"#{order}" not in text)
    wait_for(console, TAB_COUNT, lambda n: n == "0")
    wait_for(console, "return [...document.querySelectorAll('.go-button')].map(b => b.innerText).join('|')",
             lambda t: t.startswith("归档"))
    _click(console, ".go-button")
    wait_for(console, "return document.getElementById('console-message').innerText", lambda t: "归档" in t)
    assert api(url, "GET", f"/workorders/{order}", role="dispatcher").json()["status"] == "closed"
