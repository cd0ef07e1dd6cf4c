"""Who may do what, the read endpoints, health, OpenAPI and the JSON 404/405 answers."""
import pytest

from tests.conftest import TYPED, auth, make_fault


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"},
                                     {"Authorization": "Bearer "}])
def test_no_or_bad_credentials_are_401(client, headers):
    r = client.post("/api/v1/faults", json=make_fault(), headers=headers)
    assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized"
    assert client.get("/api/v1/snapshot", headers=headers).status_code == 401


@pytest.mark.parametrize("role, method, path, allowed", [
    ("viewer", "post", "/api/v1/faults", False), ("dispatcher", "post", "/api/v1/faults", False),
    ("ingest", "get", "/api/v1/workorders", False), ("viewer", "get", "/api/v1/workorders", False),
    ("viewer", "post", "/api/v1/workorders/1/assign", False), ("ingest", "post", "/api/v1/workorders/1/assign",
                                                                False),
    ("viewer", "get", "/api/v1/snapshot", True), ("executive", "get", "/api/v1/kpis", True),
    ("dispatcher", "get", "/api/v1/workorders", True), ("admin", "post", "/api/v1/faults", True),
])
def test_roles(client, role, method, path, allowed):
    r = getattr(client, method)(path, json=make_fault() if method == "post" else None, headers=auth(role))
    assert (r.status_code != 403) == allowed, r.json


def test_people_use_the_session_cookie(client, services):
    from tests.conftest import SAME_ORIGIN, add_person, post_login
    add_person(services, "dispatcher", "wang", "secret-pass")
    assert client.get("/api/v1/workorders").status_code == 401
    assert post_login(client, "wang", "wrong-pass").status_code == 401
    r = post_login(client, "wang", "secret-pass", next="//evil.example/x")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert client.get("/api/v1/workorders").status_code == 200
    assert client.post("/api/v1/faults", json=make_fault(), headers=SAME_ORIGIN).status_code == 403


def test_pages_need_login(client):
    assert client.get("/").status_code == 302
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/login").status_code == 200


def test_grids_geojson(client):
    grids = client.get("/api/v1/grids", headers=auth("viewer")).json
    assert grids["type"] == "FeatureCollection" and len(grids["features"]) >= 300
    assert set(grids["features"][0]["properties"]) == {"id", "name", "district", "area_class", "customers"}


