"""Wall callbacks: all client-side (assets/wall_live.js), so live updates never round-trip to the server."""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State

from layouts import ids
from layouts.wall import KPI_TILES


def _fn(name: str) -> ClientsideFunction:
    return ClientsideFunction(namespace="gridcmd", function_name=name)


def register(app, services) -> None:
    app.clientside_callback(_fn("onUpdate"), Output(ids.META, "data"), Input(ids.SOCKET, "data-update"),
                            prevent_initial_call=True)
    app.clientside_callback(_fn("onHello"), Output(ids.META, "data", allow_duplicate=True),
                            Input(ids.SOCKET, "data-hello"), prevent_initial_call=True)
    app.clientside_callback(_fn("redrawMap"), Output(ids.MAP, "figure"), Output(ids.MAP_STAMP, "children"),
                            Input(ids.TICK, "n_intervals"), State(ids.MAP, "figure"), State(ids.I18N, "data"))
    app.clientside_callback(_fn("kpiValues"), [Output(f"kpi-{k}", "children") for k in KPI_TILES],
                            Input(ids.META, "data"), Input(ids.TICK, "n_intervals"))
    app.clientside_callback(_fn("seatPanel"), Output(ids.SEATS, "children"), Input(ids.META, "data"),
                            State(ids.I18N, "data"))
    app.clientside_callback(_fn("queuePanel"), Output(ids.QUEUES, "children"), Input(ids.META, "data"),
                            Input(ids.TICK, "n_intervals"), State(ids.I18N, "data"))
    app.clientside_callback(_fn("clock"), Output(ids.CLOCK, "children"), Input(ids.TICK, "n_intervals"))
    app.clientside_callback(_fn("link"), Output(ids.LINK, "children"), Output(ids.LINK, "className"),
                            Input(ids.SOCKET, "connected"), Input(ids.TICK, "n_intervals"),
                            State(ids.I18N, "data"))
