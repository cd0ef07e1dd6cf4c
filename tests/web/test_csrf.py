"""A page on another origin cannot write with a signed-in person's cookie, nor sign a browser in as someone
else; machines with bearer tokens are unaffected."""
import json

import pytest

from tests.conftest import SAME_ORIGIN, add_person, auth, form_token, make_fault, sign_in

EVIL = {"Origin": "http://evil.example"}
SAME_SITE_OTHER_PORT = {"Origin": "http://localhost:9999"}


def _orders(client) -> int:
    return len(client.get("/api/v1/snapshot", headers=auth("viewer")).json["workorders"])


@pytest.mark.parametrize("headers", [EVIL, SAME_SITE_OTHER_PORT, {"Origin": "null"}, {},
                                     {"Referer": "http://evil.example/page"}])
def test_cross_origin_json_with_a_cookie_is_403(client, services, headers):
    sign_in(client, services, "admin")
    r = client.post("/api/v1/faults", data=json.dumps(make_fault()),
                    headers=headers | {"Content-Type": "application/json"})
    assert r.status_code == 403 and r.json["error"]["code"] == "cross_origin"
    assert _orders(client) == 0


def test_a_text_plain_form_from_another_origin_stores_nothing(client, services):
    sign_in(client, services, "admin")
    form_body = '{"external_id": "csrf-1", "x": "=' + '"}'  # what enctype=text/plain makes of name={...}&value
    for headers in (EVIL, SAME_ORIGIN):
        r = client.post("/api/v1/faults", data=form_body, headers=headers | {"Content-Type": "text/plain"})
        assert r.status_code in (403, 415)
    r = client.post("/api/v1/faults", data=json.dumps(make_fault()), headers=SAME_ORIGIN | {"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json["error"]["code"] == "unsupported_media_type"
    assert _orders(client) == 0


def test_own_origin_json_and_a_same_origin_referer_work(client, services):
    sign_in(client, services, "admin")
    assert client.post("/api/v1/faults", json=make_fault(), headers=SAME_ORIGIN).status_code == 201
    assert client.post("/api/v1/faults", json=make_fault(category="meter"),
                       headers={"Referer": "http://localhost/console"}).status_code == 201
    assert _orders(client) == 2


def test_a_dispatchers_order_cannot_be_cancelled_cross_origin(client, services):
    oid = client.post("/api/v1/faults", json=make_fault(), headers=auth("ingest")).json["workorder_id"]
    sign_in(client, services, "dispatcher")
    r = client.post(f"/api/v1/workorders/{oid}/transition", json={"to": "cancelled"}, headers=EVIL)
    assert r.status_code == 403
    assert client.get(f"/api/v1/workorders/{oid}").json["status"] == "received"


def test_bearer_clients_are_unaffected(client):
    r = client.post("/api/v1/faults", data=json.dumps(make_fault()),
                    headers=auth("ingest") | EVIL | {"Content-Type": "text/plain"})
    assert r.status_code == 201


def test_no_credentials_still_answer_401(client):
    assert client.post("/api/v1/faults", json=make_fault(), headers=EVIL).status_code == 401


def test_dash_callbacks_from_another_origin_are_403(client, services):
    sign_in(client, services, "viewer")
    r = client.post("/_dash-update-component", json={"output": "x.children"}, headers=EVIL)
    assert r.status_code == 403


def test_login_needs_the_pages_token_and_origin(app, client, services):
    name = add_person(services, "admin")
    attacker = {"user": name, "password": "correct-horse-9"}
    # No token (a form on another site cannot read ours), a made-up one, or ours posted from elsewhere.
    assert client.post("/login", data=attacker, headers=SAME_ORIGIN).status_code == 400
    assert client.post("/login", data=attacker | {"csrf_token": "x" * 43}, headers=SAME_ORIGIN).status_code == 400
    token = form_token(client)
    assert client.post("/login", data=attacker | {"csrf_token": token}, headers=EVIL).status_code == 403
    assert client.get("/api/v1/snapshot").status_code == 401
    # Another browser's token is no good here either.
    other = app.server.test_client()
    assert client.post("/login", data=attacker | {"csrf_token": form_token(other)},
                       headers=SAME_ORIGIN).status_code == 400
    assert client.post("/login", data=attacker | {"csrf_token": token}, headers=SAME_ORIGIN).status_code == 302


def test_a_kiosk_link_on_another_site_does_not_sign_a_browser_in(client):
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {}):  # {}: does not say
        assert client.get("/kiosk?token=viewer-token", headers=headers).status_code == 403
    assert client.get("/api/v1/snapshot").status_code == 401
    assert client.get("/kiosk?token=viewer-token", headers={"Sec-Fetch-Site": "none"}).status_code == 302


def test_socketio_refuses_other_origins(app, client, services):
    from app import runtime_of
    sign_in(client, services, "viewer")
    sio = runtime_of(app).socketio
    # The engine.io handshake as a browser on another site would send it, with the person's cookie.
    r = client.get("/socket.io/?EIO=4&transport=polling", headers=EVIL)
    assert r.status_code == 400
    ok = client.get("/socket.io/?EIO=4&transport=polling", headers=SAME_ORIGIN)
    assert ok.status_code == 200 and sio is not None


@pytest.mark.parametrize("headers", [{"Origin": "http://["}, {"Origin": "http://a]"}, {"Referer": "http://[x"},
                                     {"Origin": "\u00ff\ufffd"}, {"Referer": "::::"}, {"Origin": "HTTP://LOCALHOST"}])
def test_odd_origin_headers_are_answered_not_failed(client, services, headers):
    for path in ("/login", "/logout"):  # anonymous: the forms always check where they come from
        r = client.post(path, data={"user": "x", "password": "y"}, headers=headers)
        assert r.status_code in (302, 400, 401, 403), (path, r.status_code)
    sign_in(client, services, "admin")
    r = client.post("/api/v1/faults", json=make_fault(), headers=headers)
    assert r.status_code in (201, 403)  # the upper-case own origin is this app; the rest are not


def test_a_cross_origin_form_post_gets_a_page_not_json(client):
    r = client.post("/login", data={"user": "x"}, headers=EVIL)
    assert r.status_code == 403 and r.mimetype == "text/html" and "拒绝" in r.data.decode()


def test_an_authorization_header_skips_the_check_only_on_the_api(client, services):
    sign_in(client, services, "viewer")
    r = client.post("/_dash-update-component", json={"output": "x.children"},
                    headers=EVIL | {"Authorization": "Bearer anything"})
    assert r.status_code == 403
