"""In a real browser: the wall runs under its Content-Security-Policy, a hostile page on another origin of the same
site changes nothing with the person's cookie, and markup written by clients shows as text on the map."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium.webdriver.common.action_chains import ActionChains

from tests.browser.wall_page import DRAWN, STATE, api, sign_in, wait_for
from tests.conftest import make_fault
from tests.support.servers import free_port

pytestmark = pytest.mark.browser

# Installed before any page script runs: every CSP violation the page meets is kept for the test to read.
WATCH_CSP = ("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push("
             "e.violatedDirective + ' ' + e.blockedURI));")


def test_the_wall_runs_under_its_content_security_policy(dash_duo, app, wall_user):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_CSP})
    order = str(api(url, "POST", "/faults", json=make_fault()).json()["workorder_id"])
    sign_in(driver, url, wall_user)
    wait_for(driver, DRAWN, lambda d: d and order in d["orders"], timeout=20)
    time.sleep(1.0)  # MapLibre's workers and the first paint
    assert driver.execute_script("return window.__csp") == []
    header = driver.execute_script("return fetch('/').then(r => r.headers.get('content-security-policy'))")
    assert "frame-ancestors 'none'" in header and "unsafe-eval" not in header
    severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not [m for m in severe if "Content Security Policy" in m or "Refused" in m], severe


def _hostile_server(target: str, order_id: str, attacker: tuple[str, str]) -> tuple[ThreadingHTTPServer, str]:
    """A page on another origin of the same site (another port of localhost) that tries, with the visitor's
    cookie: a text/plain form posting a fault, a credentialed fetch cancelling an order, a JSON fetch, and a
    form signing the browser in as the attacker (login CSRF)."""
    page = f"""<!doctype html><html><body>
<form id="fault" method="post" action="{target}/api/v1/faults" enctype="text/plain" target="f1">
<input name='{{"external_id": "CSRF-1", "reported_at": "2026-01-01T00:00:00+08:00", "lon": 116.4, "lat": 39.9, "category": "lv", "x": "' value='"}}'></form>
<form id="login" method="post" action="{target}/login" target="f2">
<input name="user" value="{attacker[0]}"><input name="password" value="{attacker[1]}"></form>
<iframe name="f1"></iframe><iframe name="f2"></iframe>
<script>
document.getElementById("fault").submit();
fetch("{target}/api/v1/workorders/{order_id}/transition", {{method: "POST", mode: "no-cors", credentials: "include",
  headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{to: "cancelled"}})}});
fetch("{target}/api/v1/workorders/{order_id}/transition", {{method: "POST", credentials: "include",
  headers: {{"Content-Type": "application/json"}}, body: JSON.stringify({{to: "cancelled"}})}}).catch(() => null);
setTimeout(() => document.getElementById("login").submit(), 500);
setTimeout(() => {{ document.title = "done"; }}, 2000);
</script></body></html>""".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://localhost:{port}/"


def test_a_hostile_page_in_the_same_browser_changes_nothing(dash_duo, app, services, wall_user):
    from dashboard.services.accounts import add_user
    from tests.conftest import now_utc
    with services.db.write() as s:
        add_user(s, "boss", "boss-password", "admin", now_utc())
        add_user(s, "mallory", "mallory-password", "viewer", now_utc())
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url.replace("127.0.0.1", "localhost"), dash_duo.driver
    order = str(api(url, "POST", "/faults", json=make_fault()).json()["workorder_id"])
    sign_in(driver, url, ("boss", "boss-password"))
    hostile, hostile_url = _hostile_server(url, order, ("mallory", "mallory-password"))
    try:
        driver.get(hostile_url)
        wait_for(driver, "return document.title", lambda t: t == "done", timeout=15)
        time.sleep(1.0)
    finally:
        hostile.shutdown()
    snapshot = api(url, "GET", "/snapshot", role="viewer").json()
    assert [str(o["id"]) for o in snapshot["workorders"]] == [order]  # no fault added, the order not cancelled
    assert api(url, "GET", f"/workorders/{order}", role="dispatcher").json()["status"] == "received"
    # Still the boss in this browser, not signed in as the attacker.
    driver.get(url + "/api/v1/sessions")
    assert "mallory" not in driver.page_source and "boss" in driver.page_source


def test_markup_from_clients_shows_as_text_on_the_map(dash_duo, app, wall_user):
    dash_duo.start_server(app, navigate=False, dev_tools_disable_version_check=True)
    url, driver = dash_duo.server.url, dash_duo.driver
    address = '<b style="font-size:60px;color:red">停电告警</b><a href="http://evil.example/">点击</a>'
    order = str(api(url, "POST", "/faults", json=make_fault(address=address)).json()["workorder_id"])
    assert api(url, "PUT", "/crews/X1", json={"name": '<span style="font-size:80px">假队伍</span>', "team": "t",
                                              "skills": [], "members": 2, "on_duty": True}).status_code == 201
    api(url, "POST", "/crews/positions", json={"items": [{"crew_id": "X1", "lon": 116.50, "lat": 39.99,
                                                          "at": make_fault()["reported_at"]}]})
    sign_in(driver, url, wall_user)
    wait_for(driver, DRAWN, lambda d: d and order in d["orders"] and "X1" in d["crews"], timeout=20)
    texts = driver.execute_script(
        "const g = document.querySelector('#wall-map .js-plotly-plot');"
        "const t = n => g.data.find(x => x.name === n);"
        "return {order: t('orders').text[t('orders').customdata.map(String).indexOf(arguments[0])],"
        " crew: t('crews').text[0]};", order)
    assert "&lt;b style" in texts["order"] and "<b" not in texts["order"]
    assert "&lt;span" in texts["crew"]
    # Hover the order as a supervisor would, with the mouse: the label shows the characters, and holds no link
    # or styled text.
    driver.execute_script("const m = document.querySelector('#wall-map .js-plotly-plot')._fullLayout.map._subplot.map;"
                          "m.jumpTo({center: [116.4075, 39.9040], zoom: 13});")
    time.sleep(1.5)
    box = driver.execute_script(
        "const g = document.querySelector('#wall-map .js-plotly-plot');"
        "const m = g._fullLayout.map._subplot.map; const p = m.project([116.4075, 39.9040]);"
        "const r = m.getCanvas().getBoundingClientRect();"
        "return {x: r.left + p.x, y: r.top + p.y};")
    ActionChains(driver).move_by_offset(int(box["x"]), int(box["y"])).perform()
    hover = wait_for(driver, (
        "const layer = document.querySelector('#wall-map .hoverlayer');"
        "return layer ? {text: layer.textContent, links: layer.querySelectorAll('a').length,"
        " styled: [...layer.querySelectorAll('tspan')].filter(s => (s.getAttribute('style') || '')"
        ".includes('60px')).length} : null"), lambda h: h and "停电告警" in h["text"], timeout=10)
    assert "<b style" in hover["text"] and hover["links"] == 0 and hover["styled"] == 0
    wait_for(driver, STATE, lambda s: s is not None)
