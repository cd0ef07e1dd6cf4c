"""In a real browser, signed out, on a phone (390×844) and a desktop: /outages shows the outage's district and ETR,
fits the screen, loads nothing from anywhere but this machine, and logs no error."""
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By

from dashboard.web.outage_notice_page import local_time
from tests.browser.wall_page import api
from tests.conftest import now_utc

pytestmark = pytest.mark.browser


def _screen(driver, width: int, height: int, mobile: bool) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def test_the_public_page_on_a_phone_signed_out(dash_duo, app, services, grid, artifacts):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    now = now_utc()
    etr = now + timedelta(hours=2)
    body = {"external_id": "U-1", "kind": "unplanned", "grid_ids": [grid], "start": (now - timedelta(hours=1))
            .isoformat(), "etr": etr.isoformat(), "customers_affected": 860, "cause": "大风致线路跳闸"}
    assert api(url, "POST", "/outages", json=body).status_code == 201
    planned = {"external_id": "P-1", "kind": "planned", "grid_ids": [grid], "start": (now + timedelta(days=2))
               .isoformat(), "etr": (now + timedelta(days=2, hours=6)).isoformat(), "customers_affected": 2400}
    assert api(url, "POST", "/outages", json=planned).status_code == 201

    driver.delete_all_cookies()
    _screen(driver, 390, 844, mobile=True)
    driver.get(f"{url}/outages")
    assert urlparse(driver.current_url).path == "/outages"  # not sent to the sign-in page
    now_section = driver.find_element(By.CSS_SELECTOR, ".pub-now")
    assert "东城区" in now_section.text
    assert local_time(etr.isoformat(), "Asia/Shanghai", "zh") in now_section.text  # the ETR, in Beijing time
    assert "预计复电" in now_section.text and "860 户" in now_section.text
    assert "2,400 户" in driver.find_element(By.CSS_SELECTOR, ".pub-coming").text
    # Fits a phone: no sideways scrolling, text large enough to read.
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    size = driver.execute_script("return parseFloat(getComputedStyle(document.querySelector('.pub-row dd'))"
                                 ".fontSize)")
    assert size >= 14
    assert driver.execute_script("return document.fonts.check('16px \"WenQuanYi Micro Hei\"', '停电')")
    assert driver.execute_script("return document.querySelector('meta[http-equiv=refresh]').content") == "60"
    driver.save_screenshot(str(artifacts / "public-outages-390.png"))

    _screen(driver, 1366, 900, mobile=False)
    driver.get(f"{url}/outages?lang=en")
    assert "Expected back" in driver.find_element(By.CSS_SELECTOR, ".pub-now").text
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1366
    driver.save_screenshot(str(artifacts / "public-outages-1366.png"))

    # Offline: every resource came from this machine; and the console is clean.
    urls = driver.execute_script("return [location.href, ...performance.getEntriesByType('resource')"
                                 ".map(e => e.name)]")
    assert {urlparse(u).hostname for u in urls} <= {"127.0.0.1", "localhost"}
    assert any(u.endswith("/assets/public/outages.css") for u in urls)
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
