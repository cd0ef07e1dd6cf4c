"""In a real browser: a complaint posted by the platform shows in the console's ticket tab with its count; the
dispatcher opens it and marks the customer contacted; the desk and the API agree, and the wall's tile counts it."""
import pytest
from selenium.webdriver.common.by import By

from tests.browser.wall_page import api, sign_in, wait_for
from tests.conftest import now_utc

pytestmark = pytest.mark.browser
COUNT = "const e = document.querySelector('.tab-count-tickets'); return e ? e.innerText : ''"
DETAIL = "const e = document.getElementById('console-ticket-detail'); return e ? e.innerText : ''"


def test_a_posted_complaint_shows_on_the_console_and_a_dispatcher_marks_it_contacted(dash_duo, app, services,
                                                                                      console_people, artifacts):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, console = dash_duo.server.url, dash_duo.driver
    sign_in(console, url, console_people["dispatcher"])
    assert console.current_url.endswith("/console")
    wait_for(console, COUNT, lambda n: n == "0")

    body = {"external_id": "B-1", "kind": "complaint", "received_at": now_utc().isoformat(),
            "subject": "抢修人员到达太慢", "lon": 116.4075, "lat": 39.9040, "phone": "13800138000"}
    r = api(url, "POST", "/tickets", json=body)
    assert r.status_code == 201
    tid = r.json()["id"]
    wait_for(console, COUNT, lambda n: n == "1")  # the live push moved the tab's count

    tab = next(e for e in console.find_elements(By.CSS_SELECTOR, ".console-tabs .tab-label")
               if "客服工单" in e.text)
    tab.click()
    card = wait_for(console, f"const e = document.querySelector('.ticket-card[data-ticket=\"{tid}\"]');"
                             "return e ? e.innerText : ''", lambda text: "抢修人员到达太慢" in text)
    assert "投诉" in card and "运检" in card
    assert not console.find_element(By.ID, "console-orders-pane").is_displayed()
    assert not console.find_element(By.ID, "console-order-desk").is_displayed()

    console.find_element(By.CSS_SELECTOR, f".ticket-card[data-ticket='{tid}'] .lane-id").click()
    detail = wait_for(console, DETAIL, lambda text: text.startswith(f"#{tid}"))
    assert "联系时限" in detail and "办结时限" in detail and "受理" in detail
    button = wait_for(console, "return [...document.querySelectorAll('#console-ticket-actions button')]"
                               ".map(b => b.innerText)", lambda names: "已联系客户" in names)
    assert button == ["已联系客户", "撤销"]
    next(b for b in console.find_elements(By.CSS_SELECTOR, "#console-ticket-actions button")
         if b.text == "已联系客户").click()
    wait_for(console, "return document.getElementById('console-message').innerText",
             lambda text: f"#{tid}" in text and "已联系" in text)
    wait_for(console, "const e = document.querySelector('#console-ticket-detail .desk-state');"
                      "return e ? e.innerText : ''", lambda text: text == "已联系")
    state = api(url, "GET", f"/tickets/{tid}", role="dispatcher").json()
    assert state["status"] == "contacted" and state["timeline"][-1]["actor"] == console_people["dispatcher"][0]
    wait_for(console, "return [...document.querySelectorAll('#console-ticket-actions button')].map(b => b.innerText)",
             lambda names: names == ["办结", "撤销"])
    console.save_screenshot(str(artifacts / "console-tickets.png"))
