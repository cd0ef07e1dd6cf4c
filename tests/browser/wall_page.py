"""Helpers for driving the wall in a real browser: sign in, wait on page state, read what is drawn, seed a scene."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import requests
from selenium.webdriver.common.by import By

from tests.conftest import TOKENS, make_fault

STATE = ("return window.gridcmd && gridcmd.state ? {seq: gridcmd.state.seq, orders: [...gridcmd.state.workorder.keys()],"
         " crews: gridcmd.state.crew.size, seats: gridcmd.state.seat.size} : null")
# What the map shows now, by trace name (the figure's trace order is an implementation detail).
DRAWN = ("const g = document.querySelector('#wall-map .js-plotly-plot');"
         "if (!g || !g.data) return null;"
         "const t = n => g.data.find(x => x.name === n);"
         "return {orders: t('orders').customdata.map(String), crews: t('crews').customdata.map(String),"
         " warn: t('order-warn').lon.length, clusters: t('clusters').lon.length,"
         " planned: t('outage-planned').locations.length, unplanned: t('outage-unplanned').locations.length,"
         " links: t('crew-links').lon.filter(v => v !== null).length / 2}")


def wait_for(driver, script, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if predicate(value):
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out; last value {value!r}")


def set_viewport(driver, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def sign_in(driver, url: str, user: tuple[str, str], next_path: str = "/") -> None:
    driver.get(f"{url}/login?next={next_path}")
    driver.find_element(By.NAME, "user").send_keys(user[0])
    driver.find_element(By.NAME, "password").send_keys(user[1])
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(driver, STATE, lambda s: s and s["seq"] is not None)


def api(url: str, method: str, path: str, role: str = "ingest", **kwargs) -> requests.Response:
    return requests.request(method, f"{url}/api/v1{path}", headers={"Authorization": f"Bearer {TOKENS[role]}"},
                            timeout=15, **kwargs)


def seed_scene(url: str) -> dict:
    """A small storm: orders (one overdue, one sensitive), crews with positions (one dispatched), seats, calls, an
    unplanned outage with vulnerable customers and a planned one. Returns the ids it made."""
    now = datetime.now(timezone.utc)
    day = now.date().isoformat()
    shift = {"day": day, "shift": "day", "start": (now - timedelta(hours=2)).isoformat(),
             "end": (now + timedelta(hours=6)).isoformat()}
    roster = [shift | {"role": "duty_chief", "person": "欧阳建国"}] + [
        shift | {"role": role, "person": f"{role}-{i}"} for role, n in (("dispatcher", 3), ("seat", 12), ("crew", 4))
        for i in range(n)]
    r = api(url, "PUT", "/roster", role="admin", json={"from": day, "to": day, "shifts": roster})
    assert r.status_code == 200, r.text  # before the orders: the KPIs they bring carry the roster
    faults = [make_fault(external_id=f"S-{i}", lon=116.25 + 0.04 * i, lat=39.85 + 0.03 * i,
                         category="customer_internal") for i in range(8)]
    faults[0]["reported_at"] = (now - timedelta(minutes=50)).isoformat()  # past the urban 45 min: overdue
    faults[1]["sensitive"] = True
    r = api(url, "POST", "/faults", json={"items": faults})
    assert r.status_code == 200, r.text
    orders = [str(x["workorder_id"]) for x in r.json()["results"]]
    crews = []
    for i in range(4):
        cid = f"C-{i}"
        assert api(url, "PUT", f"/crews/{cid}", json={"name": f"抢修{i}班", "team": "城区", "skills": ["lv"],
                                                     "members": 3, "on_duty": True}).status_code in (200, 201)
        crews.append(cid)
    positions = [{"crew_id": c, "lon": 116.3 + 0.05 * i, "lat": 39.9, "at": now.isoformat()} for i, c in enumerate(crews)]
    assert api(url, "POST", "/crews/positions", json={"items": positions}).status_code == 200
    order = api(url, "GET", f"/workorders/{orders[2]}", role="dispatcher").json()
    assert api(url, "POST", f"/workorders/{orders[2]}/assign", role="dispatcher",
               json={"crew_id": crews[0], "version": order["version"]}).status_code == 200
    seats = [{"seat_id": f"S{i:02d}", "agent": f"A{i}", "group": "repair" if i < 6 else "complaint",
              "state": ("available", "talking", "not_ready")[i % 3], "at": now.isoformat()} for i in range(9)]
    assert api(url, "POST", "/seats/events", json={"items": seats}).status_code == 200
    # The hotline's last half hour: 60 repair calls of 300 s (10 erlangs: more agents needed than the 6 logged in)
    # and one short complaint call (its 3 seats are plenty); every caller answered within 5 s.
    at = lambda s: (now + timedelta(seconds=s)).isoformat()  # noqa: E731
    calls = [{"call_id": f"R{k}", "queue": "repair", "event": e, "at": at(-1790 + 25 * k + d)}
             for k in range(60) for e, d in (("offered", 0), ("answered", 5), ("ended", 305))]
    calls += [{"call_id": "C1", "queue": "complaint", "event": e, "at": at(d)}
              for e, d in (("offered", -100), ("answered", -95), ("ended", -5))]
    assert api(url, "POST", "/calls/events", json={"items": calls}).status_code == 200
    grids = [f["properties"]["id"] for f in api(url, "GET", "/grids", role="viewer").json()["features"]]
    for kind, gids, sensitive in (("unplanned", grids[10:13], 12), ("planned", grids[40:41], 0)):
        assert api(url, "POST", "/outages", json={
            "external_id": f"O-{kind}", "kind": kind, "grid_ids": gids, "start": now.isoformat(),
            "etr": (now + timedelta(hours=2)).isoformat(), "customers_affected": 1500,
            "sensitive_customers": sensitive}).status_code in (200, 201)
    return {"orders": orders, "crews": crews, "dispatched": (crews[0], orders[2])}
