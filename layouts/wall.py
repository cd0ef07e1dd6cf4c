"""The wall screen (大屏): one fixed 1920×1080 canvas, scaled to the screen, so every size looks the same."""
from __future__ import annotations

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids
from layouts.legend import legend
from layouts.live import live_components, page_config
from layouts.map_figure import wall_figure
from layouts.nav import lang_switch, nav
from layouts.page_context import PageContext
from layouts.replay import PICK, banner, find, missing, picker

KPI_TILES = ("received", "open", "overdue", "avg_arrival", "on_time", "customers_out", "service_level",
             "crews_available", "screening", "calls_per_outage")
TICKET_TILE = "kpi-tickets"
MEASURES = ("open", "customers_out", "overdue")
# The work-order fields the wall draws from: half the snapshot's bytes and server time in a storm.
WALL_ORDER_FIELDS = ("id", "status", "version", "grid_id", "lon", "lat", "address", "sensitive", "report_count",
                     "reported_at", "due_at", "level", "overdue")
SNAPSHOT_URL = "/api/v1/snapshot?order_fields=" + ",".join(WALL_ORDER_FIELDS)


def _panel(title, body, class_name: str, panel_id: str | None = None) -> html.Section:
    return html.Section([html.H2(title, className="panel-title"), html.Div(body, className="panel-body")],
                        className=f"panel {class_name}", **({"id": panel_id} if panel_id else {}))


def _header(ctx: PageContext) -> html.Header:
    lang = ctx.lang
    title = ctx.services.config.center_name if lang == "zh" else t("wall.title", lang)
    kiosk = ctx.query.get("kiosk") == "1"  # a screen nobody touches: no navigation
    return html.Header([
        html.Div([html.H1(title, className="title"),
                  html.Div([html.Div(t("wall.subtitle", lang), className="subtitle"),
                            html.Div("", id=ids.DUTY, className="duty")], className="title-sub")],
                 className="title-block"),
        html.Div(id=ids.CLOCK, className="clock"),
        html.Div([
            *([] if kiosk else [html.A(t("replay.picker", lang), href=f"/wall?replay={PICK}",
                                       className="header-button replay-link")]),
            html.Div(id=ids.LINK, className="link link-connecting", children=t("wall.connecting", lang)),
            *([] if kiosk else [nav(ctx)]),
            html.Button(t("wall.sound", lang), id=ids.SOUND, className="header-button sound-off", n_clicks=0),
            lang_switch(ctx),
        ], className="header-right"),
    ], className="wall-header")


def _map_panel(ctx: PageContext) -> html.Section:
    lang = ctx.lang
    title = html.Div([
        html.Span(t("wall.map", lang)),
        html.Span(t("wall.measure", lang), className="measure-label"),
        dcc.RadioItems(id=ids.MEASURE, value="open", inline=True, className="measure",
                       options=[{"label": t(f"wall.measure.{m}", lang), "value": m} for m in MEASURES]),
    ], className="map-title")
    return _panel(title, [
        dcc.Graph(id=ids.MAP, figure=wall_figure(ctx.services.catalog),
                  config={"displayModeBar": False, "scrollZoom": True, "doubleClick": "reset"},
                  className="map-graph", responsive=True),
        legend(lang, ctx.services.limits.thresholds),
        html.Div(id=ids.MAP_STAMP, className="stamp"),
    ], "map-panel", "panel-map")


def layout(ctx: PageContext) -> html.Div:
    """The live wall; with ?replay=<id> the same wall fed by that replay (docs/replay.md), ?replay=pick the picker."""
    lang = ctx.lang
    replay_id = ctx.query.get("replay")
    if replay_id == PICK:
        return picker(ctx)
    replay = find(ctx, replay_id) if replay_id else None
    if replay_id and replay is None:
        return missing(ctx)
    source = {"snapshot_url": SNAPSHOT_URL}
    if replay is not None:
        fields = ",".join(WALL_ORDER_FIELDS)
        source = {"snapshot_url": f"/api/v1/replays/{replay['id']}/snapshot?order_fields={fields}",
                  "updates_url": f"/api/v1/replays/{replay['id']}/updates", "replay": replay}
    config = page_config(ctx, map_id=ids.MAP, kiosk=ctx.query.get("kiosk") == "1", **source)
    kpis = [html.Div([html.Div("–", className="kpi-value", id=f"kpi-{k}"),
                      html.Div(t(f"wall.kpi.{k}", lang), className="kpi-label")], className="kpi", id=f"tile-{k}")
            for k in KPI_TILES]
    # Service tickets still open, by 催办 level (0 first): one tile across the grid, drawn by assets/wall/tickets.js.
    kpis.append(html.Div([html.Div("–", className="kpi-value ticket-levels", id=TICKET_TILE),
                          html.Div(t("wall.kpi.tickets", lang), className="kpi-label")], className="kpi kpi-wide",
                         id="tile-tickets"))
    return html.Div(html.Div([
        *live_components(config), dcc.Store(id=ids.WALL_STARTED),
        banner(ctx, replay),
        _header(ctx),
        html.Main([
            html.Div([
                _panel(t("wall.kpis", lang), html.Div(kpis, id=ids.KPIS, className="kpi-grid"), "kpi-panel",
                       "panel-kpis"),
                _panel(t("wall.alarms", lang), html.Div(id=ids.ALARMS, className="alarms"), "alarm-panel",
                       "panel-alarms"),
            ], className="column column-left"),
            _map_panel(ctx),
            html.Div([
                _panel(t("wall.seats", lang), html.Div(id=ids.SEATS, className="seat-groups"), "seat-panel",
                       "panel-seats"),
                _panel(t("wall.queue", lang), html.Div(id=ids.QUEUES, className="queues"), "queue-panel",
                       "panel-queues"),
                _panel(t("wall.upcoming", lang), html.Div(id=ids.UPCOMING, className="upcoming"), "upcoming-panel",
                       "panel-upcoming"),
            ], className="column column-right"),
        ], className="wall-main"),
    ], id=ids.CANVAS, className=f"wall lang-{lang}" + (" replay-mode" if replay else "")), className="wall-viewport")
