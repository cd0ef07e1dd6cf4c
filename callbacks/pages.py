"""GridCommand's pages, each declared once: path, who may open it, title, layout and callbacks (CONTRACT §4)."""
from __future__ import annotations

import callbacks.admin
import callbacks.console
import callbacks.executive
import callbacks.wall
import layouts.admin.page
import layouts.console.page
import layouts.executive.page
import layouts.wall
from dashboard.domain import Role
from dashboard.web.pages import Page, PageTable

PEOPLE = frozenset({Role.viewer, Role.dispatcher, Role.executive, Role.admin})
DISPATCH = frozenset({Role.dispatcher, Role.admin})
EXECUTIVES = frozenset({Role.executive, Role.admin})
ADMIN = frozenset({Role.admin})


def pages() -> PageTable:
    return PageTable((
        Page("/wall", PEOPLE, "nav.wall", layouts.wall.layout, callbacks.wall.register,
             home_of=frozenset({Role.viewer}),
             prefetch={"snapshot": layouts.wall.SNAPSHOT_URL, "grids": True, "plotly": True}),
        Page("/console", DISPATCH, "nav.console", layouts.console.page.layout, callbacks.console.register,
             home_of=DISPATCH,
             prefetch={"snapshot": layouts.console.page.SNAPSHOT_URL, "grids": True, "plotly": True}),
        Page("/executive", EXECUTIVES, "nav.executive", layouts.executive.page.layout, callbacks.executive.register,
             home_of=frozenset({Role.executive}),
             prefetch={"snapshot": layouts.executive.page.SNAPSHOT_URL, "grids": False, "plotly": True}),
        Page("/admin", ADMIN, "nav.admin", layouts.admin.page.layout, callbacks.admin.register),
    ))
