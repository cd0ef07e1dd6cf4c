"""The reports panel (for the executive page): GET forms to the report routes with the day and month filled in,
the roster's line; a signed-in person's browser downloads through them with the session cookie."""
from datetime import date

from dash import dcc, html

from layouts.reports_panel import panel
from tests.conftest import sign_in

ON_DUTY = {"duty_chief": [{"person": "王建国"}], "dispatcher": [], "seat": [], "crew": [],
           "counts": {"duty_chief": 1, "dispatcher": 2, "seat": 30, "crew": 80}}


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            yield from _walk(child)


def test_the_forms_name_the_routes_and_their_parameters():
    nodes = list(_walk(panel("zh", date(2026, 11, 20), ON_DUTY)))
    forms = {f.action: f for f in nodes if isinstance(f, html.Form)}
    assert set(forms) == {"/api/v1/reports/daily", "/api/v1/reports/assessment"}
    fields = {(n.name, getattr(n, "value", None)) for n in nodes if isinstance(n, (dcc.Input, html.Select))}
    assert fields == {("date", "2026-11-20"), ("month", "2026-11"), ("format", None)}
    duty = next(n for n in nodes if getattr(n, "id", None) == "report-duty")
    assert "".join(s.children for s in duty.children) == "值班长 王建国 · 调度 2 · 座席 30 · 抢修队 80"


def test_a_signed_in_executive_downloads_with_the_cookie(client, services):
    sign_in(client, services, "executive")
    r = client.get("/api/v1/reports/daily?date=2026-11-20&format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
