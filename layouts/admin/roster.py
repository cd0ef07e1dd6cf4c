"""The duty-roster pane (值班): the shifts of today and the next days, and an import by pasting CSV text."""
from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids
from layouts.admin.history import local

EXAMPLE = ("day,shift,start,end,role,person,team,phone\n"
           "2026-11-20,day,2026-11-20T08:00:00+08:00,2026-11-20T20:00:00+08:00,duty_chief,王建国,,13800138000")


def pane(lang: str, shifts: list[dict[str, Any]], tz: str) -> html.Div:
    return html.Div([
        html.P(t("admin.roster_help", lang), className="admin-note"),
        dcc.Textarea(id=ids.ADMIN_ROSTER_CSV, value="", placeholder=EXAMPLE, className="admin-roster-csv",
                     style={"width": "100%", "height": "140px"}),
        html.Div(html.Button(t("admin.roster_import", lang), id=ids.ADMIN_ROSTER_IMPORT, className="assign-button"),
                 className="admin-actions"),
        html.Div(id=ids.ADMIN_ROSTER_MSG, className="admin-message", role="status"),
        html.Div(table(shifts, lang, tz), id=ids.ADMIN_ROSTER_TABLE, className="admin-table-box"),
    ], className="admin-roster")


def table(shifts: list[dict[str, Any]], lang: str, tz: str) -> html.Table | html.P:
    if not shifts:
        return html.P(t("admin.roster_none", lang), className="admin-note")
    heads = ("day", "shift", "start", "end", "role", "person", "team")
    return html.Table([
        html.Thead(html.Tr([html.Th(t(f"admin.roster.{h}", lang)) for h in heads])),
        html.Tbody([html.Tr([html.Td(s["day"], className="nowrap"), html.Td(s["shift"]),
                             html.Td(local(s["start"], tz), className="nowrap"),
                             html.Td(local(s["end"], tz), className="nowrap"),
                             html.Td(t(f"admin.role.{s['role']}", lang)), html.Td(s["person"]),
                             html.Td(s["team"] or "")]) for s in shifts]),
    ], className="admin-table")
