"""The executive page's layout: header, the KPI tiles, today's curves, the district ranking, the grid map, the
reliability panel, staffing and duty, reports. One CSS grid that reflows from 1920 down to 1024 wide."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from dash import dcc, html

from dashboard.i18n import t
from dashboard.services.executive import PERIOD_DAYS
from dashboard.services.roster import on_duty
from layouts import ids, reports_panel
from layouts.executive import charts, tiles
from layouts.live import live_components, page_config
from layouts.nav import lang_switch, nav, title_block
from layouts.page_context import PageContext

# The live state needs only the KPIs: the snapshot's orders are asked for by id alone (a storm's 10,000 in full
# would cost the server a second and the page megabytes it never draws).
SNAPSHOT_URL = "/api/v1/snapshot?order_fields=id"
SLOW_REFRESH_MS = 5 * 60 * 1000  # the period parts: on a period change, and this often
RELIABILITY_DAYS = 365  # the reliability panel's default period: the last 12 months, today included


def _panel(title, body, panel_id: str, wide: bool = False, extra=None) -> html.Section:
    head = html.Div([html.H2(title, className="exec-panel-title"), *(extra or [])], className="exec-panel-head")
    return html.Section([head, html.Div(body, className="exec-panel-body")],
                        className="exec-panel" + (" exec-wide" if wide else ""), id=panel_id)


def _header(ctx: PageContext) -> html.Header:
    lang = ctx.lang
    return html.Header([
        title_block(ctx, "nav.executive", "exec-"),
        html.Div(id=ids.CLOCK, className="exec-clock"),
        html.Div([html.Div(id=ids.LINK, className="link link-connecting", children=t("wall.connecting", lang)),
                  nav(ctx), lang_switch(ctx)], className="exec-header-right"),
    ], className="exec-header")


def _graph(graph_id: str, figure: dict | None = None, height: int = 240) -> dcc.Graph:
    return dcc.Graph(id=graph_id, figure=figure or {"data": [], "layout": {"paper_bgcolor": "rgba(0,0,0,0)",
                                                                          "plot_bgcolor": "rgba(0,0,0,0)"}},
                     config={"displayModeBar": False, "responsive": True}, style={"height": f"{height}px"},
                     className="exec-graph")


def layout(ctx: PageContext) -> html.Div:
    lang, services = ctx.lang, ctx.services
    tz = services.config.timezone
    now = services.clock()
    today = now.astimezone(ZoneInfo(tz)).date()
    arrival = dict(services.config.arrival_limits_min)
    config = page_config(ctx, snapshot_url=SNAPSHOT_URL, tiles=tiles.config(lang, arrival))
    with services.db.read() as session:
        duty = on_duty(session, now, phones=False)
    period = ctx.query.get("period") if ctx.query.get("period") in PERIOD_DAYS else "today"
    periods = dcc.RadioItems(id=ids.EXEC_PERIOD, value=period, inline=True, className="exec-periods",
                             options=[{"label": t(f"exec.period.{p}", lang), "value": p} for p in PERIOD_DAYS])
    measures = dcc.Dropdown(id=ids.EXEC_MEASURE, value="on_time_arrival_rate", clearable=False, searchable=False,
                            className="exec-measure",
                            options=[{"label": t(f"exec.col.{m}", lang), "value": m} for m in charts.MEASURES])
    reliability_range = dcc.DatePickerRange(
        id=ids.EXEC_REL_RANGE, start_date=(today - timedelta(days=RELIABILITY_DAYS - 1)).isoformat(),
        end_date=today.isoformat(), max_date_allowed=today.isoformat(), display_format="YYYY-MM-DD",
        minimum_nights=0, className="exec-range")
    districts = dcc.Dropdown(id=ids.EXEC_REL_DISTRICT, value=None, placeholder=t("exec.all_districts", lang),
                             className="exec-district", searchable=False,
                             options=[{"label": d, "value": d} for d in services.catalog.districts()])
    values = tiles.rule_values(services.config)
    tile_row = html.Div([tiles.tile(x, lang, values) for x in tiles.TILES], id=ids.EXEC_TILES, className="exec-tiles")
    return html.Div([
        *live_components(config),
        dcc.Store(id=ids.EXEC_TODAY), dcc.Store(id=ids.EXEC_FIGURES), dcc.Store(id=ids.EXEC_RELIABILITY),
        dcc.Store(id=ids.EXEC_KEPT, data=0), dcc.Store(id=ids.EXEC_ROSTERED),
        dcc.Interval(id=ids.EXEC_SLOW, interval=SLOW_REFRESH_MS),
        _header(ctx),
        html.Main([
            html.Div([html.Span(t("exec.tiles_note", lang), className="exec-note"),
                      html.Span(id=ids.EXEC_STAMP, className="exec-note exec-stamp")], className="exec-tiles-head"),
            tile_row,
            html.Div([
                _panel(t("exec.curves.received", lang), _graph(ids.EXEC_CURVES), "exec-panel-curves"),
                _panel(t("exec.curves.calls", lang), [_graph(ids.EXEC_CALLS)], "exec-panel-calls"),
                _panel(t("exec.staffing", lang), [html.Div(id=ids.EXEC_STAFFING, className="exec-staffing"),
                                                  html.Div(id=ids.EXEC_DUTY, className="exec-duty")],
                       "exec-panel-staffing"),
                reports_panel.panel(lang, today, duty),
                _panel(t("exec.ranking", lang), html.Div(id=ids.EXEC_RANKING, className="exec-table-box"),
                       "exec-panel-ranking", wide=True, extra=[periods]),
                _panel(t("exec.map", lang), [
                    dcc.Graph(id=ids.EXEC_MAP, figure=charts.cached_map_figure(services.catalog),
                              config={"displayModeBar": False, "scrollZoom": True, "responsive": True},
                              style={"height": "360px"}, className="exec-graph")],
                       "exec-panel-map", wide=True, extra=[measures]),
                _panel(t("exec.reliability", lang), [
                    html.Div([html.Div(reliability_range, className="exec-range-box"), districts], className="exec-rel-bar"),
                    html.Div([html.Div(id=ids.EXEC_REL_TABLE, className="exec-rel-figures"),
                              _graph(ids.EXEC_REL_CHART, height=260)], className="exec-rel-body"),
                    html.Div(id=ids.EXEC_STORMS)],
                       "exec-panel-reliability", wide=True),
            ], className="exec-grid"),
        ], className="exec-main"),
    ], className=f"exec lang-{lang}")
