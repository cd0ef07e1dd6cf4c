"""/admin's server side: only admins open it or see it in the navigation; its callbacks save a grid's people
through the same service and validation as PUT /grids/{id}/contacts and send dead notices again, and a dispatcher
or viewer forging them gets 403 with nothing changed."""
import json

import pytest
from sqlalchemy import func, insert, select

import callbacks.pages
from dashboard.domain import Role
from dashboard.models import AuditEntry, Notification
from dashboard.services.grid_contacts import contacts_view
from dashboard.web.dash_guard import _outputs_spec
from tests.conftest import SAME_ORIGIN, now_utc, sign_in


def _call(app, client, first_output: str, inputs: list, state: list, changed: str | None = None):
    """A Dash callback request as the renderer sends it, for the callback whose first output is `first_output` and
    first input is the one given."""
    trigger = inputs[0][0] if isinstance(inputs[0], list) else inputs[0]
    trigger_id = json.dumps(trigger["id"], separators=(",", ":"), sort_keys=True) \
        if isinstance(trigger["id"], dict) else trigger["id"]
    pattern = json.dumps({k: "ALL" if k != "type" else v for k, v in trigger["id"].items()}, separators=(",", ":"),
                         sort_keys=True) if isinstance(trigger["id"], dict) else trigger_id
    key = next(k for k, c in app.callback_map.items() if k.lstrip(".").startswith(first_output)
               and c["inputs"][0]["id"].replace('["ALL"]', '"ALL"') == pattern)
    outputs = _outputs_spec(app.callback_map[key])
    body = {"output": key, "outputs": outputs if key.startswith("..") else outputs[0], "inputs": inputs, "state": state,
            "changedPropIds": [changed or f"{trigger_id}.{trigger['property']}"]}
    return client.post("/_dash-update-component", data=json.dumps(body),
                       headers=SAME_ORIGIN | {"Content-Type": "application/json"})


def _value(id_, value, prop="value"):
    return {"id": id_, "property": prop, "value": value}


def _save(app, client, grid, manager=("王建国", "13800138000", ""), liaisons=()):
    columns = [[_value({"type": kind, "index": n}, row[c]) for n, row in enumerate(liaisons)]
               for c, kind in enumerate(("admin-l-name", "admin-l-phone", "admin-l-village", "admin-l-email"))]
    return _call(app, client, "admin-contact-msg.children", [_value("admin-save", 1, "n_clicks")],
                 [_value("admin-grid", grid), _value("admin-m-name", manager[0]), _value("admin-m-phone", manager[1]),
                  _value("admin-m-email", manager[2]), *columns, _value("admin-saved", 0, "data")])


def _contacts(services, grid):
    with services.db.read() as s:
        return contacts_view(s, grid)


def test_only_admins_open_it_and_see_it_in_the_navigation(client, services):
    table = callbacks.pages.pages()
    assert [p.path for p in table.for_role(Role.admin)][-1] == "/admin"
    for role in (Role.dispatcher, Role.viewer, Role.executive):
        assert "/admin" not in [p.path for p in table.for_role(role)]
    sign_in(client, services, "dispatcher")
    page = client.get("/admin")
    assert page.status_code == 403 and "无权" in page.get_data(as_text=True)


def test_an_admin_opens_it(app, services):
    client = app.server.test_client()
    sign_in(client, services, "admin")
    assert client.get("/admin").status_code == 200


def test_an_admin_saves_a_grids_people(app, client, services, grid):
    name = sign_in(client, services, "admin")
    r = _save(app, client, grid, ("王建国", "138-0013-8000", ""),
              [("李秀英", "010-12345678", "和平里社区", ""), ("", "", "", ""),
               ("赵敏", "+86 139 0000 0001", "", "")])
    assert r.status_code == 200, r.data[:300]
    text = json.dumps(r.json, ensure_ascii=False)
    assert "已保存" in text and "联络员 2 人" in text  # the blank row (added, never filled) is left out
    view = _contacts(services, grid)
    assert view["manager"] == {"name": "王建国", "phone": "13800138000", "email": None}
    assert [(p["name"], p["phone"], p["village"]) for p in view["liaisons"]] == [
        ("李秀英", "01012345678", "和平里社区"), ("赵敏", "13900000001", None)]
    with services.db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "contacts_replaced")).one()
    assert entry.actor == name and entry.object_id == grid


def test_a_malformed_phone_is_named_and_nothing_is_stored(app, client, services, grid):
    sign_in(client, services, "admin")
    assert _save(app, client, grid).status_code == 200
    before = _contacts(services, grid)
    r = _save(app, client, grid, ("王建国", "12345", ""),
              [("李秀英", "010-12345678", "村", ""), ("赵敏", "139", "", "")])
    assert r.status_code == 200
    message = r.json["response"]["admin-contact-msg"]["children"]
    assert message.startswith("未保存") and "manager.phone" in message and "liaisons.1.phone" in message
    assert "网格经理 电话" in message and "手机号" in message and "liaisons.0" not in message
    assert "admin-editor" not in r.json["response"]  # the form keeps what was typed, to be corrected
    assert _contacts(services, grid) == before
    empty = _save(app, client, grid, ("", "13800138000", ""))
    assert "manager.name" in empty.json["response"]["admin-contact-msg"]["children"]


@pytest.mark.parametrize("role", ["dispatcher", "viewer"])
def test_a_forged_save_from_another_role_is_refused(app, client, services, grid, role):
    sign_in(client, services, role)
    r = _save(app, client, grid)
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"
    assert _contacts(services, grid)["manager"] is None
    grids = _call(app, client, "admin-grid.options", [_value("admin-no-manager", []), _value("admin-saved", 0, "data")],
                  [_value("admin-grid", None)])
    assert grids.status_code == 403  # nor may it read who the grids' people are


