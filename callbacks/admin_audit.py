"""The audit log on /admin, read only: the same entries as GET /audit, newest first, filtered and paged."""
from __future__ import annotations

from dash import Input, Output, State, ctx

from callbacks.admin_act import ADMIN, cursors, lang, turn
from dashboard.i18n import t
from dashboard.services.audit import list_entries
from dashboard.web.roles import require_role
from layouts import ids
from layouts.admin import audit
from layouts.admin.history import since


def _filter(value: object, longest: int) -> str | None:
    return value.strip()[:longest] or None if isinstance(value, str) else None


def register(app, services) -> None:
    db = services.db

    @app.callback(Output(ids.ADMIN_A_PAGE, "data"), Input(ids.ADMIN_A_NEWER, "n_clicks"),
                  Input(ids.ADMIN_A_OLDER, "n_clicks"), Input(ids.ADMIN_A_ACTOR, "value"),
                  Input(ids.ADMIN_A_ACTION, "value"), Input(ids.ADMIN_A_PERIOD, "value"),
                  State(ids.ADMIN_A_PAGE, "data"), State(ids.ADMIN_A_NEXT, "data"), prevent_initial_call=True)
    def page(_newer, _older, _actor, _action, _period, opened, nxt):
        require_role(services, ADMIN)
        return turn(opened, nxt, ctx.triggered_id, ids.ADMIN_A_NEWER, ids.ADMIN_A_OLDER)

    @app.callback(Output(ids.ADMIN_A_TABLE, "children"), Output(ids.ADMIN_A_NEXT, "data"),
                  Output(ids.ADMIN_A_NEWER, "disabled"), Output(ids.ADMIN_A_OLDER, "disabled"),
                  Output(ids.ADMIN_A_PAGE_NO, "children"), Input(ids.ADMIN_A_PAGE, "data"),
                  State(ids.ADMIN_A_ACTOR, "value"), State(ids.ADMIN_A_ACTION, "value"),
                  State(ids.ADMIN_A_PERIOD, "value"))
    def entries(opened, actor, action, period):
        require_role(services, ADMIN)
        lang_, pages = lang(), cursors(opened)
        with db.read() as s:
            items, nxt = list_entries(s, start=since(period, services.clock()), actor=_filter(actor, 64),
                                      action=_filter(action, 32), limit=audit.PAGE_ROWS, newest_first=True,
                                      before_id=pages[-1])
        return (audit.table(items, lang_, services.config.timezone), nxt, len(pages) == 1, nxt is None,
                t("admin.page_no", lang_).format(n=len(pages)))
