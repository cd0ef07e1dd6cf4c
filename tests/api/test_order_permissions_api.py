"""Who may change an order over HTTP: crew-bound tokens only their crew's orders; viewers and executives nothing."""
import types

import pytest

import dashboard.services.tokens as tokens_module
from dashboard.domain import Role
from dashboard.services.tokens import add_token, revoke_token
from tests.conftest import SAME_ORIGIN, auth, make_fault, now_utc, sign_in

ING, DIS, ADM = auth("ingest"), auth("dispatcher"), auth("admin")


def _order(client) -> int:
    r = client.post("/api/v1/faults", json=make_fault(category="hazard"), headers=ING)
    assert r.status_code == 201
    return r.json["workorder_id"]


def _crew(client, crew_id: str) -> str:
    client.put(f"/api/v1/crews/{crew_id}", json={"name": crew_id, "team": "t", "skills": ["meter"], "members": 2,
                                                 "on_duty": True}, headers=ING)
    return crew_id


def _detail(client, oid: int) -> dict:
    return client.get(f"/api/v1/workorders/{oid}", headers=DIS).json


def _assign(client, oid: int, crew: str, headers=DIS):
    r = client.post(f"/api/v1/workorders/{oid}/assign", json={"crew_id": crew, "version": _detail(client, oid)[
        "version"]}, headers=headers)
    assert r.status_code == 200, r.json
    return r


def _state(client, *oids) -> list:
    """What a refused request must leave as it was: each order's status, version, crew and timeline."""
    return [(d["status"], d["version"], d["crew_id"], d["merged_into"], len(d["timeline"]))
            for d in (_detail(client, o) for o in oids)]


def _audit(client) -> list:
    return [(i["action"], i["object_id"], i["actor"]) for i in
            client.get("/api/v1/audit?limit=5000", headers=ADM).json["items"] if i["object"] == "workorder"]


def _crew_token(services, name: str, crew: str) -> dict:
    with services.db.write() as s:
        return {"Authorization": f"Bearer {add_token(s, Role.ingest, now_utc(), name=name, crew_id=crew)}"}


def _transition(client, oid: int, to: str, headers):
    return client.post(f"/api/v1/workorders/{oid}/transition", json={"to": to}, headers=headers)


# --- crew-bound tokens -------------------------------------------------------------------------------------------

def test_a_crew_token_moves_its_own_crews_order(client, services):
    oid = _order(client)
    _assign(client, oid, _crew(client, "C1"))
    token = _crew_token(services, "terminal-c1", "C1")
    r = _transition(client, oid, "accepted", token)
    assert r.status_code == 200 and r.json["status"] == "accepted"
    assert _detail(client, oid)["timeline"][-1]["actor"] == "terminal-c1"  # who made the change
    assert _audit(client)[-1] == ("transition", str(oid), "terminal-c1")


def test_a_crew_token_gets_403_for_another_crews_order_and_changes_nothing(client, services):
    theirs, unassigned = _order(client), _order(client)
    _crew(client, "C1")
    _assign(client, theirs, _crew(client, "C2"))
    token = _crew_token(services, "terminal-c1", "C1")
    before, audit = _state(client, theirs, unassigned), _audit(client)
    for oid, to in ((theirs, "accepted"), (theirs, "cancelled"), (unassigned, "cancelled")):
        r = _transition(client, oid, to, token)
        assert r.status_code == 403 and r.json["error"]["code"] == "forbidden", (oid, to, r.json)
    assert _state(client, theirs, unassigned) == before and _audit(client) == audit


def test_a_crew_token_loses_an_order_reassigned_to_another_crew(client, services):
    oid = _order(client)
    _assign(client, oid, _crew(client, "C1"))
    _assign(client, oid, _crew(client, "C2"))  # re-dispatched before C1 accepted
    token = _crew_token(services, "terminal-c1", "C1")
    before = _state(client, oid)
    assert _transition(client, oid, "accepted", token).status_code == 403
    assert _state(client, oid) == before
    assert _transition(client, oid, "accepted", _crew_token(services, "terminal-c2", "C2")).status_code == 200


def test_an_unbound_ingest_token_moves_any_crews_order(client):
    a, b = _order(client), _order(client)
    _assign(client, a, _crew(client, "C1"))
    _assign(client, b, _crew(client, "C2"))
    for oid in (a, b):
        r = _transition(client, oid, "accepted", ING)
        assert r.status_code == 200 and r.json["status"] == "accepted"


def test_a_revoked_crew_token_is_401_and_changes_nothing(client, services):
    oid = _order(client)
    _assign(client, oid, _crew(client, "C1"))
    token = _crew_token(services, "terminal-c1", "C1")
    with services.db.write() as s:
        revoke_token(s, "terminal-c1", now_utc())
    before = _state(client, oid)
    r = _transition(client, oid, "accepted", token)
    assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized"
    assert _state(client, oid) == before


