"""The live state every live page shares (assets/live/): started by the page's config, fed by the socket."""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State

from layouts import ids


def fn(namespace: str, name: str) -> ClientsideFunction:
    return ClientsideFunction(namespace=namespace, function_name=name)


def register(app, services) -> None:
    cb = app.clientside_callback
    # Nothing starts when a file loads: a page starts its live state when its config arrives with its layout.
    cb(fn("live", "start"), Output(ids.META, "data"), Input(ids.CONFIG, "data"))
    cb(fn("live", "onUpdate"), Output(ids.META, "data", allow_duplicate=True), Input(ids.SOCKET, "data-update"),
       prevent_initial_call=True)
    cb(fn("live", "onHello"), Output(ids.META, "data", allow_duplicate=True), Input(ids.SOCKET, "data-hello"),
       prevent_initial_call=True)
    cb(fn("live", "clock"), Output(ids.CLOCK, "children"), Input(ids.TICK, "n_intervals"))
    cb(fn("live", "link"), Output(ids.LINK, "children"), Output(ids.LINK, "className"),
       Input(ids.SOCKET, "connected"), Input(ids.TICK, "n_intervals"), State(ids.CONFIG, "data"))
