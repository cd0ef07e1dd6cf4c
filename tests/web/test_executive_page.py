"""/executive's server side: executives and admins open it (an executive lands on it), others get a 403 page; every
server callback of the page answers an executive and refuses a forged request from a viewer or dispatcher (403)."""
import json

import pytest

import callbacks.pages
from dashboard.domain import Role
from dashboard.web.dash_guard import _outputs_spec
from tests.conftest import SAME_ORIGIN, sign_in

# The page's server callbacks, by their first output, with the input values a browser would send.
CALLBACKS = {
    "exec-today.data": {"exec-slow.n_intervals": None},
    "exec-figures.data": {"exec-period.value": "7d", "exec-slow.n_intervals": None},
    "exec-reliability.data": {"exec-rel-range.start_date": "2026-01-01", "exec-rel-range.end_date": "2026-11-20",
                              "exec-rel-district.value": None, "exec-slow.n_intervals": None},
    "exec-duty.children": {"exec-slow.n_intervals": None},
    "exec-map.figure": {"exec-figures.data": {"period": "today", "by_grid": []},
                        "exec-measure.value": "received"},
    "exec-storms.children": {"exec-reliability.data": {"med_days": ["2026-11-01"], "saidi": {"2026-11-01": 40.5},
                                                       "district": None}},
}


def _key(app, first_output: str) -> str:
    return next(k for k in app.callback_map if k.lstrip(".").startswith(first_output))


def call(app, client, first_output: str, values: dict | None = None):
    """The page's callback whose first output is `first_output`, as the renderer posts it."""
    key = _key(app, first_output)
    spec = app.callback_map[key]
    values = CALLBACKS[first_output] | (values or {})

    def prop(p):
        ident = p["id"]
        return {"id": ident, "property": p["property"], "value": values.get(f"{ident}.{p['property']}")}
    inputs = [prop(p) for p in spec["inputs"]]
    outputs = _outputs_spec(spec)
    body = {"output": key, "outputs": outputs if key.startswith("..") else outputs[0], "inputs": inputs,
            "state": [prop(p) for p in spec["state"]], "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]}
    return client.post("/_dash-update-component", data=json.dumps(body),
                       headers=SAME_ORIGIN | {"Content-Type": "application/json"})


def test_executives_and_admins_open_it_and_it_is_the_executives_home(client, services):
    table = callbacks.pages.pages()
    assert table.home(Role.executive) == "/executive" and table.home(Role.viewer) == "/wall"
    for role in (Role.executive, Role.admin):
        assert "/executive" in [p.path for p in table.for_role(role)]
    for role in (Role.viewer, Role.dispatcher):
        assert "/executive" not in [p.path for p in table.for_role(role)]
    sign_in(client, services, "executive")
    assert client.get("/").headers["Location"] == "/executive"
    assert client.get("/executive").status_code == 200


@pytest.mark.parametrize("role", ["viewer", "dispatcher"])
def test_others_get_a_403_page_and_a_403_for_every_forged_callback(app, client, services, role):
    sign_in(client, services, role)
    page = client.get("/executive")
    assert page.status_code == 403 and "无权" in page.get_data(as_text=True)
    for output in CALLBACKS:
        r = call(app, client, output)
        assert r.status_code == 403 and r.json["error"]["code"] == "forbidden", output


def test_every_server_callback_answers_an_executive(app, client, services):
    sign_in(client, services, "executive")
    for output in CALLBACKS:
        r = call(app, client, output)
        assert r.status_code == 200, (output, r.get_data(as_text=True)[:500])
    answer = call(app, client, "exec-reliability.data").json["response"]
    kept = answer["exec-reliability"]["data"]
    assert kept["from"] == "2026-01-01" and kept["to"] == "2026-11-21" and kept["to_last"] == "2026-11-20"


@pytest.mark.parametrize("start, end", [("2026-11-20", "2026-01-01"), ("x", "2026-01-01"), (None, None),
                                        ("2999-01-01", "2999-02-01"), ("1990-01-01", "2026-01-01"),
                                        ({"a": 1}, [1])])
def test_a_bad_reliability_period_is_said_not_a_500(app, client, services, start, end):
    sign_in(client, services, "executive")
    r = call(app, client, "exec-reliability.data", {"exec-rel-range.start_date": start,
                                                    "exec-rel-range.end_date": end})
    assert r.status_code == 200
    assert "有效的期间" in json.dumps(r.json["response"], ensure_ascii=False)


def test_the_duty_callback_counts_the_seats_rostered_per_queue(app, client, services):
    from datetime import timedelta

    from tests.conftest import auth, now_utc
    now = now_utc()
    shift = {"day": now.date().isoformat(), "shift": "day", "start": (now - timedelta(hours=1)).isoformat(),
             "end": (now + timedelta(hours=1)).isoformat()}
    roster = ([shift | {"role": "seat", "person": f"A{i}", "team": "repair"} for i in range(3)] +
              [shift | {"role": "seat", "person": "B1", "team": "complaint"}, shift | {"role": "seat", "person": "C1"},
               shift | {"role": "duty_chief", "person": "王建国"}])
    r = client.put("/api/v1/roster", headers=auth("admin"), json={"from": shift["day"], "to": shift["day"],
                                                                  "shifts": roster})
    assert r.status_code == 200, r.json
    sign_in(client, services, "executive")
    answer = call(app, client, "exec-duty.children").json["response"]
    assert answer["exec-rostered"]["data"] == {"repair": 3, "complaint": 1}  # a seat with no team: in no queue
    text = json.dumps(answer["exec-duty"]["children"], ensure_ascii=False)
    assert "王建国" in text and "A0、A1、A2、B1、C1" in text and '"phone"' not in text


@pytest.mark.parametrize("kept", [None, 3, {"med_days": "x"}, {"med_days": [1, None, "2026-13-45", {"a": 1}],
                                                               "saidi": [1], "district": ["x"]}])
def test_the_storm_comparison_takes_what_the_page_kept_and_nothing_else(app, client, services, kept):
    sign_in(client, services, "executive")
    r = call(app, client, "exec-storms.children", {"exec-reliability.data": kept})
    assert r.status_code in (200, 204)  # bad kept data: no update, never a 500


def test_the_storm_comparison_sets_today_beside_a_major_event_day(app, client, services):
    sign_in(client, services, "executive")
    r = call(app, client, "exec-storms.children")
    text = json.dumps(r.json["response"], ensure_ascii=False)
    assert "今日（截至现在）" in text and "2026-11-01" in text and "40.5" in text
