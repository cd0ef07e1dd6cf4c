"""The navigation: the pages this person's role may open, and signing out (a form post with its token)."""
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
