"""The admin page: header with the navigation, the tabs, and the open tab's pane (rendered by the server)."""
from __future__ import annotations

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids
from layouts.nav import nav
from layouts.page_context import PageContext

TABS = ("contacts", "notices", "dead", "audit", "roster")


def layout(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    tab = ctx.query.get("tab") if ctx.query.get("tab") in TABS else "contacts"
    return html.Div([
        html.Header([
            html.Div([html.H1(t("nav.admin", lang), className="title"),
                      html.Div(ctx.services.config.center_name if lang == "zh" else t("wall.title", lang),
                               className="subtitle")], className="title-block"),
            html.Div([nav(ctx),
                      html.A(t("wall.lang", lang), href=f"/lang/{'en' if lang == 'zh' else 'zh'}?next=/admin",
                             className="header-button lang-switch")], className="header-right"),
        ], className="admin-header"),
        dcc.RadioItems(id=ids.ADMIN_TAB, options=[{"label": t(f"admin.tab.{k}", lang), "value": k} for k in TABS],
                       value=tab, inline=True, className="console-tabs admin-tabs", inputClassName="tab-input",
                       labelClassName="tab-label"),
        dcc.Store(id=ids.ADMIN_START_GRID, data=ctx.query.get("grid")),  # /admin?grid=ID opens that grid's people
        html.Main(id=ids.ADMIN_PANE, className="admin-pane"),
    ], className=f"admin lang-{lang}")