def _dead(services, n: int = 1) -> list[int]:
    now = now_utc()
    with services.db.write() as s:
        return list(s.scalars(insert(Notification).returning(Notification.id), [
            {"notice_id": f"outage:{i}:g:opened", "channel": "nowhere", "event": "outage_opened", "subject": "outage",
             "subject_id": i, "grid_id": None, "recipients": [], "text": "x", "data": {}, "status": "dead",
             "attempts": 10, "queued_at": now, "next_at": now, "last_error": "HTTP 500"} for i in range(n)]))


def _statuses(services) -> dict[int, tuple[str, int]]:
    with services.db.read() as s:
        return {r.id: (r.status, r.attempts) for r in s.scalars(select(Notification))}


def _requeue(app, client, notice_id):
    return _call(app, client, "admin-n-msg.children",
                 [[_value({"id": notice_id, "type": "admin-requeue"}, 1, "n_clicks")]],
                 [_value("admin-n-refresh", 0, "data")])


def test_an_admin_requeues_one_dead_notice_and_then_all(app, client, services):
    first, second, third = _dead(services, 3)
    sign_in(client, services, "admin")
    r = _requeue(app, client, first)
    assert r.status_code == 200 and "已重新排队 1 条" in json.dumps(r.json, ensure_ascii=False)
    assert _statuses(services)[first] == ("pending", 0)
    again = _requeue(app, client, first)  # no longer dead: said, nothing changes
    assert "未执行" in json.dumps(again.json, ensure_ascii=False)
    every = _call(app, client, "admin-n-msg.children", [_value("admin-requeue-all", 1, "n_clicks")],
                  [_value("admin-n-refresh", 1, "data")])
    assert "已重新排队 2 条" in json.dumps(every.json, ensure_ascii=False)
    assert _statuses(services) == {first: ("pending", 0), second: ("pending", 0), third: ("pending", 0)}
    with services.db.read() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.action == "notice_requeued")) == 3


@pytest.mark.parametrize("role", ["dispatcher", "viewer"])
def test_a_forged_requeue_from_another_role_is_refused(app, client, services, role):
    [dead] = _dead(services)
    sign_in(client, services, role)
    assert _requeue(app, client, dead).status_code == 403
    every = _call(app, client, "admin-n-msg.children", [_value("admin-requeue-all", 1, "n_clicks")],
                  [_value("admin-n-refresh", 1, "data")])
    assert every.status_code == 403
    assert _statuses(services)[dead] == ("dead", 10)


def test_the_grid_list_counts_and_filters_the_grids_without_a_manager(app, client, services, grid):
    sign_in(client, services, "admin")
    assert _save(app, client, grid).status_code == 200
    total = len(services.catalog.info)

    def listed(missing_only, picked=None):
        r = _call(app, client, "admin-grid.options", [_value("admin-no-manager", ["yes"] if missing_only else []),
                                                      _value("admin-saved", 1, "data")], [_value("admin-grid", picked)])
        assert r.status_code == 200
        answer = r.json["response"]
        return [o["value"] for o in answer["admin-grid"]["options"]], json.dumps(answer["admin-missing"],
                                                                                  ensure_ascii=False)
    every, said = listed(False)
    assert len(every) == total and f"{total - 1} 个网格未设网格经理（共 {total} 个）" in said
    missing, _ = listed(True)
    assert len(missing) == total - 1 and grid not in missing
    kept, _ = listed(True, picked=grid)  # the grid being edited stays in the list
    assert grid in kept


def test_phones_are_partly_masked_on_screen():
    from layouts.admin.notices import masked
    assert masked("13812345678") == "138****5678"
    assert masked("01012345678") == "010****5678"
    assert masked("") == ""


def test_liaison_rows_are_added_and_removed_keeping_what_was_typed(app, client, services, grid):
    sign_in(client, services, "admin")
    rows = [("李秀英", "010-12345678", "和平里社区", ""), ("赵敏", "13900000001", "", "")]
    columns = [[_value({"type": kind, "index": n}, row[c]) for n, row in enumerate(rows)]
               for c, kind in enumerate(("admin-l-name", "admin-l-phone", "admin-l-village", "admin-l-email"))]
    manager = [_value("admin-m-name", "王建国"), _value("admin-m-phone", "1380013"), _value("admin-m-email", "")]

    def press(changed, add_clicks, remove_clicks):
        inputs = [_value("admin-grid", grid), _value("admin-l-add", add_clicks, "n_clicks"),
                  [_value({"index": n, "type": "admin-l-remove"}, c, "n_clicks") for n, c in enumerate(remove_clicks)]]
        r = _call(app, client, "admin-editor.children", inputs, [*manager, *columns], changed=changed)
        assert r.status_code == 200, r.data[:300]
        return json.dumps(r.json, ensure_ascii=False)
    added = press("admin-l-add.n_clicks", 1, [None, None])
    assert "联络员 3" in added and "赵敏" in added and "1380013" in added  # typed, not yet saved: kept
    removed = press('{"index":0,"type":"admin-l-remove"}.n_clicks', None, [1, None])
    assert "李秀英" not in removed and "赵敏" in removed and "联络员 2" not in removed
    assert _contacts(services, grid)["manager"] is None  # nothing is stored until saved


def test_every_notice_event_and_status_has_a_label_in_both_languages():
    from typing import get_args
    from dashboard.api.answers.notices import NotificationOut
    from dashboard.i18n import STRINGS
    from dashboard.notify.history import STATUSES
    events = get_args(NotificationOut.model_fields["event"].annotation)
    missing = [k for k in [f"admin.event.{e}" for e in events] + [f"admin.status.{s}" for s in STATUSES]
               if k not in STRINGS or not all(STRINGS[k])]
    assert events and not missing
