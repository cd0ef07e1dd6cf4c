"""Two dispatchers assign at the same moment, on SQLite and PostgreSQL: one wins, the other gets a clear 409."""
import threading

import pytest

from dashboard.domain import Role
from dashboard.services.tokens import add_token
from tests.conftest import SAME_ORIGIN, auth, make_fault, now_utc, sign_in

ING, DIS, ADM = auth("ingest"), auth("dispatcher"), auth("admin")
ROUNDS = 10


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", [pytest.param("sqlite", id="sqlite"), pytest.param(
            "postgres", id="postgres", marks=pytest.mark.postgres)], indirect=True)


def _crew(client, crew_id: str) -> str:
    r = client.put(f"/api/v1/crews/{crew_id}", json={"name": crew_id, "team": "t", "skills": ["meter"],
                                                      "members": 2, "on_duty": True}, headers=ING)
    assert r.status_code in (200, 201), r.json
    return crew_id


def _order(client) -> tuple[int, int]:
    # `meter` reports are never grouped, so every report is an order of its own.
    oid = client.post("/api/v1/faults", json=make_fault(category="meter"), headers=ING).json["workorder_id"]
    return oid, client.get(f"/api/v1/workorders/{oid}", headers=DIS).json["version"]


def _detail(client, oid: int) -> dict:
    return client.get(f"/api/v1/workorders/{oid}", headers=DIS).json


def _crews(client) -> dict:
    return {c["id"]: c for c in client.get("/api/v1/snapshot", headers=DIS).json["crews"]}


def _assign_rows(client) -> list[dict]:
    r = client.get("/api/v1/audit?limit=5000", headers=ADM)
    assert r.status_code == 200
    return [i for i in r.json["items"] if i["object"] == "workorder" and i["action"] in ("assigned", "reassigned")]


def _token(services, name: str) -> dict:
    with services.db.write() as s:
        return {"Authorization": f"Bearer {add_token(s, Role.dispatcher, now_utc(), name=name)}"}


def _race(*calls) -> list:
    """Each call `(client, path, body, headers)` in its own thread, all let go at once; their answers in order."""
    barrier, answers, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(i, client, path, body, headers):
        try:
            barrier.wait(timeout=10)
            answers[i] = client.post(path, json=body, headers=headers)
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and all(a is not None for a in answers), errors
    return answers


def test_two_people_assign_one_order_with_one_version_one_wins(app, client, services):
    wang, li = app.server.test_client(), app.server.test_client()
    names = {id(wang): sign_in(wang, services, "dispatcher"), id(li): sign_in(li, services, "dispatcher")}
    held, winners = {}, {}
    for i in range(ROUNDS):
        crew = _crew(client, f"R{i}")
        oid, version = _order(client)
        path, body = f"/api/v1/workorders/{oid}/assign", {"crew_id": crew, "version": version}
        answers = _race((wang, path, body, SAME_ORIGIN), (li, path, body, SAME_ORIGIN))
        assert sorted(a.status_code for a in answers) == [200, 409], [a.json for a in answers]
        won = next(p for p, a in zip((wang, li), answers) if a.status_code == 200)
        lost = next(a for a in answers if a.status_code == 409)
        winner = names[id(won)]
        error = lost.json["error"]
        assert error["code"] == "stale_version"
        assert f"assign by {winner}" in error["message"]  # names who got there first
        assert error["details"] == [{"field": "version", "message": f"now {version + 1}"}]
        detail = _detail(client, oid)
        assert (detail["status"], detail["crew_id"], detail["version"]) == ("dispatched", crew, version + 1)
        assigns = [e for e in detail["timeline"] if e["action"] == "assign"]
        assert [e["actor"] for e in assigns] == [winner]
        held[crew], winners[str(oid)] = oid, winner
    crew_state = _crews(client)
    assert {c: crew_state[c]["workorder_id"] for c in held} == held
    rows = _assign_rows(client)
    assert len(rows) == ROUNDS and {r["object_id"]: r["actor"] for r in rows} == winners  # one row each, by the winner
    assert {r["action"] for r in rows} == {"assigned"}


def test_two_crews_for_one_order_at_once_one_crew_gets_it(app, client, services):
    desks = [(app.server.test_client(), _token(services, "desk-a")),
             (app.server.test_client(), _token(services, "desk-b"))]
    held, idle = {}, []
    for i in range(ROUNDS):
        crews = [_crew(client, f"A{i}"), _crew(client, f"B{i}")]
        oid, version = _order(client)
        path = f"/api/v1/workorders/{oid}/assign"
        answers = _race(*[(c, path, {"crew_id": crew, "version": version}, h) for (c, h), crew in zip(desks, crews)])
        assert sorted(a.status_code for a in answers) == [200, 409], [a.json for a in answers]
        won = [a.status_code for a in answers].index(200)
        winner, loser = crews[won], crews[1 - won]
        error = answers[1 - won].json["error"]
        assert error["code"] == "stale_version" and f"by desk-{'ab'[won]}" in error["message"]
        assert answers[won].json["crew_id"] == winner
        detail = _detail(client, oid)
        assert (detail["crew_id"], detail["version"]) == (winner, version + 1)
        assert [e["note"] for e in detail["timeline"] if e["action"] == "assign"] == [f"crew {winner}"]
        held[winner] = oid
        idle.append(loser)
    crew_state = _crews(client)
    assert {c: (crew_state[c]["status"], crew_state[c]["workorder_id"]) for c in held} == {
        c: ("dispatched", oid) for c, oid in held.items()}
    assert {(crew_state[c]["status"], crew_state[c]["workorder_id"]) for c in idle} == {("available", None)}
    rows = _assign_rows(client)
    assert len(rows) == ROUNDS and all(r["action"] == "assigned" for r in rows)  # none "reassigned"
    assert len({r["object_id"] for r in rows}) == ROUNDS


def test_one_crew_for_two_orders_at_once_one_order_gets_it(app, client, services):
    desks = [(app.server.test_client(), _token(services, "desk-a")),
             (app.server.test_client(), _token(services, "desk-b"))]
    held = {}
    for i in range(ROUNDS):
        crew = _crew(client, f"S{i}")
        orders = [_order(client), _order(client)]
        answers = _race(*[(c, f"/api/v1/workorders/{oid}/assign", {"crew_id": crew, "version": v}, h)
                          for (c, h), (oid, v) in zip(desks, orders)])
        assert sorted(a.status_code for a in answers) == [200, 409], [a.json for a in answers]
        won = [a.status_code for a in answers].index(200)
        (winner, _), (loser, loser_version) = orders[won], orders[1 - won]
        error = answers[1 - won].json["error"]
        assert error["code"] == "crew_unavailable" and crew in error["message"]
        assert _detail(client, winner)["crew_id"] == crew
        held[crew] = winner
        lost = _detail(client, loser)
        assert (lost["status"], lost["crew_id"], lost["version"]) == ("received", None, loser_version)
        assert [e["action"] for e in lost["timeline"]] == ["created"]
    crew_state = _crews(client)
    assert {c: crew_state[c]["workorder_id"] for c in held} == held  # a crew holds one order at a time
    rows = _assign_rows(client)
    assert len(rows) == ROUNDS and {r["details"]["crew"]: int(r["object_id"]) for r in rows} == held
