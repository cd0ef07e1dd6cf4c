"""Sign-ins held on the server: logout, a password change, disabling a person and an admin's "sign this screen
out" end them at once, for the cookie's every copy and for the live connection; cookies expire with them."""
from datetime import timedelta

import pytest

from dashboard.services.accounts import change_password, set_disabled
from dashboard.services.audit import Actor
from tests.conftest import SAME_ORIGIN, TOKENS, TYPED, add_person, auth, form_token, now_utc, post_login, sign_in

ADM = auth("admin")
ADMIN = Actor("boss", "admin")


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app, value: str):
    other = app.server.test_client()
    other.set_cookie("session", value)
    return other


def test_a_cookie_copied_before_logout_no_longer_works(app, client, services):
    sign_in(client, services, "dispatcher")
    stolen = _cookie(client)
    assert _with_cookie(app, stolen).get("/api/v1/workorders").status_code == 200
    assert client.get("/logout").status_code == 200  # a confirmation page: a link cannot sign anyone out
    assert client.get("/api/v1/workorders").status_code == 200
    r = client.post("/logout", data={"csrf_token": form_token(client, "/logout")}, headers=SAME_ORIGIN)
    assert r.status_code == 302
    assert client.get("/api/v1/workorders").status_code == 401
    assert _with_cookie(app, stolen).get("/api/v1/workorders").status_code == 401


def test_logout_needs_the_form_token(client, services):
    sign_in(client, services, "dispatcher")
    assert client.post("/logout", data={}, headers=SAME_ORIGIN).status_code == 400
    assert client.post("/logout", data={"csrf_token": "x"}, headers={"Origin": "http://evil.example"}).status_code \
        == 403
    assert client.get("/api/v1/workorders").status_code == 200


@pytest.mark.parametrize("end", ["password", "disable"])
def test_a_password_change_or_disabling_ends_every_sign_in(app, services, end):
    first, second = app.server.test_client(), app.server.test_client()
    name = sign_in(first, services, "dispatcher")
    assert post_login(second, name, "correct-horse-9").status_code == 302
    with services.db.write() as s:
        if end == "password":
            assert change_password(s, name, "a-new-password-1", by=ADMIN, now=now_utc()) == 2
        else:
            assert set_disabled(s, name, True, by=ADMIN, now=now_utc()) == 2
    for client in (first, second):
        assert client.get("/api/v1/workorders").status_code == 401
    third = app.server.test_client()
    if end == "password":
        assert post_login(third, name, "correct-horse-9").status_code == 401
        assert post_login(third, name, "a-new-password-1").status_code == 302
    else:
        assert post_login(third, name, "correct-horse-9").status_code == 401


def test_an_admin_signs_a_screen_out(app, client, services):
    wall = app.server.test_client()
    assert wall.get(f"/kiosk?token={TOKENS['viewer']}", headers=TYPED).status_code == 302
    sign_in(client, services, "dispatcher")
    sessions = app.server.test_client().get("/api/v1/sessions", headers=ADM).json["items"]
    kiosk = next(s for s in sessions if s["kind"] == "kiosk")
    assert {s["role"] for s in sessions} == {"viewer", "dispatcher"} and kiosk["active"]
    assert app.server.test_client().get("/api/v1/sessions", headers=auth("dispatcher")).status_code == 403
    r = app.server.test_client().delete(f"/api/v1/sessions/{kiosk['id']}", headers=ADM)
    assert r.status_code == 200 and r.json["active"] is False and r.json["ended_by"] == "config:admin"
    assert wall.get("/api/v1/snapshot").status_code == 401
    assert client.get("/api/v1/workorders").status_code == 200  # only that screen
    assert app.server.test_client().delete("/api/v1/sessions/99999", headers=ADM).status_code == 404


def test_a_live_connection_ends_with_its_sign_in(app, client, services):
    from app import runtime_of
    rt = runtime_of(app)
    sign_in(client, services, "viewer")
    live = rt.socketio.test_client(app.server, namespace="/live", flask_test_client=client)
    assert live.is_connected("/live")
    assert rt.bridge.sweep_sessions() == 0 and live.is_connected("/live")
    client.post("/logout", data={"csrf_token": form_token(client, "/logout")}, headers=SAME_ORIGIN)
    assert rt.bridge.sweep_sessions() == 1
    assert not live.is_connected("/live")


def test_a_persons_sign_in_ends_after_a_shift_and_its_cookie_with_it(client, services):
    sign_in(client, services, "dispatcher")
    cookie = client.get_cookie("session")
    assert timedelta(hours=11) < cookie.expires - now_utc() <= timedelta(hours=12, minutes=1)
    services.clock = lambda: now_utc() + timedelta(hours=12, minutes=1)
    assert client.get("/api/v1/workorders").status_code == 401


