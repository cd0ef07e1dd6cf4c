"""The admin page: header with the navigation, the tabs, and the open tab's pane (rendered by the server)."""
from __future__ import annotations

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids
from layouts.nav import lang_switch, nav, title_block
from layouts.page_context import PageContext

TABS = ("contacts", "notices", "dead", "audit", "roster")


def layout(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    tab = ctx.query.get("tab") if ctx.query.get("tab") in TABS else "contacts"
    return html.Div([
        html.Header([
            title_block(ctx, "nav.admin"),
            html.Div([nav(ctx), lang_switch(ctx)], className="header-right"),
        ], className="admin-header"),
        dcc.RadioItems(id=ids.ADMIN_TAB, options=[{"label": t(f"admin.tab.{k}", lang), "value": k} for k in TABS],
                       value=tab, inline=True, className="console-tabs admin-tabs", inputClassName="tab-input",
                       labelClassName="tab-label"),
        dcc.Store(id=ids.ADMIN_START_GRID, data=ctx.query.get("grid")),  # /admin?grid=ID opens that grid's people
        html.Main(id=ids.ADMIN_PANE, className="admin-pane"),
    ], className=f"admin lang-{lang}")
