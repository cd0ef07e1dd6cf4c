"""The executive page's charts and tables, from the figures' answers: today's hourly curves against the same
weekday last week, the district ranking, the grid choropleth, and the reliability indices with the daily SAIDI."""
from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
from dash import html

from dashboard.i18n import t
from layouts.map_figure import BACKGROUND, OFFLINE_STYLE

FONT = {"family": "WenQuanYi Micro Hei, Microsoft YaHei, sans-serif", "color": "#d8e6ff", "size": 13}
TODAY, LAST_WEEK, BAD, OK = "#4fc3f7", "#78909c", "#ff5c7a", "#69f0ae"
# The choropleth's measures: by_grid's "orders" keys, with which way is worse (a redder grid).
MEASURES = {"received": "higher", "open": "higher", "overdue": "higher", "on_time_arrival_rate": "lower",
            "avg_arrival_min": "higher", "on_time_restoration_rate": "lower", "avg_restoration_min": "higher"}
RANK_COLUMNS = ("received", "on_time_arrival_rate", "avg_arrival_min", "on_time_restoration_rate",
                "avg_restoration_min", "overdue")


def _layout(fig: go.Figure, y_title: str = "", pct: bool = False) -> go.Figure:
    fig.update_layout(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font=FONT,
                      margin={"l": 48, "r": 12, "t": 8, "b": 32}, legend={"orientation": "h", "y": 1.12, "x": 0},
                      hovermode="x unified", uirevision="exec")
    fig.update_xaxes(gridcolor="#163252", linecolor="#2a4d75", zeroline=False)
    fig.update_yaxes(gridcolor="#163252", linecolor="#2a4d75", zeroline=False, title_text=y_title, rangemode="tozero",
                     tickformat=".0%" if pct else None)
    return fig


def _hours(points: list[dict], field: str, tz: str) -> tuple[list[int], list]:
    """(local hour of day, value) of hourly series points."""
    zone = ZoneInfo(tz)
    xs = [datetime.fromisoformat(p["at"].replace("Z", "+00:00")).astimezone(zone).hour for p in points]
    return xs, [p.get(field) for p in points]


def hourly_figure(today: list[dict], last_week: list[dict], field: str, lang: str, tz: str, *,
                  pct: bool = False, bars: bool = False) -> dict:
    """One figure of today's hourly `field` (a line, or bars) against the same weekday last week (a grey line)."""
    fig = go.Figure()
    lx, ly = _hours(last_week, field, tz)
    tx, ty = _hours(today, field, tz)
    fig.add_trace(go.Scatter(x=lx, y=ly, name=t("exec.last_week", lang), mode="lines",
                             line={"color": LAST_WEEK, "width": 2, "dash": "dot"}, connectgaps=False))
    trace = go.Bar if bars else go.Scatter
    style = {"marker": {"color": TODAY}} if bars else {"mode": "lines+markers", "line": {"color": TODAY, "width": 3}}
    fig.add_trace(trace(x=tx, y=ty, name=t("exec.today", lang), **style))
    _layout(fig, pct=pct)
    fig.update_xaxes(range=[-0.5, 23.5], dtick=3, ticksuffix=t("exec.hour_suffix", lang))
    return fig.to_plotly_json()


def pct(x: float | None, places: int = 1) -> str:
    return "–" if x is None else f"{100 * x:.{places}f}%"


def num(x: float | int | None, places: int = 0) -> str:
    return "–" if x is None else f"{x:,.{places}f}"


def _cell(key: str, value, target: float) -> html.Td:
    if key.endswith("_rate") or key == "service_level":
        bad = value is not None and value < target
        return html.Td(pct(value), className="num " + ("exec-bad" if bad else ""))
    return html.Td(num(value, 1 if key.endswith("_min") else 0), className="num")


def ranking_table(by_district: list[dict], lang: str, on_time_target: float) -> html.Table | html.P:
    """The districts, best first as period_kpis ranks them."""
    if not by_district:
        return html.P(t("exec.none", lang), className="exec-note")
    heads = [html.Th(t("exec.rank", lang)), html.Th(t("exec.district", lang))] + [
        html.Th(t(f"exec.col.{c}", lang), className="num") for c in RANK_COLUMNS]
    # A district with nothing to rank by (no arrival in the period) shows no place rather than a shared first.
    rows = [html.Tr([html.Td(str(d["rank"]) if d.get("on_time_arrival_rate") is not None else "–", className="num"),
                     html.Td(d["district"])] +
                    [_cell(c, d.get(c), on_time_target) for c in RANK_COLUMNS]) for d in by_district]
    return html.Table([html.Thead(html.Tr(heads)), html.Tbody(rows)], className="exec-table")


