"""/admin's duty-roster tab: pasted CSV replaces its days through the same validation and service as PUT /roster;
a bad row is named and nothing is stored; another role forging the import gets 403."""
import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from dashboard.models import AuditEntry, DutyShift
from tests.conftest import sign_in
from tests.web.test_admin_page import _call, _value

HEADER = "day,shift,start,end,role,person,team,phone\n"


def _csv(day, role="duty_chief") -> str:
    return HEADER + f"{day},day,{day}T08:00:00+08:00,{day}T20:00:00+08:00,{role},王建国,,\n"


def _import(app, client, text):
    return _call(app, client, "admin-roster-msg.children", [_value("admin-roster-import", 1, "n_clicks")],
                 [_value("admin-roster-csv", text)])


def _count(services) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(DutyShift))


def test_an_admin_imports_pasted_csv(app, client, services):
    name = sign_in(client, services, "admin")
    today = datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Shanghai")).date()
    r = _import(app, client, _csv(today) + _csv(today + timedelta(days=1)).split("\n", 1)[1])
    assert r.status_code == 200, r.data[:300]
    text = json.dumps(r.json, ensure_ascii=False)
    assert f"已替换 {today} 至 {today + timedelta(days=1)} 的值班：2 个班次" in text
    assert "王建国" in text and "值班长" in text  # the table of the coming days
    assert _count(services) == 2
    with services.db.read() as s:
        assert s.scalars(select(AuditEntry.actor).where(AuditEntry.action == "roster_replaced")).one() == name


def test_a_bad_row_is_named_and_nothing_is_stored(app, client, services):
    sign_in(client, services, "admin")
    r = _import(app, client, _csv("2026-11-20") + "2026-11-20,day,x,2026-11-20T20:00:00+08:00,seat,张伟,,\n")
    message = r.json["response"]["admin-roster-msg"]["children"]
    assert message.startswith("未保存") and "row 3, start" in message
    assert _count(services) == 0
    assert "请先粘贴" in json.dumps(_import(app, client, "  ").json, ensure_ascii=False)


@pytest.mark.parametrize("role", ["dispatcher", "viewer"])
def test_a_forged_import_from_another_role_is_refused(app, client, services, role):
    sign_in(client, services, role)
    r = _import(app, client, _csv("2026-11-20"))
    assert r.status_code == 403 and _count(services) == 0
