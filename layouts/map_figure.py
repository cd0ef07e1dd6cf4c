"""The base map figure: offline MapLibre style (no tiles, glyphs or sprites) and the service grids."""
from __future__ import annotations

import plotly.graph_objects as go

BACKGROUND = "#061427"
# MapLibre needs at least one source, or the first update fails with "Map error"; this one is empty.
OFFLINE_STYLE = {
    "version": 8,
    "sources": {"empty": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}},
    "layers": [{"id": "background", "type": "background", "paint": {"background-color": BACKGROUND}}],
}
# Trace order is fixed; the browser code fills traces by index.
TRACE_GRIDS, TRACE_OUTAGES_PLANNED, TRACE_OUTAGES_UNPLANNED, TRACE_ORDERS, TRACE_CREWS = range(5)


def base_figure(grids: dict, centre: tuple[float, float] = (116.45, 40.22), zoom: float = 8.1) -> go.Figure:
    ids = [f["properties"]["id"] for f in grids["features"]]
    names = [f"{f['properties']['district']} · {f['properties']['name']}" for f in grids["features"]]
    fig = go.Figure()
    fig.add_trace(go.Choroplethmap(
        geojson=grids, locations=ids, z=[0] * len(ids), featureidkey="properties.id", text=names,
        colorscale=[[0, "#0d2747"], [0.5, "#1d5a8c"], [1, "#3fa9f5"]], zmin=0, zmax=10, showscale=False,
        marker={"line": {"color": "#2a6fb0", "width": 0.6}, "opacity": 0.85},
        hovertemplate="%{text}<extra></extra>", name="grids"))
    for name, colour in (("planned", "rgba(255,176,32,0.55)"), ("unplanned", "rgba(255,64,64,0.6)")):
        fig.add_trace(go.Choroplethmap(
            geojson={"type": "FeatureCollection", "features": []}, locations=[], z=[], featureidkey="id",
            colorscale=[[0, colour], [1, colour]], showscale=False, marker={"line": {"color": colour, "width": 2}},
            hovertemplate="%{text}<extra></extra>", name=f"outage-{name}"))
    for name in ("orders", "crews"):
        fig.add_trace(go.Scattermap(lon=[], lat=[], mode="markers", name=name, text=[], customdata=[],
                                    hovertemplate="%{text}<extra></extra>",
                                    marker={"size": 9 if name == "orders" else 11, "color": []}))
    fig.update_layout(
        map={"style": OFFLINE_STYLE, "center": {"lon": centre[0], "lat": centre[1]}, "zoom": zoom},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND,
        showlegend=False, uirevision="wall", hoverlabel={"font": {"size": 16}},
        font={"family": "WenQuanYi Micro Hei, Microsoft YaHei, sans-serif", "color": "#d8e6ff"})
    return fig
