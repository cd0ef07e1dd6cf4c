"""The notices' history on /admin (the same query as GET /notifications), paged newest first, and dead notices
sent again (one, or all), as POST /notifications/{id}/requeue does."""
from __future__ import annotations

from dash import ALL, Input, Output, State, ctx, no_update

from callbacks.admin_act import ADMIN, act, cursors, lang, turn
from dashboard.i18n import t
from dashboard.notify.history import STATUSES, list_notifications
from dashboard.notify.requeue import dead_count, requeue, requeue_all_dead
from dashboard.services.audit import Actor
from dashboard.web.roles import require_role
from layouts import ids
from layouts.admin import notices
from layouts.admin.history import since


def register(app, services) -> None:
    db = services.db

    @app.callback(Output(ids.ADMIN_N_PAGE, "data"), Input(ids.ADMIN_N_NEWER, "n_clicks"),
                  Input(ids.ADMIN_N_OLDER, "n_clicks"), Input(ids.ADMIN_N_STATUS, "value"),
                  Input(ids.ADMIN_N_PERIOD, "value"), State(ids.ADMIN_N_PAGE, "data"), State(ids.ADMIN_N_NEXT, "data"),
                  prevent_initial_call=True)
    def page(_newer, _older, _status, _period, opened, nxt):
        require_role(services, ADMIN)
        return turn(opened, nxt, ctx.triggered_id, ids.ADMIN_N_NEWER, ids.ADMIN_N_OLDER)

    @app.callback(Output(ids.ADMIN_N_TABLE, "children"), Output(ids.ADMIN_N_NEXT, "data"),
                  Output(ids.ADMIN_N_NEWER, "disabled"), Output(ids.ADMIN_N_OLDER, "disabled"),
                  Output(ids.ADMIN_N_PAGE_NO, "children"), Output(ids.ADMIN_DEAD_COUNT, "children"),
                  Output(ids.ADMIN_REQUEUE_ALL, "disabled"),
                  Input(ids.ADMIN_N_PAGE, "data"), Input(ids.ADMIN_N_REFRESH, "data"),
                  Input(ids.ADMIN_N_RELOAD, "n_clicks"), State(ids.ADMIN_N_STATUS, "value"),
                  State(ids.ADMIN_N_PERIOD, "value"))
    def history(opened, _refresh, _reload, status, period):
        require_role(services, ADMIN)
        lang_, pages = lang(), cursors(opened)
        with db.read() as s:
            items, nxt = list_notifications(s, start=since(period, services.clock()),
                                            status=status if status in STATUSES else None,
                                            limit=notices.PAGE_ROWS, before_id=pages[-1])
            dead = dead_count(s)
        grids = {gid: info.name for gid, info in services.catalog.info.items()}
        return (notices.table(items, grids, lang_, services.config.timezone), nxt, len(pages) == 1, nxt is None,
                t("admin.page_no", lang_).format(n=len(pages)), t("admin.dead_count", lang_).format(n=dead),
                dead == 0)

    @app.callback(Output(ids.ADMIN_N_MSG, "children"), Output(ids.ADMIN_N_REFRESH, "data"),
                  Input({"type": ids.REQUEUE, "id": ALL}, "n_clicks"), State(ids.ADMIN_N_REFRESH, "data"),
                  prevent_initial_call=True)
    def requeue_one(_clicks, refresh):
        require_role(services, ADMIN)
        pressed = ctx.triggered_id
        if not isinstance(pressed, dict) or not ctx.triggered[0].get("value") or not isinstance(pressed.get("id"), int):
            return no_update, no_update  # a button drawn anew, not pressed

        def change(by: Actor) -> str:
            with db.write() as s:
                requeue(s, pressed["id"], services.clock(), by)
            services.wake_notifier()
            return t("admin.requeued", lang()).format(n=1)
        return act(services, change), (refresh if isinstance(refresh, int) else 0) + 1

    @app.callback(Output(ids.ADMIN_N_MSG, "children", allow_duplicate=True),
                  Output(ids.ADMIN_N_REFRESH, "data", allow_duplicate=True), Input(ids.ADMIN_REQUEUE_ALL, "n_clicks"),
                  State(ids.ADMIN_N_REFRESH, "data"), prevent_initial_call=True)
    def requeue_all(clicks, refresh):
        require_role(services, ADMIN)
        if not clicks:
            return no_update, no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                done = requeue_all_dead(s, services.clock(), by)
            services.wake_notifier()
            return t("admin.requeued", lang()).format(n=len(done))
        return act(services, change), (refresh if isinstance(refresh, int) else 0) + 1
