"""The audit pane: who did what, newest first, filtered by who, action and period (read only)."""
from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids
from layouts.admin.history import local, page_store, pager, period_picker

PAGE_ROWS = 100


def pane(lang: str) -> html.Div:
    return html.Div([
        dcc.Store(id=ids.ADMIN_A_PAGE, data=page_store()), dcc.Store(id=ids.ADMIN_A_NEXT),
        html.Div([
            dcc.Input(id=ids.ADMIN_A_ACTOR, type="search", debounce=True, maxLength=64,
                      placeholder=t("admin.actor_filter", lang), className="filter-search admin-search"),
            dcc.Input(id=ids.ADMIN_A_ACTION, type="search", debounce=True, maxLength=32,
                      placeholder=t("admin.action_filter", lang), className="filter-search admin-search"),
            period_picker(ids.ADMIN_A_PERIOD, lang, "7d"),
            pager(ids.ADMIN_A_NEWER, ids.ADMIN_A_OLDER, ids.ADMIN_A_PAGE_NO, lang),
        ], className="admin-bar"),
        html.Div(id=ids.ADMIN_A_TABLE, className="admin-table-box"),
    ], className="admin-audit")


def _details(details: dict | None) -> str:
    return "; ".join(f"{k}={v}" for k, v in sorted((details or {}).items()))[:200]


def table(items: list[dict[str, Any]], lang: str, tz: str) -> html.Table | html.P:
    if not items:
        return html.P(t("admin.none", lang), className="admin-note")
    heads = ("at", "actor", "role", "action", "object", "details")
    return html.Table([
        html.Thead(html.Tr([html.Th(t(f"admin.col.{h}", lang)) for h in heads])),
        html.Tbody([html.Tr([html.Td(local(e["at"], tz), className="nowrap"), html.Td(e["actor"]), html.Td(e["role"]),
                             html.Td(e["action"]), html.Td(f"{e['object']} {e['object_id'] or ''}".strip()),
                             html.Td(_details(e["details"]), className="admin-error")]) for e in items]),
    ], className="admin-table")
