"""The navigation in every page's header: the page's title, the pages this person's role may open, signing out, and
the language switch."""
from __future__ import annotations

from dash import html

from dashboard.i18n import t
from layouts.page_context import PageContext


def nav(ctx: PageContext) -> html.Nav:
    links = [html.A(t(p.title_key, ctx.lang), href=p.path,
                    className="nav-link" + (" nav-here" if p.path == ctx.page.path else ""))
             for p in ctx.pages.for_role(ctx.person.role)]
    who = html.Span(f"{ctx.person.name} · {t('role.' + ctx.person.role, ctx.lang)}", className="nav-who")
    return html.Nav([*links, who, html.A(t("logout.title", ctx.lang), href="/logout", className="nav-link")],
                    className="nav")


def title_block(ctx: PageContext, title_key: str, prefix: str = "") -> html.Div:
    """The page's name and the center's (in English, the product's); `prefix` names the page's own CSS classes."""
    subtitle = ctx.services.config.center_name if ctx.lang == "zh" else t("wall.title", ctx.lang)
    return html.Div([html.H1(t(title_key, ctx.lang), className=f"{prefix}title"),
                     html.Div(subtitle, className=f"{prefix}subtitle")], className=f"{prefix}title-block")


def lang_switch(ctx: PageContext) -> html.A:
    """To the other language, back to this page."""
    return html.A(t("wall.lang", ctx.lang), href=f"/lang/{'en' if ctx.lang == 'zh' else 'zh'}?next={ctx.page.path}",
                  className="header-button lang-switch")
