"""Grid contacts over HTTP: replaced whole by admin and ingest, read by dispatchers and admins (personal data);
a malformed phone is 422 naming the field and stores nothing; an unknown grid is 404."""
import pytest

from tests.conftest import auth
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)

BODY = {"manager": {"name": "王建国", "phone": "138-0013-8000"},
        "liaisons": [{"name": "李秀英", "phone": "010-12345678", "village": "和平里社区"},
                     {"name": "张伟", "phone": "01087654321"}]}


def _put(client, grid, body, role="admin"):
    return client.put(f"/api/v1/grids/{grid}/contacts", json=body, headers=auth(role))


def test_put_then_get_the_grid_people(client, grid):
    answer = _put(client, grid, BODY, role="ingest")
    assert answer.status_code == 200, answer.json
    read = client.get(f"/api/v1/grids/{grid}/contacts", headers=auth("dispatcher")).json
    assert read == answer.json
    assert read["manager"] == {"name": "王建国", "phone": "13800138000", "email": None}
    assert read["liaisons"] == [{"name": "李秀英", "phone": "01012345678", "email": None, "village": "和平里社区"},
                                {"name": "张伟", "phone": "01087654321", "email": None, "village": None}]
    # Replaced whole: the grid has exactly the people of the last PUT.
    _put(client, grid, {"manager": {"name": "赵敏", "phone": "+86 139 0000 0001", "email": "zhao@example.cn"}})
    read = client.get(f"/api/v1/grids/{grid}/contacts", headers=auth("admin")).json
    assert read["manager"]["phone"] == "13900000001" and read["liaisons"] == []


@pytest.mark.parametrize("field, body", [
    ("manager.phone", {"manager": {"name": "王建国", "phone": "12345678901"}}),  # 12x is no mobile
    ("manager.phone", {"manager": {"name": "王建国", "phone": "1380013800"}}),  # ten digits
    ("liaisons.1.phone", {"manager": BODY["manager"], "liaisons": [BODY["liaisons"][0], {"name": "张伟",
                                                                                         "phone": "010-1234"}]}),
    ("liaisons.0.phone", {"manager": BODY["manager"], "liaisons": [{"name": "张伟", "phone": "phone"}]}),
    ("manager.email", {"manager": {"name": "王建国", "phone": "13800138000", "email": "not-an-address"}}),
    ("manager", {"liaisons": []}),
    ("manager.name", {"manager": {"name": "", "phone": "13800138000"}}),
    ("manager.mobile", {"manager": {"name": "王建国", "phone": "13800138000", "mobile": "1"}}),
])
def test_bad_contacts_are_422_naming_the_field_and_store_nothing(client, grid, field, body):
    assert _put(client, grid, BODY).status_code == 200
    answer = _put(client, grid, body)
    assert answer.status_code == 422
    assert field in [d["field"] for d in answer.json["error"]["details"]]
    assert client.get(f"/api/v1/grids/{grid}/contacts", headers=auth("admin")).json["manager"]["name"] == "王建国"


def test_an_unknown_grid_is_404(client):
    assert _put(client, "no-such-grid", BODY).status_code == 404
    assert client.get("/api/v1/grids/no-such-grid/contacts", headers=auth("admin")).status_code == 404


def test_roles(client, grid):
    for role in ("viewer", "executive", "ingest"):
        assert client.get(f"/api/v1/grids/{grid}/contacts", headers=auth(role)).status_code == 403
    for role in ("viewer", "dispatcher", "executive"):
        assert _put(client, grid, BODY, role=role).status_code == 403
    assert client.get(f"/api/v1/grids/{grid}/contacts").status_code == 401


def test_a_change_of_contacts_is_audited(client, grid):
    _put(client, grid, BODY)
    items = client.get("/api/v1/audit?action=contacts_replaced", headers=auth("admin")).json["items"]
    assert [(i["object"], i["object_id"], i["actor"]) for i in items] == [("grid", grid, "config:admin")]
