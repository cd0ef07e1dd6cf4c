"""The notices' history pane (and, preset to dead ones, the dead letters): filters, the table, paging, requeue."""
from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.i18n import t
from dashboard.notify.history import STATUSES
from layouts import ids
from layouts.admin.history import local, page_store, pager, period_picker

PAGE_ROWS = 50


def pane(lang: str, dead: bool) -> html.Div:
    return html.Div([
        dcc.Store(id=ids.ADMIN_N_PAGE, data=page_store()), dcc.Store(id=ids.ADMIN_N_NEXT),
        dcc.Store(id=ids.ADMIN_N_REFRESH, data=0),
        html.Div([
            dcc.Dropdown(id=ids.ADMIN_N_STATUS, options=[{"label": t(f"admin.status.{s}", lang), "value": s}
                                                         for s in STATUSES],
                         value="dead" if dead else None, placeholder=t("admin.status", lang),
                         className="filter admin-filter"),
            period_picker(ids.ADMIN_N_PERIOD, lang, "all" if dead else "7d"),
            html.Span(id=ids.ADMIN_DEAD_COUNT, className="admin-warn"),
            html.Button(t("admin.requeue_all", lang), id=ids.ADMIN_REQUEUE_ALL, className="assign-button",
                        disabled=True),
            html.Button(t("admin.reload", lang), id=ids.ADMIN_N_RELOAD, className="go-button"),
            pager(ids.ADMIN_N_NEWER, ids.ADMIN_N_OLDER, ids.ADMIN_N_PAGE_NO, lang),
        ], className="admin-bar"),
        html.Div(id=ids.ADMIN_N_MSG, className="admin-message", role="status"),
        html.Div(id=ids.ADMIN_N_TABLE, className="admin-table-box"),
    ], className="admin-notices")


def masked(phone: str | None) -> str:
    """A phone as the screen shows it: the first three and last four digits (13812345678 → 138****5678)."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:2] + "*" * (len(phone) - 2)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def _recipients(people: list[dict[str, Any]]) -> str:
    return "、".join(f"{p['name']} {masked(p['phone'])}".strip() for p in people)


def _row(item: dict[str, Any], grids: dict[str, str], lang: str, tz: str) -> html.Tr:
    status = item["status"]
    grid = item["grid_id"] or ""
    action = html.Button(t("admin.requeue", lang), id={"type": ids.REQUEUE, "id": item["id"]},
                         className="go-button requeue-button") if status == "dead" else None
    return html.Tr([
        html.Td(local(item["queued_at"], tz), className="nowrap"),
        html.Td(t(f"admin.event.{item['event']}", lang), title=item["text"]),
        html.Td(f"{grids.get(grid, '')} {grid}".strip(), className="nowrap"),
        html.Td(_recipients(item["recipients"]), className="admin-recipients"),
        html.Td(item["channel"]),
        html.Td(t(f"admin.status.{status}", lang), className=f"notice-{status}"),
        html.Td(str(item["attempts"]), className="num"),
        html.Td((item["last_error"] or "")[:120], title=item["last_error"] or "", className="admin-error"),
        html.Td(action),
    ], className=f"notice-row row-{status}", **{"data-id": str(item["id"])})


def table(items: list[dict[str, Any]], grids: dict[str, str], lang: str, tz: str) -> html.Table | html.P:
    if not items:
        return html.P(t("admin.none", lang), className="admin-note")
    heads = ("at", "event", "grid", "recipients", "channel", "status", "tries", "error")
    return html.Table([html.Thead(html.Tr([html.Th(t(f"admin.col.{h}", lang)) for h in heads] + [html.Th("")])),
                       html.Tbody([_row(i, grids, lang, tz) for i in items])], className="admin-table")
