"""GET /staffing: the Erlang C what-if (published example), the live answer, roles, and 422s naming the field."""
from __future__ import annotations

from datetime import timedelta

import pytest

from dashboard.api.answers.staffing import LiveStaffingOut, StaffingOut
from tests.conftest import auth, now_utc

WHAT_IF = "/api/v1/staffing?calls_per_hour=200&aht_s=180&target_sl=0.8&target_s=20&shrinkage=0.3"


def test_what_if_reproduces_the_published_example(client):
    # Call Centre Helper's example as printed by the CRAN ErlangC README (see tests/dashboard/figures): 100 calls
    # a half hour, AHT 180 s, 80 % in 20 s, occupancy ≤ 85 % → 14 agents, 20 with 30 % shrinkage; SL 0.88835.
    r = client.get(WHAT_IF + "&max_occupancy=0.85", headers=auth("executive"))
    assert r.status_code == 200, r.json
    body = StaffingOut.model_validate(r.json)
    assert (body.agents, body.staff_with_shrinkage, body.meetable) == (14, 20, True)
    assert body.traffic_erlangs == pytest.approx(10)
    assert body.service_level == pytest.approx(0.88835, abs=5e-6)
    assert body.probability_waiting == pytest.approx(0.1741319, abs=5e-8)
    assert body.inputs.target_sl == 0.8 and body.inputs.agents is None


def test_what_if_for_a_given_number_of_agents(client):
    r = client.get(WHAT_IF + "&agents=10", headers=auth("dispatcher"))  # N = A: an explicit "not meetable"
    assert r.status_code == 200
    assert (r.json["agents"], r.json["service_level"], r.json["asa_s"], r.json["meetable"]) == (10, 0.0, None, False)
    assert r.json["staff_with_shrinkage"] == 15  # ceil(10 / 0.7)


def test_what_if_with_given_agents_honours_the_occupancy_cap(client):
    # 10 erlangs on 20 agents: occupancy 0.5 and a service level far above 80 %; a 45 % cap is not met, 60 % is.
    capped = client.get(WHAT_IF + "&agents=20&max_occupancy=0.45", headers=auth("executive")).json
    assert (capped["occupancy"], capped["meetable"]) == (0.5, False) and capped["service_level"] > 0.8
    assert client.get(WHAT_IF + "&agents=20&max_occupancy=0.6", headers=auth("executive")).json["meetable"] is True


def test_defaults_come_from_the_service_level_rule(client, services):
    r = client.get("/api/v1/staffing?calls_per_hour=0&aht_s=180", headers=auth("admin"))
    assert r.status_code == 200
    assert r.json["inputs"]["target_s"] == services.rule.target_s and r.json["inputs"]["target_sl"] == services.rule.goal
    assert (r.json["agents"], r.json["service_level"]) == (0, 1.0)  # no calls, no agents


@pytest.mark.parametrize("role,status", [("viewer", 403), ("ingest", 403), ("executive", 200), ("admin", 200),
                                         ("dispatcher", 200)])
def test_roles(client, role, status):
    assert client.get(WHAT_IF, headers=auth(role)).status_code == status
    assert client.get("/api/v1/staffing", headers=auth(role)).status_code == status


def test_no_credentials_is_401(client):
    assert client.get(WHAT_IF).status_code == 401


@pytest.mark.parametrize("query,field", [
    ("calls_per_hour=-1&aht_s=180", "calls_per_hour"),
    ("calls_per_hour=1e9&aht_s=180", "calls_per_hour"),
    ("calls_per_hour=abc&aht_s=180", "calls_per_hour"),
    ("calls_per_hour=nan&aht_s=180", "calls_per_hour"),
    ("calls_per_hour=100&aht_s=0", "aht_s"),
    ("calls_per_hour=100&aht_s=-5", "aht_s"),
    ("calls_per_hour=100&aht_s=1e7", "aht_s"),
    ("calls_per_hour=100&aht_s=180&target_sl=1", "target_sl"),
    ("calls_per_hour=100&aht_s=180&target_sl=0", "target_sl"),
    ("calls_per_hour=100&aht_s=180&target_sl=1.5", "target_sl"),
    ("calls_per_hour=100&aht_s=180&target_s=-1", "target_s"),
    ("calls_per_hour=100&aht_s=180&shrinkage=1", "shrinkage"),
    ("calls_per_hour=100&aht_s=180&shrinkage=-0.1", "shrinkage"),
    ("calls_per_hour=100&aht_s=180&agents=0", "agents"),
    ("calls_per_hour=100&aht_s=180&agents=10000000", "agents"),
    ("calls_per_hour=100&aht_s=180&agents=2.5", "agents"),
    ("calls_per_hour=100&aht_s=180&max_occupancy=0", "max_occupancy"),
    ("aht_s=180", "calls_per_hour"),
    ("calls_per_hour=100", "aht_s"),
    ("target_sl=0.8", "calls_per_hour"),
])
def test_bad_input_is_422_naming_the_field(client, query, field):
    r = client.get(f"/api/v1/staffing?{query}", headers=auth("executive"))
    assert r.status_code == 422, (query, r.json)
    assert r.json["error"]["details"][0]["field"] == field


def test_without_figures_it_answers_the_live_staffing(client, services):
    now = now_utc().replace(microsecond=0)
    at = lambda s: (now + timedelta(seconds=s)).isoformat()  # noqa: E731
    seats = [{"seat_id": f"R{k}", "group": "repair", "state": "available", "at": at(-600)} for k in range(3)]
    assert client.post("/api/v1/seats/events", json={"items": seats}, headers=auth("ingest")).status_code == 200
    calls = [{"call_id": f"c{k}", "queue": "repair", "event": e, "at": at(t)}
             for k in range(6) for e, t in (("offered", -900 + 60 * k), ("answered", -890 + 60 * k),
                                            ("ended", -710 + 60 * k))]
    assert client.post("/api/v1/calls/events", json={"items": calls}, headers=auth("ingest")).status_code == 200
    r = client.get("/api/v1/staffing", headers=auth("executive"))
    assert r.status_code == 200
    body = LiveStaffingOut.model_validate(r.json)
    repair, = body.queues
    # 6 calls in the trailing 30 min: 12 an hour; talk 180 s each, no wrap-up → 0.6 E. By hand: one agent waits
    # a caller with C = ρ = 0.6, SL = 1 − 0.6·e^(−0.4·20/180) = 0.43; two: C = A²/(2 + A) = 0.138, SL = 0.88 → 2.
    assert (repair.calls_per_hour, repair.aht_s, repair.agents_logged_in) == (12.0, 180.0, 3)
    assert repair.traffic_erlangs == pytest.approx(0.6)
    assert (repair.agents_needed, repair.short) == (2, False)
    assert repair.service_level_expected > 0.88  # three agents logged in do better than two
    kpis = client.get("/api/v1/kpis", headers=auth("viewer")).json
    assert kpis["staffing"][0]["agents_needed"] == repair.agents_needed
