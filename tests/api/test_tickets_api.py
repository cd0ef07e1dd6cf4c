"""Service tickets over HTTP: intake and its idempotency, validation, roles, the lifecycle, the list and the order."""
from datetime import timedelta

from sqlalchemy import func, select

from dashboard.models import AuditEntry, Ticket, TicketEvent
from tests.conftest import auth, make_fault, now_utc
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)

ING, DISP, VIEW, ADMIN = auth("ingest"), auth("dispatcher"), auth("viewer"), auth("admin")
LON, LAT = 116.4075, 39.9040  # make_fault's point, in Dongcheng


def ticket(n: int = 1, **overrides) -> dict:
    body = {"external_id": f"T-{n}", "kind": "consultation", "received_at": (now_utc() - timedelta(minutes=5)).isoformat(),
            "lon": LON, "lat": LAT, "subject": "咨询供电服务", "phone": "13800138000"}
    return body | overrides


def count(services, model=Ticket) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_ticket_is_located_routed_and_timed(client, grid):
    r = client.post("/api/v1/tickets", json=ticket(kind="complaint", subject="抢修人员态度差"), headers=ING)
    assert r.status_code == 201, r.json
    body = r.json
    assert body["created"] is True and body["grid_id"] == grid and body["status"] == "received"
    assert body["department"] == "operations"  # about a repair
    detail = client.get(f"/api/v1/tickets/{body['id']}", headers=DISP).json
    assert detail["timeline"][0]["action"] == "created" and detail["level"] == 0 and detail["overdue"] is False
    assert detail["due_at"] == detail["contact_due"]
    assert detail["created_by"]


def test_routing_by_what_the_ticket_is_about(client, grid):
    billing = client.post("/api/v1/tickets", json=ticket(1, subject="电费账单有疑问"), headers=ING).json
    local = client.post("/api/v1/tickets", json=ticket(2, subject="咨询社区服务时间"), headers=ING).json
    nowhere = client.post("/api/v1/tickets", json=ticket(3, subject="咨询社区服务时间", lon=None, lat=None),
                          headers=ING).json
    named = client.post("/api/v1/tickets", json=ticket(4, subject="咨询", lon=None, lat=None, grid_id=grid),
                        headers=ING).json
    assert (billing["department"], local["department"]) == ("marketing", "grid")
    assert nowhere["grid_id"] is None and nowhere["department"] == "marketing"  # accepted and flagged
    assert named["grid_id"] == grid
    flagged = client.get(f"/api/v1/tickets/{nowhere['id']}", headers=DISP).json
    assert flagged["outside_grid"] is True


def test_the_same_key_replays_and_other_content_conflicts(client, services):
    body = ticket()
    first = client.post("/api/v1/tickets", json=body, headers=ING)
    again = client.post("/api/v1/tickets", json=body, headers=ING)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"] and again.json["created"] is False
    other = client.post("/api/v1/tickets", json=body | {"subject": "另一件事"}, headers=ING)
    assert other.status_code == 409 and other.json["error"]["code"] == "idempotency_conflict"
    assert count(services) == 1


def test_bad_tickets_are_422_naming_the_field_and_store_nothing(client, services):
    cases = {
        "kind": ticket(kind="praise"),
        "subject": ticket(subject=""),
        "description": ticket(description="x" * 2001),
        "received_at": ticket(received_at=(now_utc() + timedelta(minutes=30)).isoformat()),
        "related_workorder_id": ticket(related_workorder_id=999),
        "grid_id": ticket(grid_id="no-such-grid", lon=None, lat=None),
    }
    for field, body in cases.items():
        r = client.post("/api/v1/tickets", json=body, headers=ING)
        assert r.status_code == 422, (field, r.json)
        assert field in [d["field"] for d in r.json["error"]["details"]], (field, r.json)
    old = client.post("/api/v1/tickets", json=ticket(received_at=(now_utc() - timedelta(days=8)).isoformat()),
                      headers=ING)
    assert old.status_code == 422
    assert client.post("/api/v1/tickets", json=ticket(subject="x" * 201), headers=ING).status_code == 422
    assert count(services) == 0


