"""Console callbacks: the list's pages and the order's desk from the server; every change checks the role inside."""
from __future__ import annotations

from collections.abc import Callable

from dash import ALL, Input, Output, State, ctx, html, no_update

from callbacks import console_callbacks, console_outages, console_screening, console_tickets
from callbacks.console_act import DISPATCH
from callbacks.console_act import act as act_as
from callbacks.console_act import lang as _lang
from callbacks.live import fn
from dashboard.domain import OrderStatus
from dashboard.errors import ServiceError
from dashboard.i18n import t
from dashboard.services.audit import Actor
from dashboard.services.dispatch_desk import open_desk
from dashboard.services.order_list import OrderFilter, list_orders
from dashboard.services.workorders import assign_crew, merge_orders, transition, unmerge_order
from dashboard.web.roles import require_role
from layouts import ids
from layouts.console import callback_desk, desk
from layouts.console.grid import PAGE_ROWS

FILTERS = (State(ids.F_DISTRICT, "value"), State(ids.F_STATUS, "value"), State(ids.F_CATEGORY, "value"),
           State(ids.F_LEVEL, "value"), State(ids.F_OVERDUE, "value"), State(ids.F_SEARCH, "value"))
# Re-assigning, or cancelling, is done with a reason (it lands in the timeline and the audit log).
NEEDS_REASON = frozenset({OrderStatus.cancelled.value})


def _filters(district, status, category, level, overdue, search) -> OrderFilter:
    return OrderFilter(status=status or None, district=district or None, category=category or None,
                       level=level if isinstance(level, int) else None, overdue=True if overdue else None,
                       search=(search or "").strip()[:64] or None)


def register(app, services) -> None:
    db, bus = services.db, services.bus

    def act(change: Callable[[Actor], str]) -> str:
        """Run one change as the signed-in dispatcher (the desk reloads either way, showing the order as it is
        now)."""
        return act_as(services, change)

    @app.callback(Output(ids.GRID, "getRowsResponse"), Output(ids.COUNT, "children"),
                  Input(ids.GRID, "getRowsRequest"), *FILTERS, prevent_initial_call=True)
    def rows(request, *filters):
        require_role(services, DISPATCH)
        start = int((request or {}).get("startRow") or 0)
        end = int((request or {}).get("endRow") or start + PAGE_ROWS)
        with db.read() as s:
            page = list_orders(s, _filters(*filters), limit=max(1, min(end - start, 1000)), offset=start)
        return ({"rowData": page["items"], "rowCount": page["count"]},
                t("console.count", _lang()).format(n=page["count"]))

    @app.callback(Output(ids.DETAIL, "children"), Output(ids.CANDIDATES, "children"), Output(ids.ACTIONS, "children"),
                  Input(ids.SELECTED, "data"), Input(ids.REFRESH, "data"), prevent_initial_call=True)
    def open_order(order_id, _refresh):
        require_role(services, DISPATCH)
        lang = _lang()
        if not isinstance(order_id, int):
            return desk.empty(lang), None, None
        try:
            with db.read() as s:
                view = open_desk(s, order_id)
        except ServiceError as exc:
            return desk.empty(lang), exc.message, None
        order = view["order"]
        tz = services.config.timezone
        return (desk.detail(order, lang, services.clock(), tz),
                desk.candidates(view["candidates"], order["version"], view["assignable"], lang),
                html.Div([desk.actions(order, view["next"], lang), callback_desk.box(order["callback"], lang, tz)]))

    @app.callback(Output(ids.MESSAGE, "children"), Output(ids.REFRESH, "data"),
                  Input({"type": "assign", "crew": ALL, "version": ALL}, "n_clicks"), State(ids.SELECTED, "data"),
                  State(ids.REASON, "value"), State(ids.REFRESH, "data"), prevent_initial_call=True)
    def assign(clicks, order_id, reason, refresh):
        pressed = ctx.triggered_id
        if not pressed or not any(clicks) or not isinstance(order_id, int):
            return no_update, no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                order = assign_crew(s, bus, order_id, str(pressed["crew"]), version=int(pressed["version"]),
                                    now=services.clock(), by=by, catalog=services.catalog, limits=services.limits,
                                    note=(reason or "").strip()[:200] or None, reason_to_reassign=True)
            return t("console.assigned", _lang()).format(crew=order.crew_id)
        return act(change), (refresh or 0) + 1

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.REFRESH, "data", allow_duplicate=True),
                  Input({"type": "go", "to": ALL, "version": ALL}, "n_clicks"), State(ids.SELECTED, "data"),
                  State(ids.REASON, "value"), State(ids.REFRESH, "data"), prevent_initial_call=True)
    def move(clicks, order_id, reason, refresh):
        pressed = ctx.triggered_id
        if not pressed or not any(clicks) or not isinstance(order_id, int):
            return no_update, no_update
        to, note = str(pressed["to"]), (reason or "").strip()[:200] or None
        if to in NEEDS_REASON and not note:
            require_role(services, DISPATCH)
            return t("console.need_reason", _lang()), no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                transition(s, bus, order_id, OrderStatus(to), now=services.clock(), note=note,
                           version=int(pressed["version"]), by=by, catalog=services.catalog,
                           limits=services.limits)
            return t("console.moved", _lang()).format(id=order_id, state=t(f"order.{to}", _lang()))
        return act(change), (refresh or 0) + 1

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.REFRESH, "data", allow_duplicate=True),
                  Input(ids.MERGE_GO, "n_clicks"), State(ids.SELECTED, "data"), State(ids.MERGE_INTO, "value"),
                  State(ids.REFRESH, "data"), prevent_initial_call=True)
    def merge(clicks, order_id, into, refresh):
        if not clicks or not isinstance(order_id, int) or not isinstance(into, int):
            return no_update, no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                merge_orders(s, bus, order_id, into, now=services.clock(), by=by, catalog=services.catalog,
                             limits=services.limits)
            return t("console.merged", _lang()).format(id=into)
        return act(change), (refresh or 0) + 1

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.REFRESH, "data", allow_duplicate=True),
                  Input({"type": "unmerge", "order": ALL}, "n_clicks"), State(ids.REFRESH, "data"),
                  prevent_initial_call=True)
    def unmerge(clicks, refresh):
        pressed = ctx.triggered_id
        if not pressed or not any(clicks):
            return no_update, no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                unmerge_order(s, bus, int(pressed["order"]), now=services.clock(), by=by, catalog=services.catalog,
                              limits=services.limits)
            return t("console.unmerged", _lang()).format(id=pressed["order"])
        return act(change), (refresh or 0) + 1

    cb = app.clientside_callback
    cb(fn("console", "start"), Output(ids.CONSOLE_STARTED, "data"), Input(ids.CONFIG, "data"))
    cb(fn("console", "pick"), Output(ids.SELECTED, "data"), Input(ids.GRID, "selectedRows"),
       prevent_initial_call=True)
    cb(fn("console", "refilter"), Output(ids.NOOP, "data"), *(Input(s.component_id, s.component_property)
                                                              for s in FILTERS), prevent_initial_call=True)
    cb(fn("console", "tick"), Output(ids.NOOP, "data", allow_duplicate=True), Input(ids.TICK, "n_intervals"),
       State(ids.CONFIG, "data"), prevent_initial_call=True)
    # The console's 研判 side (the outage list and desk, the screening lane): the same page, registered with it.
    console_outages.register(app, services)
    console_screening.register(app, services)
    console_tickets.register(app, services)
    console_callbacks.register(app, services)
