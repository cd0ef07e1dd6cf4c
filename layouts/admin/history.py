"""What the admin page's history panes share: the period choices, a pager, times in the center's zone."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dash import dcc, html

from dashboard.i18n import t

PERIODS = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30),
           "all": None}


def since(period: object, now: datetime) -> datetime | None:
    """The start of the chosen period (None: from the beginning); an unknown choice is the whole history."""
    span = PERIODS.get(period) if isinstance(period, str) else None
    return now - span if span else None


def period_picker(id_: str, lang: str, value: str) -> dcc.Dropdown:
    return dcc.Dropdown(id=id_, options=[{"label": t(f"admin.period.{k}", lang), "value": k} for k in PERIODS],
                        value=value, clearable=False, className="filter admin-filter")


def pager(newer: str, older: str, page_no: str, lang: str) -> html.Div:
    return html.Div([html.Button(t("admin.newer", lang), id=newer, className="go-button", disabled=True),
                     html.Span(id=page_no, className="admin-note"),
                     html.Button(t("admin.older", lang), id=older, className="go-button", disabled=True)],
                    className="admin-pager")


def local(value: str | None, tz: str) -> str:
    """An ISO time as the center reads it: MM-DD HH:MM:SS in its zone."""
    if not value:
        return "–"
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).strftime("%m-%d %H:%M:%S")


def page_store(cursors: list | None = None, n: int = 0) -> dict:
    """A pane's paging state: the cursor that opened each page so far (None: the newest), and a counter so that
    every change reaches the list even when the cursors are the same."""
    return {"cursors": cursors or [None], "n": n}
