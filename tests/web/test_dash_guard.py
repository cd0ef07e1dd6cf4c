"""The guard on Dash's callback endpoint, on a small app with real server-side callbacks: a well-formed request
reaches its callback; a body no callback could have sent is 400; what a callback raises on bad values is a 4xx."""
import json

import pytest
from dash import Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.errors import Conflict
from dashboard.web.dash_guard import install_dash_guard


@pytest.fixture
def client():
    app = Dash(__name__)
    app.layout = html.Div([dcc.Input(id="n", value=1), html.Div(id="out"), html.Div(id="note")])

    @app.callback(Output("out", "children"), Input("n", "value"), State("note", "children"))
    def double(n, _note):
        if n == "conflict":
            raise Conflict("order moved on", code="stale_version")
        if n == "skip":
            raise PreventUpdate
        return n * 2 + 0  # a string or a dict here raises TypeError, as a careless callback would

    app.clientside_callback("x => x", Output("note", "children"), Input("out", "children"))
    install_dash_guard(app)
    return app.server.test_client()


def _body(value, **overrides):
    body = {"output": "out.children", "outputs": {"id": "out", "property": "children"},
            "inputs": [{"id": "n", "property": "value", "value": value}],
            "state": [{"id": "note", "property": "children", "value": None}], "changedPropIds": ["n.value"]}
    return body | overrides


def _post(client, body, content_type="application/json"):
    return client.post("/_dash-update-component", data=json.dumps(body), headers={"Content-Type": content_type})


def test_a_well_formed_request_reaches_its_callback(client):
    r = _post(client, _body(21))
    assert r.status_code == 200 and r.json["response"]["out"]["children"] == 42


@pytest.mark.parametrize("overrides", [
    {"output": "note.children"},  # a clientside callback: never served here
    {"output": "nothing.children"},
    {"inputs": []},
    {"inputs": [{"id": "other", "property": "value", "value": 1}]},
    {"state": "x"},
    {"outputs": {"id": "note", "property": "children"}},
    {"changedPropIds": [1]},
])
def test_bodies_no_callback_could_have_sent_are_400(client, overrides):
    r = _post(client, _body(1, **overrides))
    assert r.status_code == 400 and r.json["error"]["code"] == "invalid_callback"


def test_what_a_callback_raises_is_a_4xx(client):
    assert _post(client, _body({"a": 1})).json["error"]["code"] == "callback_failed"
    r = _post(client, _body("conflict"))
    assert r.status_code == 409 and r.json["error"]["code"] == "stale_version"
    assert _post(client, _body("skip")).status_code == 204


def test_not_json_is_415_or_400(client):
    assert _post(client, _body(1), content_type="text/plain").status_code == 415
    r = client.post("/_dash-update-component", data="{nope", headers={"Content-Type": "application/json"})
    assert r.status_code == 400


def test_outputs_that_allow_duplicates_are_recognised():
    app = Dash(__name__)
    app.layout = html.Div([dcc.Input(id="a"), dcc.Input(id="b"), html.Div(id="out")])

    @app.callback(Output("out", "children"), Input("a", "value"))
    def first(value):
        return f"a {value}"

    @app.callback(Output("out", "children", allow_duplicate=True), Input("b", "value"), prevent_initial_call=True)
    def second(value):
        return f"b {value}"

    install_dash_guard(app)
    output = next(k for k in app.callback_map if "@" in k)
    body = {"output": output, "outputs": {"id": "out", "property": output.split(".", 1)[1]},
            "inputs": [{"id": "b", "property": "value", "value": 2}], "changedPropIds": ["b.value"]}
    r = _post(app.server.test_client(), body)
    assert r.status_code == 200 and r.json["response"]["out"]["children"] == "b 2"
