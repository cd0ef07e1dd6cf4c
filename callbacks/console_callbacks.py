"""Console callbacks for callbacks (回访): the pending worklist, and a dispatcher recording an attempt on the order's
desk (the role checked on the server before anything runs; audited as them)."""
from __future__ import annotations

from dash import ALL, Input, Output, State, ctx, no_update

from callbacks.console_act import DISPATCH, act, lang
from dashboard.domain import CallbackResult, CallbackStatus
from dashboard.i18n import t
from dashboard.services.audit import Actor
from dashboard.services.callback_attempts import record_attempt
from dashboard.services.callbacks import list_callbacks
from dashboard.web.roles import require_role
from layouts import ids
from layouts.console import callback_desk

WORKLIST_ROWS = 50
RESULTS = frozenset(r.value for r in CallbackResult)


def register(app, services) -> None:
    db, bus, tz = services.db, services.bus, services.config.timezone

    @app.callback(Output(ids.CB_PANE, "children"), Input(ids.BOARD_TICK, "data"), Input(ids.REFRESH, "data"),
                  Input(ids.TAB, "value"), prevent_initial_call=True)
    def worklist(_tick, _refresh, tab):
        """Redrawn while its tab is open, as orders move and after a change made here."""
        require_role(services, DISPATCH)
        if tab != "callbacks":
            return no_update
        with db.read() as s:
            page = list_callbacks(s, status=CallbackStatus.pending, subject_kind="workorder", limit=WORKLIST_ROWS)
        return callback_desk.worklist(page, lang(), tz)

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.REFRESH, "data", allow_duplicate=True),
                  Input({"type": "cb-record", "task": ALL, "result": ALL, "seen": ALL}, "n_clicks"), State(ids.SELECTED, "data"),
                  State(ids.CB_NOTE, "value"), State(ids.REFRESH, "data"), prevent_initial_call=True)
    def record(clicks, order_id, note, refresh):
        pressed = ctx.triggered_id
        if not pressed or not any(clicks or []) or not ctx.triggered[0].get("value"):
            return no_update, no_update
        # `seen`: the attempts the desk showed; a second press of the same button (or another dispatcher's attempt
        # meanwhile) finds more and is refused, so three quick "not reached" presses are not three rings.
        result, task_id, seen = str(pressed["result"]), pressed["task"], pressed.get("seen")
        if (result not in RESULTS or not isinstance(task_id, int) or isinstance(task_id, bool)
                or not isinstance(seen, int) or isinstance(seen, bool)):
            require_role(services, DISPATCH)
            return no_update, no_update
        text = (note.strip()[:500] or None) if isinstance(note, str) else None

        def change(by: Actor) -> str:
            with db.write() as s:
                view = record_attempt(s, bus, task_id, CallbackResult(result), now=services.clock(), note=text,
                                      by=by, catalog=services.catalog, limits=services.limits, seen=seen)
            return t("cb.done", lang()).format(id=view["subject_id"], result=t(f"cb.result.{result}", lang()))
        return act(services, change), (refresh if isinstance(refresh, int) else 0) + 1
