"""GET /public/outages: no sign-in; the right outages with the right fields; every key on the allowlist and no
personal string anywhere (feed and page); cached with an ETag; rate-limited per address."""
from __future__ import annotations

from datetime import timedelta

import pytest

from dashboard.api.answers.public import PublicOutagesOut
from dashboard.services.public_outages import CAUSE_TEXT_FIELDS, FEED_FIELDS, OUTAGE_FIELDS
from tests.conftest import auth, make_fault, now_utc, sign_in
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)

ING = auth("ingest")
FEED = "/api/v1/public/outages"
LON, LAT = 116.4075, 39.9040  # make_fault's point, in Dongcheng

# Everything personal the seeding stores somewhere; none may reach the public.
CUSTOMER = {"customer_id": "C-4471", "name": "张秀兰", "phone": "13912345678", "address": "东城区东四十条甲22号3单元401"}
CALLER = {"customer_id": "C-9001", "customer_name": "李建华", "phone": "13698765432",
          "address": "北京市东城区和平里七区16号楼"}
CREW = {"name": "王师傅抢修队", "phone": "13511112222"}
MANAGER, LIAISON = {"name": "赵网格", "phone": "13800138000"}, {"name": "钱联络", "phone": "01087654321"}
PRIVATE_CAUSE = "为孙大伟家新装表计停电"
PERSONAL = [CUSTOMER["customer_id"], CUSTOMER["name"], CUSTOMER["phone"], CUSTOMER["address"], "东四十条",
            CALLER["customer_id"], CALLER["customer_name"], CALLER["phone"], CALLER["address"], "和平里",
            CREW["name"], CREW["phone"], "王师傅", MANAGER["name"], MANAGER["phone"], LIAISON["name"],
            LIAISON["phone"], "孙大伟", PRIVATE_CAUSE]
INTERNAL = ["SW1", "SW2", "P-UP", "P-ACT", "U-CONF", "P-FAR", "U-REST", "automation", "reported", "研判"]


def network(grid: str) -> list[dict]:
    """S → F1 → {SW1 → T1, T2; SW2 → T3}, 100 customers per transformer."""
    devices = [{"id": "S", "kind": "station", "parent_id": None}, {"id": "F1", "kind": "feeder", "parent_id": "S"},
               {"id": "SW1", "kind": "switch", "parent_id": "F1", "lon": LON, "lat": LAT},
               {"id": "SW2", "kind": "switch", "parent_id": "F1"}]
    for i, parent in ((1, "SW1"), (2, "SW1"), (3, "SW2")):
        devices.append({"id": f"T{i}", "kind": "transformer", "parent_id": parent, "grid_id": grid,
                        "lon": LON + 0.001 * i, "lat": LAT, "customers": 100})
    return devices


def _outage(client, external_id: str, kind: str, start, customers: int, etr=None, **extra) -> int:
    grid = extra.pop("grid")
    body = {"external_id": external_id, "kind": kind, "grid_ids": [grid], "start": start.isoformat(),
            "customers_affected": customers, **extra}
    if etr is not None:
        body["etr"] = etr.isoformat()
    answer = client.post("/api/v1/outages", json=body, headers=ING)
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


