"""Console callbacks for the screening lane: a dispatcher records each waiting call's outcome (audited as them)."""
from __future__ import annotations

from dash import ALL, Input, Output, State, ctx, no_update

from callbacks.console_act import act, lang
from callbacks.live import fn
from dashboard.i18n import t
from dashboard.services.audit import Actor
from dashboard.services.screening import OUTCOMES, screen_order
from layouts import ids


def register(app, services) -> None:
    db, bus = services.db, services.bus

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.REFRESH, "data", allow_duplicate=True),
                  Input({"type": "screen", "order": ALL, "version": ALL, "outcome": ALL}, "n_clicks"),
                  State(ids.REFRESH, "data"), prevent_initial_call=True)
    def screen(clicks, refresh):
        pressed = ctx.triggered_id
        if not pressed or not any(clicks) or not ctx.triggered[0].get("value"):
            return no_update, no_update
        outcome, order_id = str(pressed["outcome"]), pressed["order"]
        if outcome not in OUTCOMES or not isinstance(order_id, int):
            return no_update, no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                screen_order(s, bus, order_id, outcome, now=services.clock(), by=by)
            return t("screen.done", lang()).format(id=order_id, outcome=t(f"screen.{outcome}", lang()))
        # The order's desk reloads too (it may be the one open there).
        return act(services, change), (refresh if isinstance(refresh, int) else 0) + 1

    app.clientside_callback(fn("console_outages", "openLaneOrder"), Output(ids.SELECTED, "data", allow_duplicate=True),
                            Input({"type": "lane-open", "order": ALL}, "n_clicks"), prevent_initial_call=True)
