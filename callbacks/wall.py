"""Wall callbacks: all client-side (assets/wall/), so live updates never round-trip to the server."""
from __future__ import annotations

from dash import ALL, Input, Output, State

from callbacks.live import fn
from layouts import ids
from layouts.wall import KPI_TILES, TICKET_TILE


def register(app, services) -> None:
    cb = app.clientside_callback
    cb(fn("wall", "start"), Output(ids.WALL_STARTED, "data"), Input(ids.CONFIG, "data"))
    cb(fn("wall", "mapTick"), Output(ids.MAP_STAMP, "children"), Input(ids.TICK, "n_intervals"),
       Input(ids.MEASURE, "value"), State(ids.CONFIG, "data"))
    # Counters and lists follow the state once a second (and at once after a resync, via META); never per update.
    cb(fn("wall", "kpiValues"), [Output(f"kpi-{k}", "children") for k in KPI_TILES], Input(ids.META, "data"),
       Input(ids.TICK, "n_intervals"))
    cb(fn("wall_tickets", "tile"), Output(TICKET_TILE, "children"), Input(ids.META, "data"),
       Input(ids.TICK, "n_intervals"))
    cb(fn("wall_duty", "line"), Output(ids.DUTY, "children"), Input(ids.META, "data"),
       Input(ids.TICK, "n_intervals"))
    cb(fn("wall", "seatPanel"), Output(ids.SEATS, "children"), Input(ids.META, "data"),
       Input(ids.TICK, "n_intervals"), State(ids.CONFIG, "data"))
    cb(fn("wall", "queuePanel"), Output(ids.QUEUES, "children"), Input(ids.META, "data"),
       Input(ids.TICK, "n_intervals"), State(ids.CONFIG, "data"))
    cb(fn("wall", "upcomingPanel"), Output(ids.UPCOMING, "children"), Input(ids.META, "data"),
       Input(ids.TICK, "n_intervals"), State(ids.CONFIG, "data"))
    cb(fn("wall", "alarms"), Output(ids.ALARMS, "children"), Input(ids.TICK, "n_intervals"), State(ids.CONFIG, "data"))
    # A replay wall: its banner's clock; the picker's play buttons (POST /replays checks the role, as always).
    cb(fn("replay", "banner"), Output(ids.REPLAY_BANNER, "children"), Input(ids.TICK, "n_intervals"),
       prevent_initial_call=True)
    cb(fn("replay", "play"), Output(ids.REPLAY_MESSAGE, "children"),
       Input({"type": ids.REPLAY_PLAY, "index": ALL}, "n_clicks"), State(ids.REPLAY_CHOICES, "data"),
       prevent_initial_call=True)
    cb(fn("wall", "toggleSound"), Output(ids.SOUND, "children"), Output(ids.SOUND, "className"),
       Input(ids.SOUND, "n_clicks"), State(ids.CONFIG, "data"))
