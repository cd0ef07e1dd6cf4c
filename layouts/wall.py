"""The wall screen (大屏): header, live map, KPI tiles, seats and queues."""
from __future__ import annotations

from dash import dcc, html
from dash_socketio import DashSocketIO
from flask import session

from dashboard.i18n import t, table
from layouts import ids
from layouts.map_figure import base_figure

KPI_TILES = ("open", "received", "overdue", "customers_out", "crews_available", "crews_busy", "on_time",
             "service_level")


def _panel(title: str, body, class_name: str = "") -> html.Section:
    return html.Section([html.H2(title, className="panel-title"), html.Div(body, className="panel-body")],
                        className=f"panel {class_name}".strip())


def layout(services) -> html.Div:
    lang = session.get("lang", "zh")
    kpis = [html.Div([html.Div("–", className="kpi-value", id=f"kpi-{k}"),
                      html.Div(t(f"wall.kpi.{k}", lang), className="kpi-label")], className="kpi")
            for k in KPI_TILES]
    return html.Div([
        DashSocketIO(id=ids.SOCKET, url="/live", eventNames=["hello", "update"]),
        dcc.Store(id=ids.META, data={"seq": None, "rev": 0}),
        dcc.Store(id=ids.I18N, data=table(lang)),
        dcc.Interval(id=ids.TICK, interval=1000),
        html.Header([
            html.H1(services.config.center_name if lang == "zh" else t("wall.title", lang), className="title"),
            html.Div(id=ids.LINK, className="link link-connecting", children=t("wall.connecting", lang)),
            html.Div(id=ids.CLOCK, className="clock",
                     **{"data-tz": services.config.timezone, "data-lang": lang}),
        ], className="wall-header"),
        html.Main([
            _panel(t("wall.map", lang), [
                dcc.Graph(id=ids.MAP, figure=base_figure(services.catalog.feature_collection),
                          config={"displayModeBar": False, "scrollZoom": True}, className="map-graph"),
                html.Div(id=ids.MAP_STAMP, className="stamp"),
            ], "map-panel"),
            html.Div([
                _panel("KPI", html.Div(kpis, id=ids.KPIS, className="kpi-grid"), "kpi-panel"),
                _panel(t("wall.seats", lang), [html.Div(id=ids.SEATS, className="seat-counts"),
                                              html.Div(id=ids.QUEUES, className="queues")], "seat-panel"),
            ], className="side"),
        ], className="wall-main"),
    ], className=f"wall lang-{lang}")