def test_a_crew_token_revoked_after_use_is_401_once_the_token_cache_expires(client, services, monkeypatch):
    oid = _order(client)
    _assign(client, oid, _crew(client, "C1"))
    token = _crew_token(services, "terminal-c1", "C1")
    assert _transition(client, oid, "accepted", token).status_code == 200  # looked up, and cached
    with services.db.write() as s:
        revoke_token(s, "terminal-c1", now_utc())
    # Lookups are cached for a few seconds (TokenCache's ttl_s, 5 s): jump past it rather than sleep.
    clock = tokens_module.time.monotonic
    monkeypatch.setattr(tokens_module, "time", types.SimpleNamespace(monotonic=lambda: clock() + 60))
    before = _state(client, oid)
    assert _transition(client, oid, "en_route", token).status_code == 401
    assert _state(client, oid) == before


# --- roles -------------------------------------------------------------------------------------------------------

def _scene(client) -> dict:
    """An order to assign, transition or merge, one to merge into, one already merged (to unmerge), a free crew."""
    o = {"a": _order(client), "b": _order(client), "m": _order(client)}
    assert client.post(f"/api/v1/workorders/{o['m']}/merge", json={"into": o["b"]}, headers=DIS).status_code == 200
    _crew(client, "C1")
    return o


def _changes(client, o: dict, version: int) -> list:
    return [("assign", f"/api/v1/workorders/{o['a']}/assign", {"crew_id": "C1", "version": version}),
            ("transition", f"/api/v1/workorders/{o['a']}/transition", {"to": "cancelled"}),
            ("merge", f"/api/v1/workorders/{o['a']}/merge", {"into": o["b"]}),
            ("unmerge", f"/api/v1/workorders/{o['m']}/unmerge", {})]  # a session's change is always JSON


def _crew_status(client, crew: str) -> str:
    return next(c["status"] for c in client.get("/api/v1/snapshot", headers=DIS).json["crews"] if c["id"] == crew)


@pytest.mark.parametrize("via", ["token", "session"])
@pytest.mark.parametrize("role", ["viewer", "executive"])
def test_viewers_and_executives_get_403_on_every_change_and_nothing_changes(app, client, services, role, via):
    o = _scene(client)
    person = app.server.test_client()
    if via == "session":
        sign_in(person, services, role)
    headers = auth(role) if via == "token" else SAME_ORIGIN
    before, audit = _state(client, *o.values()), _audit(client)
    for action, path, body in _changes(client, o, _detail(client, o["a"])["version"]):
        r = person.post(path, json=body, headers=headers)
        assert r.status_code == 403 and r.json["error"]["code"] == "forbidden", (action, r.status_code, r.json)
    assert _state(client, *o.values()) == before and _audit(client) == audit
    assert _crew_status(client, "C1") == "available"


def test_an_ingest_token_may_not_assign_merge_or_unmerge(client):
    o = _scene(client)
    before = _state(client, *o.values())
    for action, path, body in _changes(client, o, _detail(client, o["a"])["version"]):
        if action != "transition":  # crews' terminals report their progress with the ingest role
            r = client.post(path, json=body, headers=ING)
            assert r.status_code == 403 and r.json["error"]["code"] == "forbidden", action
    assert _state(client, *o.values()) == before


def test_a_dispatcher_signed_in_assigns_transitions_merges_and_unmerges(app, client, services):
    o = _scene(client)
    person = app.server.test_client()
    name = sign_in(person, services, "dispatcher")

    def post(path, body):
        r = person.post(path, json=body, headers=SAME_ORIGIN)
        assert r.status_code == 200, (path, r.json)
        return r.json

    assert post(f"/api/v1/workorders/{o['m']}/unmerge", {})["status"] == "received"
    version = _detail(client, o["a"])["version"]
    assert post(f"/api/v1/workorders/{o['a']}/assign", {"crew_id": "C1", "version": version})["crew_id"] == "C1"
    assert post(f"/api/v1/workorders/{o['a']}/transition", {"to": "accepted"})["status"] == "accepted"
    assert post(f"/api/v1/workorders/{o['m']}/merge", {"into": o["b"]})["id"] == o["b"]
    assert _audit(client)[-4:] == [("unmerged", str(o["m"]), name), ("assigned", str(o["a"]), name),
                                   ("transition", str(o["a"]), name), ("merged", str(o["m"]), name)]
    assert _detail(client, o["m"])["status"] == "merged" and _crew_status(client, "C1") == "dispatched"