def map_figure(grids: dict, centre: tuple[float, float] = (116.4, 40.2), zoom: float = 6.9) -> dict:
    """The grids on the offline map (no tiles, glyphs or sprites): their outlines always (a grid without a figure
    draws no colour), and above them the chosen measure's colours, filled in later (trace 1)."""
    features = grids["features"]
    ids = [f["properties"]["id"] for f in features]
    names = [escape(f"{f['properties']['district']} · {f['properties']['name']}", quote=False) for f in features]
    fig = go.Figure(go.Choroplethmap(
        geojson=grids, locations=ids, z=[0] * len(ids), featureidkey="properties.id", showscale=False,
        colorscale=[[0, "#0b2342"], [1, "#0b2342"]], marker={"line": {"color": "#2a6fb0", "width": 0.5}},
        text=names, hovertemplate="%{text}<extra></extra>", name="outlines"))
    fig.add_trace(go.Choroplethmap(
        geojson=grids, locations=ids, z=[None] * len(ids), featureidkey="properties.id", text=names,
        colorscale=[[0, "#1b5e20"], [0.5, "#fbc02d"], [1, "#d50000"]],
        marker={"line": {"color": "#2a6fb0", "width": 0.5}},
        colorbar={"thickness": 10, "len": 0.8, "tickfont": {"color": "#d8e6ff"}},
        hovertemplate="%{text}<br>%{customdata}<extra></extra>", customdata=["–"] * len(ids), name="measure"))
    fig.update_layout(map={"style": OFFLINE_STYLE, "center": {"lon": centre[0], "lat": centre[1]}, "zoom": zoom},
                      margin={"l": 0, "r": 0, "t": 0, "b": 0}, paper_bgcolor=BACKGROUND, font=FONT,
                      uirevision="exec-map")
    return fig.to_plotly_json()


# One per grid set: building the figure (Plotly validates it by deep-copying 300 KB of outlines) costs a page load
# a third of a second.
_map_figures: dict[str, dict] = {}


def cached_map_figure(catalog) -> dict:
    """map_figure of the current grid set, built once per set."""
    figure = _map_figures.get(catalog.version)
    if figure is None:
        figure = map_figure(catalog.feature_collection)
        _map_figures.clear()
        _map_figures[catalog.version] = figure
    return figure


def map_values(by_grid: list[dict], grid_ids: list[str], measure: str) -> dict:
    """The choropleth's z (worse is redder: a rate that is better higher is reversed) and hover text per grid, in
    the base figure's order; grids without a figure stay uncoloured."""
    measure = measure if measure in MEASURES else "received"
    values = {g["grid"]: g.get(measure) for g in by_grid}
    z = [values.get(g) for g in grid_ids]
    if measure.endswith("_rate"):
        text = [pct(v) for v in z]
    else:
        text = [num(v, 1 if measure.endswith("_min") else 0) for v in z]
    # A fixed range, so a period where every grid is on time reads green rather than the middle of an automatic
    # range around 100 %: rates from (at most) 80 % to 100 %, counts and minutes from 0 to the largest.
    present = [v for v in z if v is not None]
    if measure.endswith("_rate"):
        low, high = min([0.8, *present]), 1.0
    else:
        low, high = 0.0, max([*present, 1.0])
    return {"z": z, "text": text, "reverse": MEASURES[measure] == "lower", "any": bool(present),
            "zmin": low, "zmax": high}


# Said over the map when no grid has the measure in the period (an empty map would look broken).
NO_DATA = {"xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
           "font": {"size": 16, "color": "#9cc3ea"}, "bgcolor": "rgba(3,13,29,0.8)"}

INDICES = ("saifi", "saidi", "caidi", "asai", "cemi_n")