def test_roles_that_may_not_write_change_nothing(client, services):
    assert client.post("/api/v1/tickets", json=ticket(), headers=VIEW).status_code == 403
    assert client.post("/api/v1/tickets", json=ticket(), headers=DISP).status_code == 403
    assert count(services) == 0
    tid = client.post("/api/v1/tickets", json=ticket(), headers=ING).json["id"]
    r = client.post(f"/api/v1/tickets/{tid}/transition", json={"to": "contacted"}, headers=VIEW)
    assert r.status_code == 403
    assert client.get("/api/v1/tickets", headers=VIEW).status_code == 403
    detail = client.get(f"/api/v1/tickets/{tid}", headers=DISP).json
    assert detail["status"] == "received" and detail["version"] == 1 and len(detail["timeline"]) == 1


def test_the_lifecycle_with_versions_and_audit(client, services):
    tid = client.post("/api/v1/tickets", json=ticket(kind="complaint", subject="营业厅服务态度"), headers=ING).json["id"]
    bad = client.post(f"/api/v1/tickets/{tid}/transition", json={"to": "closed"}, headers=DISP)
    assert bad.status_code == 409 and bad.json["error"]["code"] == "invalid_transition"
    r = client.post(f"/api/v1/tickets/{tid}/transition", json={"to": "contacted", "note": "已致电", "version": 1},
                    headers=DISP)
    assert r.status_code == 200 and r.json["status"] == "contacted" and r.json["version"] == 2
    assert r.json["contacted_at"] and r.json["due_at"] == r.json["close_due"]
    stale = client.post(f"/api/v1/tickets/{tid}/transition", json={"to": "closed", "version": 1}, headers=DISP)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    done = client.post(f"/api/v1/tickets/{tid}/transition", json={"to": "closed", "version": 2}, headers=ADMIN)
    assert done.status_code == 200 and done.json["closed_at"] and done.json["due_at"] is None
    late = client.post(f"/api/v1/tickets/{tid}/transition", json={"to": "cancelled"}, headers=DISP)
    assert late.status_code == 409
    assert client.post("/api/v1/tickets/9999/transition", json={"to": "closed"}, headers=DISP).status_code == 404
    detail = client.get(f"/api/v1/tickets/{tid}", headers=DISP).json
    assert [(e["action"], e["to"]) for e in detail["timeline"]] == [
        ("created", "received"), ("transition", "contacted"), ("transition", "closed")]
    assert detail["timeline"][1]["note"] == "已致电"
    with services.db.read() as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.action).where(AuditEntry.object == "ticket")
                         .order_by(AuditEntry.id)).all()
    assert [r.action for r in rows] == ["transition", "transition"] and rows[0].actor != rows[1].actor


def test_cancel_before_closed(client):
    tid = client.post("/api/v1/tickets", json=ticket(), headers=ING).json["id"]
    r = client.post(f"/api/v1/tickets/{tid}/transition", json={"to": "cancelled", "note": "重复工单"}, headers=ING)
    assert r.status_code == 200 and r.json["status"] == "cancelled"
    assert client.get("/api/v1/tickets", headers=DISP).json["count"] == 0
    assert client.get("/api/v1/tickets?status=cancelled", headers=DISP).json["count"] == 1


