"""The console page: header, the tabs (orders, outages, screening, callbacks) and their list on the left; the map and the
selected order's or outage's desk on the right."""
from __future__ import annotations

from dash import dcc, html

from dashboard.domain import Category, OrderStatus, TERMINAL_STATUSES
from dashboard.i18n import t
from layouts import ids
from layouts.console import callback_desk, outage_desk, outages, screening, tickets
from layouts.console.desk import empty
from layouts.console.grid import PAGE_ROWS, order_grid
from layouts.live import live_components, page_config
from layouts.map_figure import wall_figure
from layouts.nav import lang_switch, nav, title_block
from layouts.page_context import PageContext

# What the console's map and live state need of each order (the list itself comes a page at a time).
CONSOLE_ORDER_FIELDS = ("id", "status", "version", "grid_id", "lon", "lat", "address", "sensitive", "report_count",
                        "reported_at", "due_at", "level", "overdue", "crew_id")
SNAPSHOT_URL = "/api/v1/snapshot?order_fields=" + ",".join(CONSOLE_ORDER_FIELDS)


def _filters(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    statuses = [s.value for s in OrderStatus if s not in TERMINAL_STATUSES]
    return html.Div([
        dcc.Input(id=ids.F_SEARCH, type="search", debounce=True, placeholder=t("console.search", lang),
                  className="filter-search", maxLength=64),
        dcc.Dropdown(id=ids.F_DISTRICT, options=ctx.services.catalog.districts(), placeholder=t("console.col.district",
                                                                                               lang),
                     className="filter"),
        dcc.Dropdown(id=ids.F_STATUS, options=[{"label": t(f"order.{s}", lang), "value": s} for s in statuses],
                     placeholder=t("console.col.status", lang), className="filter"),
        dcc.Dropdown(id=ids.F_CATEGORY, options=[{"label": t(f"category.{c}", lang), "value": c.value}
                                                 for c in Category],
                     placeholder=t("console.col.category", lang), className="filter"),
        dcc.Dropdown(id=ids.F_LEVEL, options=[{"label": t(f"warn.{n}", lang) if n else t("console.in_time", lang),
                                               "value": n} for n in range(ctx.services.limits.levels + 1)],
                     placeholder=t("console.col.level", lang), className="filter"),
        dcc.Checklist(id=ids.F_OVERDUE, options=[{"label": t("console.overdue_only", lang), "value": "yes"}],
                      className="filter-check"),
        html.Span(id=ids.COUNT, className="console-count"),
    ], id=ids.FILTERS, className="console-filters")


def layout(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    config = page_config(ctx, snapshot_url=SNAPSHOT_URL, map_id=ids.CMAP, page_rows=PAGE_ROWS)
    return html.Div([
        *live_components(config),
        dcc.Store(id=ids.SELECTED), dcc.Store(id=ids.REFRESH, data=0), dcc.Store(id=ids.CONSOLE_STARTED),
        dcc.Store(id=ids.BOARD_TICK, data=0), dcc.Store(id=ids.BOARD_SEEN), dcc.Store(id=ids.OUTAGE_SELECTED),
        dcc.Store(id=ids.OUTAGE_LIVE, data=0), dcc.Store(id=ids.OUTAGE_DONE, data=0),
        dcc.Store(id=ids.TICKET_SELECTED), dcc.Store(id=ids.TICKET_DONE, data=0), dcc.Store(id=ids.TICKET_SEEN),
        html.Header([
            title_block(ctx, "nav.console"),
            html.Div(id=ids.CLOCK, className="clock"),
            html.Div([html.Div(id=ids.LINK, className="link link-connecting", children=t("wall.connecting", lang)),
                      nav(ctx), lang_switch(ctx)], className="header-right"),
        ], className="console-header"),
        html.Main([
            html.Section([
                outages.tabs(lang),
                html.Div([_filters(ctx), html.Div(order_grid(lang), className="console-grid-box")],
                         id=ids.ORDERS_PANE, className="console-pane"),
                outages.pane(lang), screening.pane(lang), tickets.pane(lang), callback_desk.pane(lang),
            ], className="console-list"),
            html.Section([
                html.Div(dcc.Graph(id=ids.CMAP, figure=wall_figure(ctx.services.catalog),
                                   config={"displayModeBar": False, "scrollZoom": True}, className="console-map",
                                   responsive=True), className="console-map-box"),
                html.Div(id=ids.MESSAGE, className="console-message", role="status"),
                html.Div([
                    html.Div(empty(lang), id=ids.DETAIL, className="console-detail"),
                    html.Div(id=ids.CANDIDATES, className="console-candidates"),
                    html.Div(id=ids.ACTIONS, className="console-actions"),
                ], id=ids.ORDER_DESK, className="console-desk"),
                html.Div([
                    html.Div(outage_desk.empty(lang), id=ids.OUTAGE_DETAIL, className="console-detail"),
                    html.Div(id=ids.OUTAGE_ACTIONS, className="console-actions"),
                    html.Div(id=ids.OUTAGE_DIAGRAM, className="console-diagram"),
                ], id=ids.OUTAGE_DESK, className="console-desk", hidden=True),
                html.Div([
                    html.Div(tickets.empty(lang), id=ids.TICKET_DETAIL, className="console-detail"),
                    html.Div(id=ids.TICKET_ACTIONS, className="console-actions"),
                ], id=ids.TICKET_DESK, className="console-desk", hidden=True),
            ], id=ids.CONSOLE_SIDE, className="console-side"),
        ], className="console-main"),
        html.Div(id=ids.CONFIRM, className="confirm", role="alertdialog", hidden=True),
        html.Div(t("console.keys", lang), className="console-keys"),
    ], className=f"console lang-{lang}")
