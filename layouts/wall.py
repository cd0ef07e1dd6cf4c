"""The wall screen (大屏): one fixed 1920×1080 canvas, scaled to the screen, so every size looks the same."""
from __future__ import annotations

import json

from dash import dcc, html
from dash_socketio import DashSocketIO
from flask import session

from dashboard.i18n import t, table
from layouts import ids
from layouts.legend import legend
from layouts.map_figure import wall_figure

KPI_TILES = ("received", "open", "overdue", "avg_arrival", "on_time", "customers_out", "service_level",
             "crews_available")
MEASURES = ("open", "customers_out", "overdue")


def _panel(title, body, class_name: str, panel_id: str | None = None) -> html.Section:
    return html.Section([html.H2(title, className="panel-title"), html.Div(body, className="panel-body")],
                        className=f"panel {class_name}", **({"id": panel_id} if panel_id else {}))


def _header(services, lang: str) -> html.Header:
    title = services.config.center_name if lang == "zh" else t("wall.title", lang)
    return html.Header([
        html.Div([html.H1(title, className="title"), html.Div(t("wall.subtitle", lang), className="subtitle")],
                 className="title-block"),
        html.Div(id=ids.CLOCK, className="clock", **{"data-tz": services.config.timezone, "data-lang": lang}),
        html.Div([
            html.Div(id=ids.LINK, className="link link-connecting", children=t("wall.connecting", lang)),
            html.Button(t("wall.sound", lang), id=ids.SOUND, className="header-button sound-off", n_clicks=0),
            html.A(t("wall.lang", lang), href=f"/lang/{'en' if lang == 'zh' else 'zh'}?next=/",
                   className="header-button lang-switch"),
        ], className="header-right"),
    ], className="wall-header")


def _map_panel(services, lang: str) -> html.Section:
    title = html.Div([
        html.Span(t("wall.map", lang)),
        html.Span(t("wall.measure", lang), className="measure-label"),
        dcc.RadioItems(id=ids.MEASURE, value="open", inline=True, className="measure",
                       options=[{"label": t(f"wall.measure.{m}", lang), "value": m} for m in MEASURES]),
    ], className="map-title")
    return _panel(title, [
        dcc.Graph(id=ids.MAP, figure=wall_figure(services.catalog),
                  config={"displayModeBar": False, "scrollZoom": True, "doubleClick": "reset"},
                  className="map-graph", responsive=True),
        legend(lang, services.config.escalation_levels),
        html.Div(id=ids.MAP_STAMP, className="stamp"),
    ], "map-panel", "panel-map")


def layout(services) -> html.Div:
    lang = session.get("lang", "zh")
    kpis = [html.Div([html.Div("–", className="kpi-value", id=f"kpi-{k}"),
                      html.Div(t(f"wall.kpi.{k}", lang), className="kpi-label")], className="kpi", id=f"tile-{k}")
            for k in KPI_TILES]
    return html.Div(html.Div([
        DashSocketIO(id=ids.SOCKET, url="/live", eventNames=["hello", "update"]),
        dcc.Store(id=ids.META, data={"seq": None, "rev": 0}),
        dcc.Store(id=ids.I18N, data=table(lang)),
        dcc.Interval(id=ids.TICK, interval=1000),
        _header(services, lang),
        html.Main([
            html.Div([
                _panel(t("wall.kpis", lang), html.Div(kpis, id=ids.KPIS, className="kpi-grid"), "kpi-panel",
                       "panel-kpis"),
                _panel(t("wall.alarms", lang), html.Div(id=ids.ALARMS, className="alarms"), "alarm-panel",
                       "panel-alarms"),
            ], className="column column-left"),
            _map_panel(services, lang),
            html.Div([
                _panel(t("wall.seats", lang), html.Div(id=ids.SEATS, className="seat-groups"), "seat-panel",
                       "panel-seats"),
                _panel(t("wall.queue", lang), html.Div(id=ids.QUEUES, className="queues"), "queue-panel",
                       "panel-queues"),
            ], className="column column-right"),
        ], className="wall-main"),
    ], id=ids.CANVAS, className=f"wall lang-{lang}",
        # The browser works out escalation levels itself (they move with the clock, not with updates).
        **{"data-levels": json.dumps(list(services.config.escalation_levels))}), className="wall-viewport")
