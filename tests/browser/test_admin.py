"""In a real browser: an admin opens /admin for a grid, is told a malformed manager phone by its field and nothing is
stored, saves a good one, then finds the notice a failing receiver left dead and sends it again; the receiver,
back up, gets it with the same id. The page fits 1920×1080 and 1280×800."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.services.accounts import add_user
from tests.browser.test_hardening import WATCH_CSP
from tests.browser.wall_page import api, set_viewport, sign_in, wait_for
from tests.conftest import now_utc
from tests.support.polling import wait_until
from tests.support.receivers import HttpReceiver

pytestmark = pytest.mark.browser
TEXT = "const e = document.getElementById(arguments[0]); return e ? e.innerText : ''"
VALUE = "const e = document.getElementById(arguments[0]); return e ? e.value : null"


@pytest.fixture
def receiver():
    r = HttpReceiver(mode="fail").up()
    yield r
    r.down()


@pytest.fixture
def config(config, receiver):
    return config.with_(notify=f"webhook+{receiver.url}/sms", notify_timeout_s=1, notify_tries=1, notify_poll_s=60)


@pytest.fixture
def admin(services):
    with services.db.write() as session:
        add_user(session, "zhao", "admin-password", "admin", now_utc())
    return "zhao", "admin-password"


def _type(driver, element_id: str, text: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.BACKSPACE)
    field.send_keys(text)


def _text(driver, element_id: str) -> str:
    return driver.execute_script(TEXT, element_id)


def test_an_admin_fixes_a_managers_phone_and_sends_a_dead_notice_again(dash_duo, app, grid, receiver, admin,
                                                                       artifacts):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    assert api(url, "PUT", f"/grids/{grid}/contacts", role="admin", json={
        "manager": {"name": "王建国", "phone": "13800138000"}}).status_code == 200
    assert api(url, "POST", "/outages", json={"external_id": "O-1", "kind": "unplanned", "grid_ids": [grid],
                                              "start": now_utc().isoformat(), "customers_affected": 30}).ok
    history = lambda: api(url, "GET", "/notifications", role="admin").json()["items"]  # noqa: E731
    assert wait_until(lambda: [i["status"] for i in history()] == ["dead"], timeout=10)
    [dead] = history()

    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_CSP})
    sign_in(driver, url, admin)  # an admin's home is the console
    driver.get(f"{url}/admin?grid={grid}")
    wait_for(driver, VALUE.replace("arguments[0]", "'admin-m-phone'"), lambda v: v == "13800138000")
    _type(driver, "admin-m-phone", "12345")
    driver.find_element(By.ID, "admin-save").click()
    wait_for(driver, TEXT.replace("arguments[0]", "'admin-contact-msg'"), lambda t: "manager.phone" in t)
    assert "手机号" in _text(driver, "admin-contact-msg")
    assert api(url, "GET", f"/grids/{grid}/contacts", role="admin").json()["manager"]["phone"] == "13800138000"
    _type(driver, "admin-m-phone", "139-0000-0009")
    driver.find_element(By.ID, "admin-save").click()
    wait_for(driver, TEXT.replace("arguments[0]", "'admin-contact-msg'"), lambda t: t.startswith("已保存"))
    assert api(url, "GET", f"/grids/{grid}/contacts", role="admin").json()["manager"]["phone"] == "13900000009"
    wait_for(driver, VALUE.replace("arguments[0]", "'admin-m-phone'"), lambda v: v == "13900000009")  # as stored

    tabs = driver.find_elements(By.CSS_SELECTOR, ".admin-tabs .tab-label")
    [dead_tab] = [e for e in tabs if "发送失败" in e.text]
    dead_tab.click()
    wait_for(driver, "return [...document.querySelectorAll('.notice-row.row-dead')].map(r => r.dataset.id)",
             lambda ids: ids == [str(dead["id"])])
    assert "138****8000" in _text(driver, "admin-n-table")  # the phone it was sent to, partly masked
    assert "13800138000" not in _text(driver, "admin-n-table")
    for width, height in ((1920, 1080), (1280, 800)):
        set_viewport(driver, width, height)
        fits = driver.execute_script(
            "const b = document.querySelector('.requeue-button').getBoundingClientRect();"
            "const a = document.querySelector('.admin');"
            "return b.right <= innerWidth && b.bottom <= innerHeight && a.scrollWidth <= a.clientWidth + 1")
        assert fits, (width, height)
        driver.save_screenshot(str(artifacts / f"admin-dead-{width}x{height}.png"))
    receiver.mode = "ok"
    driver.find_element(By.CSS_SELECTOR, ".requeue-button").click()
    wait_for(driver, TEXT.replace("arguments[0]", "'admin-n-msg'"), lambda t: "已重新排队 1 条" in t)
    assert wait_until(lambda: receiver.delivered("/sms"), timeout=10)
    assert [r.body["id"] for r in receiver.delivered("/sms")] == [dead["notice_id"]]
    assert wait_until(lambda: history()[0]["status"] == "sent")
    assert driver.execute_script("return window.__csp") == []  # the page runs under the app's CSP


def test_a_dispatcher_opening_admin_gets_a_403_page(dash_duo, app, console_people):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, console_people["dispatcher"])
    assert not driver.find_elements(By.CSS_SELECTOR, "a.nav-link[href='/admin']")
    driver.get(f"{url}/admin")
    assert "无权" in driver.find_element(By.TAG_NAME, "body").text
    assert not driver.find_elements(By.ID, "admin-pane")
