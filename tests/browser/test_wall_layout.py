"""The wall at projector sizes, in a real browser: no scrollbars, no panel over another, everything on screen,
the figures shown equal the snapshot's, and English when asked for."""
import time

import pytest

from tests.browser.wall_page import DRAWN, STATE, api, seed_scene, set_viewport, sign_in, wait_for

pytestmark = pytest.mark.browser

# Boxes of the panels and header, and whether anything in a panel spills out of it.
GEOMETRY = """
const box = e => { const r = e.getBoundingClientRect(); return {id: e.id || e.className, l: r.left, t: r.top, r: r.right, b: r.bottom}; };
const panels = [...document.querySelectorAll('.wall-header, .panel')].map(box);
const spill = [...document.querySelectorAll('.panel-body')].filter(b => b.scrollHeight > b.clientHeight + 1 || b.scrollWidth > b.clientWidth + 1)
  .map(b => b.parentElement.id);
const legend = box(document.getElementById('wall-legend')), stamp = box(document.getElementById('wall-map-stamp'));
return {panels, spill, legend, stamp, vw: innerWidth, vh: innerHeight,
        sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight,
        bodyOverflow: getComputedStyle(document.body).overflow};
"""


def _overlap(a, b) -> bool:
    return min(a["r"], b["r"]) - max(a["l"], b["l"]) > 1 and min(a["b"], b["b"]) - max(a["t"], b["t"]) > 1


@pytest.mark.parametrize("width, height", [(1920, 1080), (3840, 2160), (1366, 768)])
def test_fits_the_screen_without_scrollbars_or_overlaps(dash_duo, app, wall_user, artifacts, width, height):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    seed_scene(url)
    set_viewport(driver, width, height)
    sign_in(driver, url, wall_user)
    wait_for(driver, DRAWN, lambda d: d and len(d["orders"]) == 8)
    time.sleep(1.5)  # one more tick: alarms and tiles filled in
    g = driver.execute_script(GEOMETRY)
    assert (g["vw"], g["vh"]) == (width, height)
    assert g["sw"] <= width and g["sh"] <= height, g
    assert g["spill"] == [], g["spill"]
    for i, a in enumerate(g["panels"]):
        assert a["l"] >= -1 and a["t"] >= -1 and a["r"] <= width + 1 and a["b"] <= height + 1, a
        for b in g["panels"][i + 1:]:
            assert not _overlap(a, b), (a, b)
    assert not _overlap(g["legend"], g["stamp"])
    driver.save_screenshot(str(artifacts / f"wall-{width}x{height}.png"))


def test_figures_on_the_wall_equal_the_snapshot(dash_duo, app, wall_user, artifacts):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    scene = seed_scene(url)
    sign_in(driver, url, wall_user)
    snap = api(url, "GET", "/snapshot", role="viewer").json()
    drawn = wait_for(driver, DRAWN, lambda d: d and len(d["orders"]) == len(snap["workorders"]))
    assert sorted(drawn["orders"]) == sorted(str(o["id"]) for o in snap["workorders"])
    assert sorted(drawn["crews"]) == sorted(c["id"] for c in snap["crews"] if c["lon"] is not None)
    assert drawn["links"] == 1  # the one dispatched crew, drawn to its order
    assert drawn["warn"] >= 1  # the overdue order has its warning ring
    assert drawn["unplanned"] == 3 and drawn["planned"] == 1
    text = lambda el_id: driver.execute_script(f"return document.getElementById('{el_id}').textContent")  # noqa: E731
    wait_for(driver, "return document.getElementById('kpi-open').textContent",
             lambda t: t == str(len(snap["workorders"])))
    assert text("kpi-received") == str(snap["kpis"]["received_today"])
    assert text("kpi-customers_out") == str(snap["kpis"]["customers_out"])
    assert text("kpi-overdue") == "1"
    assert wait_for(driver, "return document.getElementById('wall-duty').textContent",
                    lambda t: t == "值班长 欧阳建国 · 调度 3 · 座席 12 · 抢修队 4")  # the duty roster now
    seats = driver.execute_script("return document.querySelectorAll('#wall-seats .seat-dot').length")
    assert seats == len(snap["seats"])
    # Live staffing per queue (Erlang C, from the KPIs): "needed / logged in", red when short.
    staffing = {q["id"]: q for q in snap["kpis"]["staffing"]}
    assert staffing["repair"]["short"] and not staffing["complaint"]["short"]
    cells = wait_for(driver, "return [...document.querySelectorAll('#wall-queues td.queue-staffing')]"
                     ".map(td => [td.textContent, td.className])", lambda c: c and len(c) == 2)
    assert cells == [[f"{staffing[q]['agents_needed']} / {staffing[q]['agents_logged_in']}",
                      f"queue-staffing {'bad' if staffing[q]['short'] else 'good'}"] for q in ("complaint", "repair")]
    assert staffing["repair"]["agents_logged_in"] == 6 and staffing["repair"]["agents_needed"] > 6
    # The alarms: the overdue order and the outage with vulnerable customers are listed.
    alarms = wait_for(driver, "return document.getElementById('wall-alarms').textContent",
                      lambda t: "超时未到达" in t and "敏感/重要客户停电" in t)
    assert f"#{scene['orders'][0]}" in alarms


def test_english_on_request(dash_duo, app, wall_user, artifacts):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    seed_scene(url)
    sign_in(driver, url, wall_user)
    driver.get(f"{url}/lang/en?next=/")
    wait_for(driver, STATE, lambda s: s and s["seq"] is not None)
    wait_for(driver, DRAWN, lambda d: d and len(d["orders"]) == 8)
    time.sleep(3)  # let WebGL paint before the picture
    page = driver.execute_script("return document.querySelector('.wall').innerText")
    for label in ("Power Supply Service Command Center", "Open orders", "Alarms", "Seats and queues", "LIVE",
                  "Overdue, no arrival", "Planned outage", "Crews"):
        assert label in page, label
    # No Chinese left in the English wall's labels (grid, crew and duty chief names are data and may be Chinese).
    chrome = driver.execute_script("return [...document.querySelectorAll('.panel-title, .kpi-label, .legend, "
                                   ".queue-table th, .wall-header')].map(e => e.innerText).join(' ')")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in chrome.replace("中文", "").replace("欧阳建国", "")), chrome
    driver.save_screenshot(str(artifacts / "wall-en-1920x1080.png"))