def test_a_walls_sign_in_lasts_while_it_is_used(app, services):
    wall = app.server.test_client()
    wall.get(f"/kiosk?token={TOKENS['viewer']}", headers=TYPED)
    cookie = wall.get_cookie("session")
    assert cookie.expires - now_utc() <= timedelta(days=31)  # not 400 days
    start = now_utc()
    for day in range(1, 60, 7):  # used every week for two months
        services.clock = lambda d=day: start + timedelta(days=d)
        assert wall.get("/api/v1/snapshot").status_code == 200
    services.clock = lambda: start + timedelta(days=59 + 31)  # then a month switched off
    assert wall.get("/api/v1/snapshot").status_code == 401


def test_cookie_flags(config):
    from app import create_app, runtime_of
    for secure in (False, True):
        app = create_app(config.with_(cookie_secure=secure))
        try:
            client = app.server.test_client()
            sign_in(client, runtime_of(app).services, "dispatcher")
            # Behind TLS the __Host- prefix: no other port's or subdomain's page can set this cookie.
            cookie = client.get_cookie("__Host-session" if secure else "session")
            assert cookie.http_only and cookie.same_site == "Lax" and cookie.secure is secure
        finally:
            runtime_of(app).stop()


def test_a_disabled_person_answers_like_a_wrong_password(client, services):
    name = add_person(services, "dispatcher")
    with services.db.write() as s:
        set_disabled(s, name, True, by=ADMIN, now=now_utc())
    r = post_login(client, name, "correct-horse-9")
    assert r.status_code == 401 and "用户名或密码错误" in r.data.decode()


def test_signing_in_again_ends_the_browsers_previous_sign_in(app, client, services):
    name = sign_in(client, services, "dispatcher")
    old = _cookie(client)
    assert post_login(client, name, "correct-horse-9").status_code == 302
    assert _with_cookie(app, old).get("/api/v1/workorders").status_code == 401
    assert client.get("/api/v1/workorders").status_code == 200


def test_walls_are_not_people_called_kiosk(app, services):
    wall = app.server.test_client()
    wall.get(f"/kiosk?token={TOKENS['viewer']}", headers=TYPED)
    kiosk = add_person(services, "dispatcher", name="kiosk")
    with services.db.write() as s:
        set_disabled(s, kiosk, True, by=ADMIN, now=now_utc())
    assert wall.get("/api/v1/snapshot").status_code == 200


def test_a_password_changed_between_check_and_sign_in_refuses_the_sign_in(app, services, monkeypatch):
    from dashboard.web import login
    name = add_person(services, "dispatcher")
    real = login.check_login

    def check_then_change(session, user, password):  # an admin changes the password in between
        found = real(session, user, password)
        with services.db.write() as s:
            change_password(s, name, "changed-meanwhile-1", by=ADMIN, now=now_utc())
        return found

    monkeypatch.setattr(login, "check_login", check_then_change)
    client = app.server.test_client()
    assert post_login(client, name, "correct-horse-9").status_code == 401
    assert client.get("/api/v1/workorders").status_code == 401


def test_a_connected_walls_cookie_follows_its_renewed_sign_in(app, services):
    from app import runtime_of
    rt = runtime_of(app)
    start = now_utc()
    services.clock = lambda: start
    wall = app.server.test_client()
    wall.get(f"/kiosk?token={TOKENS['viewer']}", headers=TYPED)
    first = wall.get_cookie("session").expires
    live = rt.socketio.test_client(app.server, namespace="/live", flask_test_client=wall)
    services.clock = lambda: start + timedelta(days=20)
    rt.bridge.sweep_sessions()  # the live connection renews the sign-in on the server
    services.clock = lambda: start + timedelta(days=20, seconds=30)
    assert wall.get("/api/v1/snapshot").status_code == 200  # the half-hourly keep-alive
    renewed = wall.get_cookie("session").expires
    assert renewed - first >= timedelta(days=19)
    live.disconnect(namespace="/live")


@pytest.mark.parametrize("database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                         indirect=True)
def test_odd_user_agents_and_addresses_are_stored_cleanly(client, services):
    name = add_person(services, "dispatcher")
    client.environ_base["HTTP_USER_AGENT"] = "evil\x00agent\x1b[31m" + "x" * 500
    assert post_login(client, name, "correct-horse-9").status_code == 302
    listed = client.application.test_client().get("/api/v1/sessions", headers=ADM).json["items"]
    agent = next(s["user_agent"] for s in listed if s["user"] == name)
    assert "\x00" not in agent and "\x1b" not in agent and len(agent) <= 256


def test_ended_sign_ins_are_purged_after_a_while(app, services):
    from app import purge_ended_sessions
    client = app.server.test_client()
    sign_in(client, services, "dispatcher")
    client.post("/logout", data={"csrf_token": form_token(client, "/logout")}, headers=SAME_ORIGIN)
    assert purge_ended_sessions(services) == 0
    services.clock = lambda: now_utc() + timedelta(days=91)
    assert purge_ended_sessions(services) == 1
