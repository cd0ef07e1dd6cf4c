"""The router: the URL's page, rendered for the signed-in person if their role may open it (else a refusal)."""
from __future__ import annotations

from urllib.parse import parse_qs

from dash import Input, Output, no_update
from flask import session

from dashboard.i18n import LANGS, t
from dashboard.web.pages import PageTable
from dashboard.web.signin import current_person
from layouts import ids
from layouts.page_context import PageContext
from layouts.shell import refused, shell


def register(app, services, pages: PageTable) -> None:
    app.layout = shell

    @app.callback(Output(ids.PAGE, "children"), Input(ids.URL, "pathname"), Input(ids.URL, "search"))
    def route(pathname: str | None, search: str | None):
        lang = session.get("lang", "zh") if session.get("lang") in LANGS else "zh"
        person = current_person(services)
        if person is None or not isinstance(pathname, str):
            return no_update
        links = [(p.path, t(p.title_key, lang)) for p in pages.for_role(person.role)]
        page = pages.find(pathname)
        if page is None:
            return refused(lang, "page.not_found", links)
        if person.role not in page.roles:  # the request guard refused it already; a forged callback lands here
            return refused(lang, "page.forbidden", links)
        query = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
        return page.layout(PageContext(services, person, lang, query, pages, page))
