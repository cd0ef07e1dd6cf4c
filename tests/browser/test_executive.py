"""In a real browser: an executive signs in and lands on /executive; its tiles show what GET /kpis says, the ASAI
tile and the reliability table what GET /reliability says for the same period, the district ranking what
GET /kpis?from=&to= says for the chosen period; a new outage moves the live tile; a dispatcher or viewer gets a 403
page; English on request; every request stays on this machine. Screenshots at three sizes."""
from datetime import datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest

from dashboard.services.accounts import add_user
from tests.browser.test_hardening import WATCH_CSP
from tests.browser.wall_page import STATE, api, seed_scene, set_viewport, sign_in, wait_for
from tests.conftest import now_utc

pytestmark = pytest.mark.browser
TEXT = "const e = document.getElementById(arguments[0]); return e ? e.innerText : ''"
PEOPLE = {"executive": ("liu", "exec-password"), "dispatcher": ("li", "dispatch-password"),
          "viewer": ("wang", "wall-password")}


@pytest.fixture
def people(services):
    with services.db.write() as session:
        for role, (name, password) in PEOPLE.items():
            add_user(session, name, password, role, now_utc())
    return PEOPLE


def _text(driver, element_id: str) -> str:
    return driver.execute_script(TEXT.replace("arguments[0]", repr(element_id)))


def _tile(driver, key: str) -> str:
    """The tile's value line only (the trend and commitment lines below it are apart)."""
    return driver.execute_script(f"const e = document.querySelector('#exec-tile-{key} .exec-tile-value');"
                                 "return e ? e.innerText : ''")


def _pct(x, places=1) -> str:
    return f"{100 * x:.{places}f}%"


def test_the_executive_page_shows_the_apis_figures(dash_duo, app, people, services, artifacts):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    seed_scene(url)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_CSP})
    sign_in(driver, url, people["executive"])  # an executive's home page is /executive
    assert urlparse(driver.current_url).path == "/executive"

    kpis = api(url, "GET", "/kpis", role="executive").json()
    wait_for(driver, "return document.querySelector('#exec-tile-customers_out .exec-tile-value').innerText",
             lambda t: t.replace(",", "") == str(kpis["customers_out"]))
    assert kpis["customers_out"] == 3000
    assert _tile(driver, "service_level") == _pct(kpis["service_level"])
    # Every tile the live KPIs carry shows their value, not a period figure's.
    for key, live in (("on_time_arrival", "on_time_arrival_rate"), ("callback_completion", "callback_completion"),
                      ("satisfaction", "satisfaction_rate")):
        assert _tile(driver, key) == ("–" if kpis[live] is None else _pct(kpis[live])), key

    # Reliability: the default period is the last 12 months, today included (GET /reliability's `to` excludes).
    tz = services.config.timezone
    today = datetime.now(ZoneInfo(tz)).date()
    first = today - timedelta(days=364)
    rel = api(url, "GET", f"/reliability?from={first}&to={today + timedelta(days=1)}", role="executive").json()
    wait_for(driver, "return document.querySelector('#exec-tile-asai .exec-tile-value').innerText",
             lambda t: t == _pct(rel["all"]["asai"], 4))
    table = _text(driver, "exec-rel-table")
    assert f"{rel['all']['saifi']:.3f}" in table and f"{rel['all']['saidi']:.1f}" in table
    assert f"{100 * rel['all']['asai']:.4f}%" in table

    # The ranking: the chosen period's districts as GET /kpis?from=&to= ranks them (today by default).
    period = api(url, "GET", f"/kpis?from={today}&to={today}", role="executive").json()
    ranking = wait_for(driver, TEXT.replace("arguments[0]", "'exec-ranking'"),
                       lambda t: all(d["district"] in t for d in period["by_district"]))
    rows = [r.split("\t") for r in ranking.splitlines()[1:]]
    assert [r[1] for r in rows] == [d["district"] for d in period["by_district"]]
    assert [int(r[2].replace(",", "")) for r in rows] == [d["received"] for d in period["by_district"]]

    # Live: another outage moves the tile without a reload.
    grids = [f["properties"]["id"] for f in api(url, "GET", "/grids", role="viewer").json()["features"]]
    assert api(url, "POST", "/outages", json={"external_id": "O-live", "kind": "unplanned", "grid_ids": grids[60:61],
                                              "start": now_utc().isoformat(), "customers_affected": 250}).ok
    wait_for(driver, "return document.querySelector('#exec-tile-customers_out .exec-tile-value').innerText",
             lambda t: t.replace(",", "") == "3250", timeout=15)
    staffing = _text(driver, "exec-staffing")
    assert "故障报修" in staffing and "投诉" in staffing  # the queues by name, as the wall names them

    # Offline: every resource the page loaded came from this machine.
    urls = driver.execute_script("return [location.href, ...performance.getEntriesByType('resource')"
                                 ".map(e => e.name)]")
    assert {urlparse(u).hostname for u in urls} <= {"127.0.0.1", "localhost"}
    assert not [e for e in driver.get_log("browser") if "Map error" in e["message"]]
    assert driver.execute_script("return window.__csp") == []  # the page runs under its Content-Security-Policy
    for width, height in ((1920, 1080), (1280, 800), (1024, 768)):
        set_viewport(driver, width, height)
        wait_for(driver, "return [document.documentElement.scrollWidth, document.querySelector('.exec').scrollWidth]",
                 lambda w: w[0] <= width and w[1] <= width)  # never a sideways scroll
        driver.save_screenshot(str(artifacts / f"executive-{width}x{height}.png"))


def test_english_on_request_and_others_refused(dash_duo, app, people):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    sign_in(driver, url, people["executive"])
    driver.get(f"{url}/lang/en?next=/executive")
    wait_for(driver, STATE, lambda s: s and s["seq"] is not None)
    page = wait_for(driver, "return document.querySelector('.exec').innerText",
                    lambda t: "District ranking" in t and "Reliability (IEEE 1366)" in t)
    for label in ("On-time arrival", "Service level (20 s)", "Hotline staffing", "Reports", "LIVE"):
        assert label in page, label
    for role in ("dispatcher", "viewer"):
        driver.delete_all_cookies()
        sign_in(driver, url, people[role])
        driver.get(f"{url}/executive")
        body = wait_for(driver, "return document.body.innerText", lambda t: "may not open" in t or "无权" in t)
        assert "exec-tiles" not in driver.page_source
        assert body
