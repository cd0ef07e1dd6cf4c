"""The page side (outside the OpenAPI document the API fuzzer covers): odd paths, `next` targets, forms and
Dash bodies never produce a 5xx, signed in or not. Hypothesis generates them; the seeds are the ones that did."""
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import SAME_ORIGIN, form_token, sign_in

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(st.characters(codec="utf-8"), max_size=40)
segment = st.text(st.characters(codec="utf-8", exclude_characters="/?#"), max_size=20)


@pytest.fixture
def signed_in(app, services):
    client = app.server.test_client()
    sign_in(client, services, "dispatcher")
    return client


@SETTINGS
@given(segments=st.lists(segment, max_size=4), query=st.dictionaries(st.sampled_from(["next", "lang", "token", "x"]),
                                                                      text, max_size=3))
@example(segments=["abc\ndef"], query={})
@example(segments=["lang", "zh"], query={"next": "/\r\nSet-Cookie: x=1"})
@example(segments=["kiosk"], query={"lang": "\n", "token": "\x00"})
def test_any_page_address_answers_without_a_server_error(app, signed_in, segments, query):
    # As a browser sends them: percent-encoded, and never starting "//" (the client would read a host there).
    path = "/" + "/".join(quote(s, safe="") for s in segments if s)
    for client in (app.server.test_client(), signed_in):
        r = client.get(path, query_string=query)
        assert r.status_code < 500, (path, query, r.status_code)
        assert "\n" not in r.headers.get("Location", "")


@SETTINGS
@given(form=st.dictionaries(st.sampled_from(["user", "password", "next", "csrf_token", "junk"]), text, max_size=5))
@example(form={"user": "a", "password": "b", "next": "/\n"})
def test_any_login_form_answers_without_a_server_error(app, form):
    client = app.server.test_client()
    form = {"csrf_token": form_token(client)} | form
    r = client.post("/login", data=form, headers=SAME_ORIGIN)
    assert r.status_code in (302, 400, 401, 429), r.status_code
    assert r.status_code != 302 or "\n" not in r.headers["Location"]


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
                           lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children,
                                                                                                 max_size=3),
                           max_leaves=12)


@SETTINGS
@given(body=st.fixed_dictionaries({}, optional={"output": st.sampled_from(["live-clock.children", "x.y"]) | text,
                                                "outputs": json_values, "inputs": json_values,
                                                "state": json_values, "changedPropIds": json_values}))
def test_any_dash_callback_body_answers_without_a_server_error(signed_in, body):
    r = signed_in.post("/_dash-update-component", data=json.dumps(body),
                       headers=SAME_ORIGIN | {"Content-Type": "application/json"})
    assert 400 <= r.status_code < 500 or r.status_code == 204


@pytest.mark.parametrize("path", ["/_dash-component-suites/nope/x.js",
                                  "/_dash-component-suites/dash/deps/react@18.v0_0_0m1.js",
                                  "/_dash-component-suites/plotly/../../etc/passwd"])
def test_unknown_scripts_are_404(signed_in, path):
    assert signed_in.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/loginx", "/kiosk/x", "/logoutnow", "/assetsx/a.js", "/socket.iox"])
def test_only_the_open_paths_are_open(app, path):
    r = app.server.test_client().get(path)
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=")


@SETTINGS
@given(origin=text, referer=text, agent=text)
@example(origin="http://[", referer="http://[x", agent="a\x00b")
def test_any_origin_referer_or_agent_header_answers_without_a_server_error(app, signed_in, origin, referer, agent):
    headers = {"Origin": origin, "Referer": referer, "User-Agent": agent}
    anonymous = app.server.test_client()
    try:
        r = anonymous.post("/login", data={"user": "x", "password": "y", "csrf_token": "z"}, headers=headers)
    except ValueError:  # the test client itself refuses some header values (newlines): nothing reached us
        return
    assert r.status_code < 500
    assert signed_in.post("/api/v1/faults", json={}, headers=headers).status_code < 500
    assert signed_in.post("/_dash-update-component", json={}, headers=headers).status_code < 500