def test_list_filters_and_cursor(client, grid):
    kinds = ["complaint", "consultation", "service", "report", "consultation"]
    for n, kind in enumerate(kinds):
        body = ticket(n, kind=kind, received_at=(now_utc() - timedelta(minutes=50 - n)).isoformat())
        assert client.post("/api/v1/tickets", json=body, headers=ING).status_code == 201
    everything = client.get("/api/v1/tickets", headers=DISP).json
    assert everything["count"] == 5 and everything["next"] is None
    dues = [t["due_at"] for t in everything["items"]]
    assert dues == sorted(dues)  # most urgent first: consultations' 4 h before the others' 24 h
    assert everything["items"][0]["kind"] == "consultation"
    assert client.get("/api/v1/tickets?kind=consultation", headers=DISP).json["count"] == 2
    assert client.get("/api/v1/tickets?department=marketing", headers=DISP).json["count"] == 1  # the service
    assert client.get(f"/api/v1/tickets?grid_id={grid}&level=0&overdue=false", headers=DISP).json["count"] == 5
    assert client.get("/api/v1/tickets?overdue=true", headers=DISP).json["count"] == 0
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/tickets?limit=2" + (f"&cursor={cursor}" if cursor else ""), headers=DISP).json
        assert page["count"] == 5
        seen += [t["id"] for t in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [t["id"] for t in everything["items"]]
    for query in ("kind=praise", "level=x", "cursor=garbage", "limit=0"):
        assert client.get(f"/api/v1/tickets?{query}", headers=DISP).status_code == 422, query


def test_a_complaint_about_a_repair_shows_on_the_order(client, services):
    order_id = client.post("/api/v1/faults", json=make_fault(category="hazard"), headers=ING).json["workorder_id"]
    r = client.post("/api/v1/tickets", json=ticket(kind="complaint", subject="抢修太慢", related_workorder_id=order_id),
                    headers=ING)
    assert r.status_code == 201 and r.json["department"] == "operations"
    order = client.get(f"/api/v1/workorders/{order_id}", headers=DISP).json
    assert [(t["id"], t["kind"], t["status"], t["subject"], t["level"]) for t in order["tickets"]] == [
        (r.json["id"], "complaint", "received", "抢修太慢", 0)]
    assert client.get(f"/api/v1/tickets?workorder_id={order_id}", headers=DISP).json["count"] == 1


def test_ticket_changes_are_pushed_without_personal_fields(client, services):
    seen = []
    services.bus.subscribe(lambda changes: seen.extend(c for c in changes if c.kind == "ticket"))
    tid = client.post("/api/v1/tickets", json=ticket(description="客户家住某某小区"), headers=ING).json["id"]
    kpis = client.get("/api/v1/kpis", headers=DISP).json
    assert kpis["tickets_open"] == 1 and kpis["tickets_by_level"] == [1, 0, 0, 0, 0]
    client.post(f"/api/v1/tickets/{tid}/transition", json={"to": "cancelled"}, headers=DISP)
    assert [(c.op, c.id) for c in seen] == [("upsert", str(tid)), ("remove", str(tid))]
    assert all(k not in seen[0].data for k in ("phone", "customer_id", "description"))
    assert client.get("/api/v1/kpis", headers=DISP).json["tickets_open"] == 0
    assert count(services, TicketEvent) == 2


def test_a_crew_terminal_cannot_move_read_or_file_tickets(client, services):
    from dashboard.domain import Role
    from dashboard.services.tokens import add_token
    with services.db.write() as s:
        crew = {"Authorization": f"Bearer {add_token(s, Role.ingest, now_utc(), name='truck-7', crew_id='C7')}"}
    tid = client.post("/api/v1/tickets", json=ticket(), headers=ING).json["id"]
    r = client.post(f"/api/v1/tickets/{tid}/transition", json={"to": "contacted"}, headers=crew)
    assert r.status_code == 403
    assert client.get(f"/api/v1/tickets/{tid}", headers=DISP).json["version"] == 1
    # The tickets carry customers' phones and reports that may be about the crew itself.
    assert client.get("/api/v1/tickets", headers=crew).status_code == 403
    assert client.get(f"/api/v1/tickets/{tid}", headers=crew).status_code == 403
    r = client.post("/api/v1/tickets", json=ticket(external_id="T-crew"), headers=crew)
    assert r.status_code == 403 and count(services, Ticket) == 1


def test_a_ticket_placed_only_by_its_repair_order_takes_the_orders_grid(client, grid):
    order_id = client.post("/api/v1/faults", json=make_fault(category="hazard"), headers=ING).json["workorder_id"]
    r = client.post("/api/v1/tickets", json=ticket(lon=None, lat=None, related_workorder_id=order_id), headers=ING)
    assert r.status_code == 201 and r.json["grid_id"] == grid


def test_a_batch_stores_the_good_items_and_answers_each(client, services):
    first = ticket(1)
    items = [first, ticket(2, kind="praise"), first, first | {"subject": "改了"}, ticket(3, kind="service")]
    r = client.post("/api/v1/tickets", json={"items": items}, headers=ING)
    assert r.status_code == 200
    results = r.json["results"]
    assert [(x["index"], x["status"]) for x in results] == [(0, 201), (1, 422), (2, 200), (3, 409), (4, 201)]
    assert results[0]["ticket_status"] == "received" and results[2]["id"] == results[0]["id"]
    assert results[1]["error"]["details"][0]["field"] == "kind"
    assert results[4]["department"] == "marketing"
    assert count(services) == 2
    assert client.post("/api/v1/tickets", json={"items": []}, headers=ING).status_code == 422
    assert client.post("/api/v1/tickets", json={"items": [ticket(9)]}, headers=VIEW).status_code == 403
    assert count(services) == 2