@pytest.fixture
def seeded(client, services, grid) -> dict:
    """A planned outage coming in two days, one under way, one in ten days (past the window); an unplanned one
    reported, one automation confirmed (with a life-support customer below it), one 研判 only predicted from two
    calls, one restored; and people's names, phones and addresses wherever the system keeps them."""
    now = now_utc()
    assert client.put("/api/v1/topology", json={"devices": network(grid)}, headers=ING).status_code == 200
    register = {"items": [{"customer_id": CUSTOMER["customer_id"], "transformer_id": "T1", "name": CUSTOMER["name"],
                           "phone": CUSTOMER["phone"], "address": CUSTOMER["address"], "care": "life_support"}]}
    assert client.post("/api/v1/customers", json=register, headers=ING).json["stored"] == 1
    crew = {"name": CREW["name"], "team": "东城", "skills": ["lv"], "members": 2, "phone": CREW["phone"],
            "on_duty": True}
    assert client.put("/api/v1/crews/K7", json=crew, headers=ING).status_code == 201
    contacts = {"manager": MANAGER, "liaisons": [LIAISON]}
    assert client.put(f"/api/v1/grids/{grid}/contacts", json=contacts, headers=ING).status_code == 200
    opened = client.post("/api/v1/devices/events", json={"items": [
        {"device_id": "SW1", "state": "open", "at": (now - timedelta(minutes=20)).isoformat()}]}, headers=ING)
    assert opened.json["stored"] == 1
    for minutes in (5, 2):  # two calls under T3: predicted, not confirmed
        body = make_fault(reported_at=(now - timedelta(minutes=minutes)).isoformat(), transformer_id="T3",
                          description=f"{CALLER['customer_name']}家停电", **CALLER)
        assert client.post("/api/v1/faults", json=body, headers=ING).status_code == 201
    ids = {
        "P-UP": _outage(client, "P-UP", "planned", now + timedelta(days=2), 300, now + timedelta(days=2, hours=4),
                        cause=PRIVATE_CAUSE, sensitive_customers=3, grid=grid),
        "P-ACT": _outage(client, "P-ACT", "planned", now - timedelta(hours=1), 120, now + timedelta(hours=3),
                         cause="10kV线路检修", grid=grid),
        "P-FAR": _outage(client, "P-FAR", "planned", now + timedelta(days=10), 400, grid=grid),
        "U-CONF": _outage(client, "U-CONF", "unplanned", now - timedelta(minutes=40), 77,
                          now + timedelta(hours=2), cause="大风致线路跳闸", grid=grid),
        "U-REST": _outage(client, "U-REST", "unplanned", now - timedelta(hours=3), 50, grid=grid),
    }
    ended = client.patch(f"/api/v1/outages/{ids['U-REST']}", json={"end": now.isoformat()}, headers=ING)
    assert ended.status_code == 200 and ended.json["status"] == "restored"
    internal = client.get("/api/v1/outages?status=predicted,confirmed,active,scheduled,restored",
                          headers=auth("viewer")).json["items"]
    statuses = {(o["device_id"] or o["external_id"]): o["status"] for o in internal}
    assert statuses["T3"] == "predicted" and statuses["SW1"] == "confirmed", statuses
    return {"now": now, "grid": grid, "area": services.catalog.info[grid].name, "internal": internal}


# The allowlist of what a key's value may hold: an outage in the lists, two wordings in cause_text, else nothing.
NESTED = {"current": OUTAGE_FIELDS, "upcoming": OUTAGE_FIELDS, "cause_text": CAUSE_TEXT_FIELDS}


def stray_keys(value, allowed: frozenset[str] = FEED_FIELDS, path: str = "") -> list[str]:
    """Every key in a JSON value, recursively, that is not on the allowlist of where it stands, by path."""
    if isinstance(value, list):
        return [s for i, item in enumerate(value) for s in stray_keys(item, allowed, f"{path}[{i}]")]
    if not isinstance(value, dict):
        return []
    out = []
    for key, child in value.items():
        here = f"{path}.{key}" if path else key
        if key not in allowed:
            out.append(here)
        out += stray_keys(child, NESTED.get(key, frozenset()), here)
    return out