def _index(key: str, value: float | None) -> str:
    if value is None:
        return "–"
    if key == "asai":
        return f"{100 * value:.4f}%"
    if key == "cemi_n":
        return pct(value, 2)
    return f"{value:.3f}" if key == "saifi" else f"{value:.1f}"


def reliability_table(report: dict, lang: str) -> html.Div:
    """SAIFI … CEMIn with and without the major event days, the ASAI commitment, the MED threshold."""
    rows = [html.Tr([html.Td(t(f"exec.rel.{k}", lang), title=t(f"exec.def.{k}", lang)),
                     html.Td(_index(k, report["all"][k]), className="num"),
                     html.Td(_index(k, report["excluding_med"][k]), className="num")]) for k in INDICES]
    target, meets = report.get("asai_target"), report.get("meets_target")
    med = report["med"]
    verdict = ("" if meets is None else t("exec.rel.meets" if meets else "exec.rel.misses", lang))
    return html.Div([
        html.Table([html.Thead(html.Tr([html.Th(""), html.Th(t("exec.rel.all", lang), className="num"),
                                        html.Th(t("exec.rel.no_med", lang), className="num")])),
                    html.Tbody(rows)], className="exec-table exec-rel-table"),
        html.Div([html.Span(f"{t('exec.rel.target', lang)} {pct(target, 2) if target is not None else '–'} "),
                  html.Span(verdict, className="exec-good" if meets else "exec-bad")], className="exec-note"),
        html.Div(t("exec.rel.meds", lang).format(
            n=len(med["days"]), threshold="–" if med["threshold_min"] is None else f"{med['threshold_min']:.1f}",
            customers=f"{report['customers_served']:,}"), className="exec-note"),
    ])


def reliability_chart(report: dict, lang: str) -> dict:
    """The period's daily SAIDI as bars, the major event days in red, and the MED threshold as a line."""
    meds = {d["date"] for d in report["med"]["days"]}
    daily = report.get("daily", [])
    normal = [d for d in daily if d["date"] not in meds]
    marked = [d for d in daily if d["date"] in meds]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=[d["date"] for d in normal], y=[d["saidi"] for d in normal],
                         name=t("exec.rel.day", lang), marker={"color": TODAY}))
    fig.add_trace(go.Bar(x=[d["date"] for d in marked], y=[d["saidi"] for d in marked],
                         name=t("exec.rel.med_day", lang), marker={"color": BAD}))
    threshold = report["med"]["threshold_min"]
    if threshold is not None:
        fig.add_hline(y=threshold, line={"color": "#ffb300", "dash": "dash", "width": 1.5},
                      annotation_text=f"T_MED {threshold:.1f}", annotation_font_color="#ffb300")
    _layout(fig, t("exec.rel.saidi_min", lang))
    fig.update_layout(barmode="overlay", bargap=0.1)
    fig.update_xaxes(type="date", range=[report["from"], report["to"]])
    return fig.to_plotly_json()


STORM_COLUMNS = ("received", "calls_offered", "service_level", "on_time_arrival_rate", "avg_arrival_min", "outages",
                 "customer_interruptions")


def storm_table(rows: list[dict], saidi: dict[str, float], lang: str, targets: dict[str, float]) -> html.Div:
    """Today so far beside the latest major event days: one row a day, SAIDI from the reliability answer; a rate
    below its commitment (`targets`) is red."""
    if len(rows) < 2:
        return html.Div(html.P(t("exec.storms.none", lang), className="exec-note"), className="exec-storms")
    heads = [html.Th(t("exec.storms.day", lang))] + [html.Th(t(f"exec.storms.{c}", lang), className="num")
                                                     for c in STORM_COLUMNS] + [html.Th("SAIDI", className="num")]
    body = [html.Tr([html.Td(t("exec.storms.today", lang) if r["today"] else r["date"])]
                    + [_cell(c, r.get(c), targets.get(c, 0.0))
                       for c in STORM_COLUMNS]
                    + [html.Td(num(saidi.get(r["date"]), 1), className="num")],
                    className="exec-storm-today" if r["today"] else None) for r in rows]
    return html.Div([html.H3(t("exec.storms", lang), className="exec-subhead"),
                     html.Table([html.Thead(html.Tr(heads)), html.Tbody(body)], className="exec-table")],
                    className="exec-storms")
