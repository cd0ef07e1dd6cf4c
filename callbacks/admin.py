"""Admin page callbacks: the open tab's pane from the server; each tab's own callbacks in admin_*.py. Every callback
checks on the server that an admin is asking."""
from __future__ import annotations

from dash import Input, Output, State

from callbacks import admin_audit, admin_contacts, admin_notices, admin_roster
from callbacks.admin_act import ADMIN, lang
from dashboard.web.roles import require_role
from layouts import ids
from layouts.admin import audit, notices


def register(app, services) -> None:
    @app.callback(Output(ids.ADMIN_PANE, "children"), Input(ids.ADMIN_TAB, "value"),
                  State(ids.ADMIN_START_GRID, "data"))
    def pane(tab, start_grid):
        require_role(services, ADMIN)
        if tab == "notices" or tab == "dead":
            return notices.pane(lang(), dead=tab == "dead")
        if tab == "audit":
            return audit.pane(lang())
        if tab == "roster":
            return admin_roster.pane(services)
        return admin_contacts.pane(services, start_grid)

    admin_contacts.register(app, services)
    admin_notices.register(app, services)
    admin_audit.register(app, services)
    admin_roster.register(app, services)