def all_keys(value) -> set[str]:
    if isinstance(value, list):
        return set().union(*(all_keys(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return set(value).union(*(all_keys(v) for v in value.values()))
    return set()


def test_the_feed_needs_no_credentials_and_lists_the_right_outages(client, seeded):
    answer = client.get(FEED)
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.json
    PublicOutagesOut.model_validate(body)  # the documented shape, closed: no extra field
    current = {o["customers_affected"]: o for o in body["current"]}
    upcoming = {o["customers_affected"]: o for o in body["upcoming"]}
    # Under way: automation's SW1 (200), the reported one (77), the planned one started (120); coming: P-UP (300).
    # Not: 研判's prediction at T3 (100), the restored one (50), the planned one in ten days (400).
    assert sorted(current) == [77, 120, 200] and sorted(upcoming) == [300]
    assert {(o["kind"], o["status"]) for o in current.values()} == {("unplanned", "confirmed"),
                                                                   ("planned", "active")}
    assert (upcoming[300]["kind"], upcoming[300]["status"]) == ("planned", "scheduled")
    storm = current[77]
    assert storm["district"] == "东城区" and storm["districts"] == ["东城区"] and storm["areas"] == [seeded["area"]]
    assert storm["cause"] == "weather" and storm["cause_text"] == {"zh": "恶劣天气影响", "en": "Severe weather"}
    assert storm["etr"] and storm["start"] and storm["etr"] > storm["start"]
    assert upcoming[300]["cause"] == "planned_work"  # the planning system's own text never shows
    assert current[200]["cause"] == "equipment_fault" and current[200]["etr"]
    # A place a map can draw, no finer than 0.01° (about 1 km), around the grid.
    west, south, east, north = storm["bbox"]
    assert west <= LON <= east and south <= LAT <= north
    assert all(round(v, 2) == v for v in storm["bbox"] + storm["centroid"])
    ids = [o["id"] for o in body["current"] + body["upcoming"]]
    assert len(set(ids)) == 4 and all(len(i) == 16 and not i.isdigit() for i in ids)
    assert not {str(o["id"]) for o in seeded["internal"]} & set(ids)
    assert body["upcoming_days"] == 7 and body["generated_at"].endswith("Z")


def test_every_key_is_on_the_allowlist_and_nothing_personal_or_internal_appears(client, seeded):
    answer = client.get(FEED)
    assert answer.json["current"] and answer.json["upcoming"]  # something to walk
    assert stray_keys(answer.json) == []
    text = answer.get_data(as_text=True)
    page = client.get("/outages").get_data(as_text=True)
    assert seeded["area"] in page and "恶劣天气影响" in page
    for where, content in (("feed", text), ("page", page)):
        for secret in PERSONAL + INTERNAL:
            assert secret not in content, f"{secret!r} in the {where}"
    # No key of the internal views survives: care counts, calls, the device, the order, the reasons.
    assert not all_keys(answer.json) & {"care_customers", "sensitive_customers", "calls", "device_id",
                                        "workorder_id", "reason", "etr_basis", "external_id", "lon", "lat",
                                        "geometry", "grid_ids", "crew_id", "source", "notified_at"}


def test_the_allowlist_walk_catches_a_stray_field(client, seeded):
    """The walk itself can fail: one more field anywhere, even deep, is caught."""
    body = client.get(FEED).json
    body["current"][0]["care_customers"] = 1
    body["upcoming"][0]["cause_text"]["note"] = "x"
    body["current"][1]["bbox"] = {"customer": "x"}
    assert stray_keys(body) == ["current[0].care_customers", "current[1].bbox.customer",
                                "upcoming[0].cause_text.note"]


def test_credentials_change_nothing(app, client, services, seeded):
    anonymous = client.get(FEED).json
    assert client.get(FEED, headers={"Authorization": "Bearer not-a-token"}).json == anonymous
    assert client.get(FEED, headers=auth("admin")).json == anonymous
    person = app.server.test_client()
    sign_in(person, services, "dispatcher")
    assert person.get(FEED).json == anonymous


def test_cached_per_period_with_an_etag_and_304(client, services, seeded):
    first = client.get(FEED)
    assert first.headers["Cache-Control"] == "public, max-age=15"
    assert first.headers["ETag"].startswith('W/"') and first.headers["Access-Control-Allow-Origin"] == "*"
    _outage(client, "U-NEW", "unplanned", seeded["now"] - timedelta(minutes=1), 9, grid=seeded["grid"])
    again = client.get(FEED)
    assert again.json == first.json and services.public_feed.cache.builds == 1  # within the period: not rebuilt
    unchanged = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.data == b""
    later = seeded["now"] + timedelta(seconds=16)
    services.clock = lambda: later
    rebuilt = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert rebuilt.status_code == 200 and rebuilt.headers["ETag"] != first.headers["ETag"]
    assert 9 in {o["customers_affected"] for o in rebuilt.json["current"]}
    assert services.public_feed.cache.builds == 2
    assert "gridcmd_public_feed_builds_total 2" in client.get("/api/v1/metrics", headers=auth("viewer")).text
    # Rebuilt with nothing changed: a new generated_at, the same ETag, so a poller still gets its 304.
    services.clock = lambda: later + timedelta(seconds=16)
    same = client.get(FEED, headers={"If-None-Match": rebuilt.headers["ETag"]})
    assert same.status_code == 304 and services.public_feed.cache.builds == 3


def test_an_empty_feed_is_well_formed(client):
    body = client.get(FEED).json
    assert body["current"] == [] and body["upcoming"] == []
    PublicOutagesOut.model_validate(body)


class TestRateLimit:
    @pytest.fixture
    def config(self, config):
        return config.with_(public_limit="3 per minute")

    @staticmethod
    def _from(app, address: str):
        client = app.server.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return client

    def test_past_the_limit_429_with_retry_after_and_the_error_shape(self, app):
        reader = self._from(app, "10.1.0.1")
        answers = [reader.get(FEED) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        limited = answers[-1]
        assert 0 < int(limited.headers["Retry-After"]) <= 61
        assert limited.json["error"]["code"] == "rate_limited" and limited.json["error"]["details"] == []
        assert limited.headers["Cache-Control"] == "no-store"
        assert self._from(app, "10.1.0.2").get(FEED).status_code == 200  # another address has its own count
        # The page counts apart from the feed, with the same limit.
        pages = [reader.get("/outages").status_code for _ in range(4)]
        assert pages == [200, 200, 200, 429]
        page = reader.get("/outages")
        assert page.status_code == 429 and "请求过于频繁" in page.get_data(as_text=True)
        assert int(page.headers["Retry-After"]) > 0

    def test_the_limit_is_documented(self, client):
        document = client.get("/api/v1/openapi.json", headers=auth("viewer")).json
        operation = document["paths"]["/public/outages"]["get"]
        assert operation["security"] == [] and "x-roles" not in operation
        assert {"200", "304", "429"} <= set(operation["responses"])


def test_with_the_database_away_the_last_notices_stay_up(client, services, seeded, monkeypatch):
    from sqlalchemy.exc import OperationalError
    first = client.get(FEED).json

    def down():
        raise OperationalError("SELECT 1", {}, Exception("database down"))
    monkeypatch.setattr(services.public_feed, "_read", down)  # what the feed reads from
    services.clock = lambda: seeded["now"] + timedelta(minutes=5)
    assert client.get(FEED).json == first
    assert client.get("/outages").status_code == 200


def test_current_outages_by_district_then_start_and_a_spanning_one_under_its_larger_part(client, services):
    by_district: dict[str, list[str]] = {}
    for gid, info in sorted(services.catalog.info.items()):
        by_district.setdefault(info.district, []).append(gid)
    east, west = by_district["东城区"], by_district["西城区"]
    now = now_utc()
    _outage(client, "W", "unplanned", now - timedelta(hours=3), 1, grid=west[0])
    _outage(client, "E-late", "unplanned", now - timedelta(hours=1), 2, grid=east[0])
    _outage(client, "E-early", "unplanned", now - timedelta(hours=2), 3, grid=east[1])
    body = {"external_id": "SPAN", "kind": "unplanned", "grid_ids": [east[2], west[1], west[2]],
            "start": (now - timedelta(hours=4)).isoformat(), "customers_affected": 4}
    assert client.post("/api/v1/outages", json=body, headers=ING).status_code == 201
    current = client.get(FEED).json["current"]
    assert [(o["district"], o["customers_affected"]) for o in current] == [
        ("东城区", 3), ("东城区", 2), ("西城区", 4), ("西城区", 1)]
    span = current[2]
    assert span["districts"] == ["东城区", "西城区"] and len(span["areas"]) == 3
    page = client.get("/outages").get_data(as_text=True)
    assert page.index("东城区") < page.index("西城区")
