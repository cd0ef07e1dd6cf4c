"""Wall callbacks: all client-side (assets/wall_*.js), so live updates never round-trip to the server."""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State

from layouts import ids
from layouts.wall import KPI_TILES


def _fn(name: str) -> ClientsideFunction:
    return ClientsideFunction(namespace="gridcmd", function_name=name)


def register(app, services) -> None:
    cb = app.clientside_callback
    cb(_fn("onUpdate"), Output(ids.META, "data"), Input(ids.SOCKET, "data-update"), prevent_initial_call=True)
    cb(_fn("onHello"), Output(ids.META, "data", allow_duplicate=True), Input(ids.SOCKET, "data-hello"),
       prevent_initial_call=True)
    cb(_fn("mapTick"), Output(ids.MAP_STAMP, "children"), Input(ids.TICK, "n_intervals"),
       Input(ids.MEASURE, "value"), State(ids.I18N, "data"))
    # Counters and lists follow the state once a second (and at once after a resync, via META); never per update.
    cb(_fn("kpiValues"), [Output(f"kpi-{k}", "children") for k in KPI_TILES], Input(ids.META, "data"),
       Input(ids.TICK, "n_intervals"))
    cb(_fn("seatPanel"), Output(ids.SEATS, "children"), Input(ids.META, "data"), Input(ids.TICK, "n_intervals"),
       State(ids.I18N, "data"))
    cb(_fn("queuePanel"), Output(ids.QUEUES, "children"), Input(ids.META, "data"), Input(ids.TICK, "n_intervals"),
       State(ids.I18N, "data"))
    cb(_fn("alarms"), Output(ids.ALARMS, "children"), Input(ids.TICK, "n_intervals"), State(ids.I18N, "data"))
    cb(_fn("toggleSound"), Output(ids.SOUND, "children"), Output(ids.SOUND, "className"),
       Input(ids.SOUND, "n_clicks"), State(ids.I18N, "data"))
    cb(_fn("clock"), Output(ids.CLOCK, "children"), Input(ids.TICK, "n_intervals"))
    cb(_fn("link"), Output(ids.LINK, "children"), Output(ids.LINK, "className"), Input(ids.SOCKET, "connected"),
       Input(ids.TICK, "n_intervals"), State(ids.I18N, "data"))
