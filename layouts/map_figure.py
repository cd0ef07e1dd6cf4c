"""The base map figure: offline MapLibre style (no tiles, glyphs or sprites), the grids and the empty live traces
that the browser fills (assets/wall_2_map.js). The wall's copy leaves the grid outlines out: the browser fetches
them from /api/v1/grids (cached by its ETag) while the page loads."""
from __future__ import annotations

from html import escape

import plotly.graph_objects as go
from shapely.geometry import shape

from layouts.palette import OUTAGE_COLOURS, OUTAGE_LINES, palette

BACKGROUND = "#061427"
# MapLibre needs at least one source, or the first update fails with "Map error"; this one is empty.
OFFLINE_STYLE = {
    "version": 8,
    "sources": {"empty": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}},
    "layers": [{"id": "background", "type": "background", "paint": {"background-color": BACKGROUND}}],
}
# Trace order is fixed (drawn bottom to top); the browser addresses traces by these names.
TRACES = ("grids", "outage-planned", "outage-predicted", "outage-unplanned", "devices", "crew-links", "clusters", "order-warn", "orders",
          "crew-rings", "crews", "selected")


def _points(name: str, size: int, colour: str | None = None, opacity: float = 1.0) -> go.Scattermap:
    return go.Scattermap(lon=[], lat=[], mode="markers", name=name, text=[], customdata=[],
                         hovertemplate="%{text}<extra></extra>", hoverinfo="text" if name != "crew-rings" else "skip",
                         marker={"size": size, "color": colour or [], "opacity": opacity})


def base_figure(grids: dict, centre: tuple[float, float] = (116.3, 40.16), zoom: float = 8.1, *,
                with_outlines: bool = True) -> go.Figure:
    features = grids["features"]
    ids = [f["properties"]["id"] for f in features]
    names = [f"{f['properties']['district']} · {f['properties']['name']}" for f in features]
    points = {}
    for f in features:
        p = shape(f["geometry"]).representative_point()
        points[f["properties"]["id"]] = [round(p.x, 5), round(p.y, 5)]
    fig = go.Figure()
    fig.add_trace(go.Choroplethmap(
        geojson=grids if with_outlines else {"type": "FeatureCollection", "features": []}, locations=ids, z=[0] * len(ids), featureidkey="properties.id",
        text=[escape(n, quote=False) for n in names],  # imported names: shown as text in hover labels, not markup
        colorscale=[[0, "#0b2342"], [0.35, "#15497a"], [0.7, "#2f7fc4"], [1, "#7fd0ff"]], zmin=0, zmax=10,
        showscale=False, marker={"line": {"color": "#2a6fb0", "width": 0.6}, "opacity": 0.9},
        hovertemplate="%{text}<extra></extra>", name="grids"))
    for kind in ("planned", "predicted", "unplanned"):
        colour = OUTAGE_COLOURS[kind]
        fig.add_trace(go.Choroplethmap(
            geojson={"type": "FeatureCollection", "features": []}, locations=[], z=[], featureidkey="id",
            colorscale=[[0, colour], [1, colour]], showscale=False,
            marker={"line": {"color": OUTAGE_LINES[kind], "width": 1.5 if kind == "predicted" else 2.5}},
            hovertemplate="%{text}<extra></extra>", name=f"outage-{kind}"))
    fig.add_trace(_points("devices", 16))  # the device each outage is at: the failure 研判 found
    fig.add_trace(go.Scattermap(lon=[], lat=[], mode="lines", name="crew-links", hoverinfo="skip",
                                line={"color": "#9fd4ff", "width": 1.5}, opacity=0.8))
    fig.add_trace(_points("clusters", 10, None, 0.75))
    fig.add_trace(_points("order-warn", 17))
    fig.add_trace(_points("orders", 9))
    fig.add_trace(_points("crew-rings", 17, "#ffffff"))
    fig.add_trace(_points("crews", 12))
    # The order a dispatcher has picked (the console): a large open ring above everything.
    fig.add_trace(go.Scattermap(lon=[], lat=[], mode="markers", name="selected", text=[], customdata=[],
                                hovertemplate="%{text}<extra></extra>",
                                marker={"size": 30, "color": "rgba(255,255,255,0.25)"}))
    fig.update_layout(
        map={"style": OFFLINE_STYLE, "center": {"lon": centre[0], "lat": centre[1]}, "zoom": zoom},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND,
        showlegend=False, uirevision="wall", hoverlabel={"font": {"size": 18}},
        font={"family": "WenQuanYi Micro Hei, Microsoft YaHei, sans-serif", "color": "#d8e6ff"},
        meta={"traces": list(TRACES), "palette": palette(), "grid_points": points,
              "grid_names": dict(zip(ids, names))})
    return fig


# One per grid set: Plotly validates a figure by deep-copying it, a quarter of a second on every page load.
_wall_figures: dict[str, dict] = {}


def wall_figure(catalog) -> dict:
    """The wall's base figure for the current grid set, as plain JSON-ready data, without the outlines."""
    figure = _wall_figures.get(catalog.version)
    if figure is None:
        figure = base_figure(catalog.feature_collection, with_outlines=False).to_plotly_json()
        figure["layout"]["meta"]["grids_version"] = catalog.version
        _wall_figures.clear()
        _wall_figures[catalog.version] = figure
    return figure
