"""The app shell every page is rendered into: the URL, the page's content, and what a refused page shows."""
from __future__ import annotations

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids


def shell() -> html.Div:
    return html.Div([dcc.Location(id=ids.URL, refresh="callback-nav"), html.Div(id=ids.PAGE, className="page")])


def refused(lang: str, key: str, links: list[tuple[str, str]]) -> html.Div:
    """What a page a role may not open (or no page) shows instead of its layout."""
    return html.Div(html.Div([html.H1(t("wall.title", lang)), html.P(t(key, lang), className="login-error"),
                              *[html.A(label, href=href, className="login-link") for href, label in links]],
                             className="login-box"), className="login refused")
