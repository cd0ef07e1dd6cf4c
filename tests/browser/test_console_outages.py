"""In real browsers: 研判 on the console. Two calls under one transformer predict an outage; the dispatcher sees it
in the console's outage list with its calls, opens its one-line diagram, confirms it, and a wall open in a second
browser redraws it from the predicted layer into the confirmed one."""
import time

import pytest
from selenium.webdriver.common.by import By

from tests.api.test_network_api import fault, network
from tests.browser.test_hardening import WATCH_CSP
from tests.browser.wall_page import api, sign_in, wait_for

pytestmark = pytest.mark.browser
ROWS = ("return [...document.querySelectorAll('#console-outage-grid .ag-center-cols-container .ag-row')].map(r =>"
        " ({id: r.getAttribute('row-id'), cls: r.className, cells: Object.fromEntries([...r.querySelectorAll("
        "'.ag-cell')].map(c => [c.getAttribute('col-id'), c.innerText]))}))")
# Where the wall draws outage N now: the features of each outage layer that belong to it.
LAYERS = ("const g = document.querySelector('#wall-map .js-plotly-plot');"
          "if (!g || !g.data) return null;"
          "const n = k => { const t = g.data.find(x => x.name === k);"
          " return t ? t.locations.filter(l => String(l).split(':')[0] === arguments[0]).length : -1; };"
          "return {predicted: n('outage-predicted'), confirmed: n('outage-unplanned')}")


def _outage(url: str, grid: str) -> dict:
    assert api(url, "PUT", "/topology", json={"devices": network(grid)}).status_code == 200
    for minutes in (6, 2):
        assert api(url, "POST", "/faults", json=fault("T1", minutes)).status_code == 201
    (outage,) = api(url, "GET", "/outages", role="viewer").json()["items"]
    assert (outage["device_id"], outage["status"], outage["calls"]) == ("T1", "predicted", 2)
    return outage


def test_the_dispatcher_confirms_a_predicted_outage_and_the_wall_redraws_it_confirmed(dash_duo, app, services,
                                                                                       console_people, second_browser):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, console = dash_duo.server.url, dash_duo.driver
    outage = _outage(url, services.catalog.index.locate_points([116.4075], [39.9040])[0])
    oid = str(outage["id"])
    console.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_CSP})
    sign_in(second_browser, url, ("wang", "wall-password"))
    assert second_browser.current_url.endswith("/wall")
    wait_for(second_browser, LAYERS.replace("arguments[0]", f"'{oid}'"),
             lambda d: d and d["predicted"] > 0 and d["confirmed"] == 0, timeout=20)
    sign_in(console, url, ("li", "dispatch-password"))
    assert console.current_url.endswith("/console")

    # The tab says how many outages there are; the list shows this one as predicted, with its two calls.
    wait_for(console, "const e = document.querySelector('.tab-count-outages'); return e ? e.innerText : ''",
             lambda n: n == "1")
    console.find_elements(By.CSS_SELECTOR, ".console-tabs .tab-label")[1].click()
    rows = wait_for(console, ROWS, lambda rs: len(rs) == 1 and rs[0]["cells"].get("grid"))
    assert rows[0]["id"] == oid and "orow-predicted" in rows[0]["cls"]
    cells = rows[0]["cells"]
    assert (cells["status"], cells["device_id"], cells["device_kind"], cells["calls"], cells["customers"]) == (
        "研判待确认", "T1", "台区", "2", "100")
    assert cells["workorder_id"] == str(outage["workorder_id"]) and cells["etr"] not in ("", "–")
    assert not console.find_element(By.ID, "console-orders-pane").is_displayed()

    # Its desk: the reason, its order, the feeder's diagram with the calls under T1.
    console.find_element(By.CSS_SELECTOR, f"#console-outage-grid .ag-row[row-id='{oid}']").click()
    detail = wait_for(console, "return document.getElementById('console-outage-detail').innerText",
                      lambda text: text.startswith(f"#{oid}"))
    assert "2 calls under T1" in detail and f"#{outage['workorder_id']}" in detail
    chip = wait_for(console, "const e = document.querySelector('.ol-dev[data-device=\"T1\"]');"
                             "return e ? {cls: e.className, text: e.innerText} : null", lambda c: c is not None)
    assert "ol-here" in chip["cls"] and "ol-predicted" in chip["cls"] and "☎2" in chip["text"]
    assert console.find_element(By.CSS_SELECTOR, ".ol-dev[data-device='F1']").is_displayed()

    started = time.monotonic()
    console.find_element(By.ID, "console-outage-confirm").click()
    wait_for(console, "return document.getElementById('console-message').innerText",
             lambda text: f"停电 #{oid} 已确认" in text)
    wait_for(second_browser, LAYERS.replace("arguments[0]", f"'{oid}'"),
             lambda d: d and d["confirmed"] > 0 and d["predicted"] == 0, timeout=10)
    print(f"confirm on the console → the wall draws it confirmed: {time.monotonic() - started:.2f} s")
    assert api(url, "GET", "/outages", role="viewer").json()["items"][0]["status"] == "confirmed"
    wait_for(console, ROWS, lambda rs: len(rs) == 1 and "orow-confirmed" in rs[0]["cls"])
    wait_for(console, "return document.querySelector('#console-outage-detail .outage-status').innerText",
             lambda text: text == "已确认")
    entry = api(url, "GET", "/audit?action=confirmed", role="admin").json()["items"][0]
    assert entry["actor"] == "li" and entry["object_id"] == oid
    assert console.execute_script("return window.__csp") == []