def test_grids_answer_304_while_the_grid_set_is_unchanged(client):
    first = client.get("/api/v1/grids", headers=auth("viewer"))
    etag = first.headers["ETag"]
    assert etag.strip('"') == first.json["version"]
    again = client.get("/api/v1/grids", headers=auth("viewer") | {"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/v1/grids", headers=auth("viewer") | {"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.json["features"]


def test_snapshot_can_leave_out_work_order_fields(client):
    client.post("/api/v1/faults", json=make_fault(), headers=auth("ingest"))
    full = client.get("/api/v1/snapshot", headers=auth("viewer")).json["workorders"][0]
    slim = client.get("/api/v1/snapshot?order_fields=status,lon,status,arrival_due",
                      headers=auth("viewer")).json["workorders"][0]
    assert set(slim) == {"id", "status", "lon", "arrival_due"}  # id always comes
    assert slim == {k: full[k] for k in slim}
    # The snapshot reads plain rows, the order's page the mapped object: one view, the same answer.
    detail = client.get(f"/api/v1/workorders/{full['id']}", headers=auth("dispatcher")).json
    assert full == {k: detail[k] for k in full} and len(full) > 20


@pytest.mark.parametrize("fields", ["status,password", ",", "lon,__class__"])
def test_snapshot_rejects_unknown_fields(client, fields):
    r = client.get(f"/api/v1/snapshot?order_fields={fields}", headers=auth("viewer"))
    assert r.status_code == 422 and r.json["error"]["code"] == "validation_failed"


def test_json_answers_keep_chinese_as_is(client):
    text = client.get("/api/v1/grids", headers=auth("viewer")).data.decode()
    assert "\\u" not in text and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_snapshot_shape(client):
    client.post("/api/v1/faults", json=make_fault(), headers=auth("ingest"))
    snap = client.get("/api/v1/snapshot", headers=auth("viewer")).json
    assert set(snap) == {"seq", "generated_at", "grids_version", "workorders", "crews", "outages", "upcoming",
                         "seats", "queues", "kpis"}  # the contract's, and the planned outages of the next 24 h
    assert len(snap["workorders"]) == 1 and snap["kpis"]["open"] == 1


def test_healthz_needs_no_auth_and_metrics_count(client):
    h = client.get("/api/v1/healthz")
    assert h.status_code == 200 and h.json["status"] == "ok" and h.json["bus"]["kind"] == "inprocess"
    client.post("/api/v1/faults", json=make_fault(), headers=auth("ingest"))
    text = client.get("/api/v1/metrics", headers=auth("admin")).data.decode()
    assert 'gridcmd_api_requests_total{route="POST /faults"} 1' in text
    assert "gridcmd_faults_ingested_total 1" in text


def test_unknown_paths_and_methods_are_json(client):
    r = client.get("/api/v1/nothing", headers=auth("admin"))
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"
    r = client.get("/api/v1/faults", headers=auth("admin"))
    assert r.status_code == 405 and r.headers["Allow"] == "POST"
    assert client.get("/api/v1/workorders/999", headers=auth("dispatcher")).status_code == 404
    assert client.get("/api/v1/workorders/abc", headers=auth("dispatcher")).status_code == 404


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        return [node["$ref"]] if "$ref" in node else [r for v in node.values() for r in _refs(v)]
    return [r for v in node for r in _refs(v)] if isinstance(node, list) else []


PUBLIC_PATHS = {"/healthz", "/public/outages"}  # the health check; the public outage notices

def test_openapi_lists_every_route_with_schemas(client, app):
    doc = client.get("/api/v1/openapi.json", headers=auth("viewer")).json
    rules = {r.rule.removeprefix("/api/v1") for r in app.server.url_map.iter_rules() if r.endpoint.startswith("api.")}
    documented = {p.replace("{", "<").replace("}", ">") for p in doc["paths"]}
    normalise = lambda p: p.replace("<int:", "<")  # noqa: E731
    assert {normalise(r) for r in rules} == documented  # /openapi.json and /healthz included
    schemas = doc["components"]["schemas"]
    fault = schemas["FaultIn"]
    assert set(fault["required"]) == {"external_id", "reported_at", "lon", "lat", "category"}
    batch = schemas["FaultBatchIn"]["properties"]["items"]
    assert batch["items"] == {"$ref": "#/components/schemas/FaultIn"} and batch["maxItems"] == 1000
    # Every answer names its schema: no 2xx is a bare object, every error is the one error shape.
    assert all(ref.removeprefix("#/components/schemas/") in schemas for ref in _refs(doc))  # none dangles
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            for code, answer in op["responses"].items():
                where = f"{method.upper()} {path} {code}"
                if code == "304":
                    assert "content" not in answer, where
                    continue
                content = dict(answer["content"])
                if code.startswith("4"):
                    assert content == {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}, \
                        where
                    continue
                files = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                texts = {"/metrics": ("text/plain",), "/audit": ("text/csv",), "/reports/daily": files,
                         "/reports/assessment": files}
                if path in texts:  # text answers: the metrics; the audit's CSV beside its JSON; report files
                    for media in texts[path]:
                        assert content.pop(media) == {"schema": {"type": "string"}}, where
                    if not content:
                        continue
                (media_type, body), = content.items()
                assert media_type == "application/json", where
                assert body["schema"] != {"type": "object"} and _refs(body["schema"]), where
            if path in PUBLIC_PATHS:  # answered without credentials: these, and nothing else
                assert op["security"] == [] and "x-roles" not in op and "401" not in op["responses"], path
            else:
                assert {"401"} <= set(op["responses"]) and op["x-roles"], f"{method} {path}"


def test_openapi_answer_schemas_are_precise(client):
    doc = client.get("/api/v1/openapi.json", headers=auth("viewer")).json
    schemas = doc["components"]["schemas"]
    answers = doc["paths"]["/workorders/{id}"]["get"]["responses"]
    assert answers["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/WorkOrderDetailOut"}
    order = schemas["WorkOrderOut"]
    assert order["additionalProperties"] is False and set(order["required"]) == set(order["properties"])
    assert order["properties"]["merged_into"]["anyOf"] == [{"type": "integer"}, {"type": "null"}]
    assert order["properties"]["status"] == {"$ref": "#/components/schemas/OrderStatus"}
    partial = schemas["SnapshotWorkOrderOut"]  # `order_fields` may leave any field but id out
    assert partial["required"] == ["id"] and set(partial["properties"]) == set(order["properties"])
    assert "default" not in partial["properties"]["status"]
    health = doc["paths"]["/healthz"]["get"]
    assert health["security"] == [] and set(health["responses"]) == {"200", "503"}
    assert doc["paths"]["/workorders/{id}/assign"]["post"]["x-roles"] == ["admin", "dispatcher"]
    assert doc["paths"]["/sessions/{id}"]["delete"]["responses"].keys() >= {"403", "404", "415"}
    # A crew id with a "/" in it names no route: the 404 is documented, and true.
    assert "404" in doc["paths"]["/crews/{crew_id}"]["put"]["responses"]
    crew = {"name": "n", "team": "t", "skills": [], "members": 1, "on_duty": True}
    assert client.put("/api/v1/crews/a%2Fb", json=crew, headers=auth("ingest")).status_code == 404
    faults = doc["paths"]["/faults"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert faults == {"oneOf": [{"$ref": "#/components/schemas/FaultOut"},
                                {"$ref": "#/components/schemas/FaultBatchOut"}]}


def test_answers_match_their_documented_models(client):
    """The models reject what the answers do not carry: a stray field, a wrong type, a null where none may be."""
    from pydantic import ValidationError

    from dashboard.api.answers import FaultOut, SnapshotOut, WorkOrderDetailOut
    r = client.post("/api/v1/faults", json=make_fault(), headers=auth("ingest"))
    assert FaultOut.model_validate(r.json).created is True
    detail = client.get(f"/api/v1/workorders/{r.json['workorder_id']}", headers=auth("dispatcher")).json
    WorkOrderDetailOut.model_validate(detail)
    for broken in (detail | {"surprise": 0}, detail | {"status": "lost"}, detail | {"version": None}):
        with pytest.raises(ValidationError):
            WorkOrderDetailOut.model_validate(broken)
    slim = client.get("/api/v1/snapshot?order_fields=status", headers=auth("viewer")).json
    assert SnapshotOut.model_validate(slim).workorders[0].lon is None  # left out, which the schema allows
    with pytest.raises(ValidationError):
        SnapshotOut.model_validate(slim | {"workorders": [{"id": 1, "status": None}]})


def test_updates_replay_what_was_pushed_and_410_beyond(client, services):
    import time
    assert client.get("/api/v1/updates?after=0", headers=auth("viewer")).status_code == 410  # nothing held yet
    client.post("/api/v1/faults", json=make_fault(), headers=auth("ingest"))
    deadline = time.time() + 5
    while not any(c["kind"] == "workorder" for u in services.recent.items() for c in u["changes"]) \
            and time.time() < deadline:
        time.sleep(0.05)
    seq = services.bus.current_seq()
    first = services.recent.items()[0]["seq"]  # the stream starts from the clock, not from 1
    assert client.get(f"/api/v1/updates?after={first - 2}", headers=auth("viewer")).status_code == 410
    r = client.get(f"/api/v1/updates?after={first - 1}", headers=auth("viewer"))
    assert r.status_code == 200
    updates = r.json["updates"]
    seqs = [u["seq"] for u in updates]
    assert seqs == list(range(first, first + len(seqs))) and seqs[-1] >= seq  # all of them, in order
    assert any(c["kind"] == "workorder" for u in updates for c in u["changes"])
    # Up to date: nothing, or only what was pushed since (the KPI ticker may have pushed meanwhile).
    newer = client.get(f"/api/v1/updates?after={seq}", headers=auth("viewer")).json["updates"]
    assert all(u["seq"] > seq for u in newer)
    assert client.get(f"/api/v1/updates?after={seq + 1000}", headers=auth("viewer")).status_code == 410
    for bad in ("", "?after=x", "?after=1e999"):
        r = client.get(f"/api/v1/updates{bad}", headers=auth("viewer"))
        assert r.status_code == 422 and r.json["error"]["code"] == "validation_failed"
    assert client.get("/api/v1/updates?after=0").status_code == 401


def test_kiosk_signs_a_wall_in_with_a_viewer_token_only(client):
    for token in ("nope", "ingest-token", "admin-token"):
        r = client.get(f"/kiosk?token={token}", headers=TYPED)
        assert r.status_code == 401
        assert client.get("/api/v1/snapshot").status_code == 401
    assert client.get("/kiosk").headers["Location"] == "/login?next=/kiosk"
    r = client.get("/kiosk?token=viewer-token", headers=TYPED)
    assert r.status_code == 302 and r.headers["Location"] == "/?kiosk=1"
    assert "Expires=" in r.headers["Set-Cookie"]  # a permanent cookie, renewed while the wall runs
    assert client.get("/api/v1/snapshot").status_code == 200
    with client.session_transaction() as s:
        assert set(s) - {"_permanent"} == {"sid", "lang", "exp"}  # a key to the server record, no role or name
