"""/outages: anyone may open it signed out, in zh-CN by default and English on request; it lives outside the role
pages (no one's navigation); every other page and Dash endpoint still needs a sign-in."""
from __future__ import annotations

from datetime import timedelta

import pytest

import callbacks.pages
from dashboard.domain import Role
from tests.conftest import auth, now_utc, sign_in


@pytest.fixture
def outage(client, grid, services) -> str:
    now = now_utc()
    body = {"external_id": "U-1", "kind": "unplanned", "grid_ids": [grid], "start": (now - timedelta(hours=1))
            .isoformat(), "etr": (now + timedelta(hours=2)).isoformat(), "customers_affected": 1234,
            "cause": "雷击"}
    assert client.post("/api/v1/outages", json=body, headers=auth("ingest")).status_code == 201
    return services.catalog.info[grid].name


def test_signed_out_the_page_answers_in_chinese_with_the_outage(client, outage):
    answer = client.get("/outages")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "停电信息公告" in page and "当前停电" in page
    assert "东城区" in page and outage in page and "1,234 户" in page and "恶劣天气影响" in page
    assert "预计复电" in page and "UTC+8" in page  # times in the center's zone, and it says which
    assert '<meta http-equiv="refresh" content="60">' in page
    assert "<script" not in page  # nothing to run: the refresh is the browser's own
    assert answer.headers["Cache-Control"].startswith("public, max-age=")
    assert "Set-Cookie" not in answer.headers  # a visit leaves nothing behind


def test_english_by_query_or_by_the_chosen_language(app, client, outage):
    page = client.get("/outages?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "Power outage notices" in page and "Severe weather" in page
    assert "Expected back" in page and "停电信息公告" not in page
    other = app.server.test_client()
    other.get("/lang/en?next=/outages")
    assert "Power outage notices" in other.get("/outages").get_data(as_text=True)
    assert "停电信息公告" in other.get("/outages?lang=zh").get_data(as_text=True)


def test_a_trailing_slash_leads_to_the_page(client):
    answer = client.get("/outages/?lang=en")
    assert answer.status_code == 301 and answer.headers["Location"] == "/outages?lang=en"


def test_an_empty_page_says_so(client):
    page = client.get("/outages").get_data(as_text=True)
    assert "当前没有停电" in page and "近期没有计划停电" in page


def test_markup_in_names_shows_as_text(client, services):
    from dashboard.web.outage_notice_page import notice_page
    feed = {"generated_at": "2026-01-01T00:00:00Z", "upcoming_days": 7, "upcoming": [], "current": [{
        "id": "abc", "kind": "unplanned", "status": "confirmed", "district": "<b>区</b>", "districts": [],
        "areas": ['<img src=x onerror="alert(1)">'], "areas_more": 0, "start": "2026-01-01T00:00:00Z",
        "etr": None, "customers_affected": 1, "cause": "weather", "cause_text": {"zh": "恶劣天气影响", "en": "x"},
        "centroid": None, "bbox": None, "updated_at": "2026-01-01T00:00:00Z"}]}
    page = notice_page(feed, "zh", "Asia/Shanghai", "中心")
    assert "<img" not in page and "&lt;img" in page and "<b>区" not in page
    assert "待定" in page  # no ETR yet


def test_other_pages_still_need_a_sign_in(client):
    for path in ("/", "/wall", "/console", "/outagesx", "/outages/x", "/admin"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login"), path
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/api/v1/snapshot").status_code == 401
    assert client.get("/api/v1/outages").status_code == 401  # the center's own list, with its internals
    assert client.post("/outages", data={"x": "1"}).status_code in (401, 405)


def test_not_a_role_page_and_open_to_signed_in_people_too(app, services):
    pages = callbacks.pages.pages()
    assert pages.find("/outages") is None
    assert all("/outages" not in {p.path for p in pages.for_role(role)} for role in Role)
    person = app.server.test_client()
    sign_in(person, services, "viewer")
    assert person.get("/outages").status_code == 200
    assert "/outages" not in person.get("/logout").get_data(as_text=True)  # nor in the signed-in links


def test_the_page_carries_the_security_headers(client):
    answer = client.get("/outages")
    assert answer.headers["X-Frame-Options"] == "DENY" and answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
    assert client.get("/assets/public/outages.css").status_code == 200
