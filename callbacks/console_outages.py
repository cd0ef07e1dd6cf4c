"""Console callbacks for 研判: the outage list with the lane and the tabs' counts, the outage's desk, and the four
decisions (confirm, move, split, merge), each checking the role on the server before it runs."""
from __future__ import annotations

import hashlib
import json

from dash import ALL, Input, Output, State, html, no_update

from callbacks.console_act import DISPATCH, act, lang
from callbacks.live import fn
from dashboard.errors import ServiceError
from dashboard.i18n import t
from dashboard.services.audit import Actor
from dashboard.services.outage_board import board, outage_card, outage_choices
from dashboard.services.outage_desk import confirm_outage, merge_outages, move_outage, split_outage
from dashboard.web.roles import require_role
from layouts import ids
from layouts.console import one_line, outage_desk, outages, screening

MAX_SPLIT = 50


def _digest(value) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _note(text) -> str | None:
    return (text.strip()[:200] or None) if isinstance(text, str) else None


def register(app, services) -> None:
    db, bus, tz = services.db, services.bus, services.config.timezone

    @app.callback(Output(ids.OGRID, "rowData"), Output(ids.LANE, "children"), Output(ids.TAB, "options"),
                  Output(ids.BOARD_SEEN, "data"), Input(ids.BOARD_TICK, "data"), State(ids.BOARD_SEEN, "data"),
                  prevent_initial_call=True)
    def refresh_board(_tick, seen):
        """Asked by the browser at most once a second while outages or orders move; what did not change since
        the last answer is not sent again."""
        require_role(services, DISPATCH)
        with db.read() as s:
            view = board(s, services.network.current(s))
        reader = lang()
        sent = {"rows": _digest(view["outages"]), "lane": _digest([view["lane"], reader]),
               "counts": _digest([view["counts"], reader])}
        seen = seen if isinstance(seen, dict) else {}
        rows = [o | {"row_id": str(o["id"])} for o in view["outages"]]  # AG Grid keeps rows by a string id
        return (rows if seen.get("rows") != sent["rows"] else no_update,
                screening.lane(view["lane"], reader, tz) if seen.get("lane") != sent["lane"] else no_update,
                outages.tab_options(reader, view["counts"]) if seen.get("counts") != sent["counts"] else no_update,
                sent)

    @app.callback(Output(ids.OUTAGE_DETAIL, "children"), Output(ids.OUTAGE_DIAGRAM, "children"),
                  Input(ids.OUTAGE_SELECTED, "data"), Input(ids.OUTAGE_LIVE, "data"), Input(ids.OUTAGE_DONE, "data"),
                  prevent_initial_call=True)
    def open_outage(outage_id, _live, _done):
        require_role(services, DISPATCH)
        reader = lang()
        if not isinstance(outage_id, int):
            return outage_desk.empty(reader), None
        try:
            with db.read() as s:
                card = outage_card(s, services.network.current(s), outage_id, services.clock())
        except ServiceError as exc:
            return html.Div(exc.message, className="desk-note"), None
        return outage_desk.detail(card, reader, tz), one_line.diagram(card["diagram"], reader)

    @app.callback(Output(ids.OUTAGE_ACTIONS, "children"), Input(ids.OUTAGE_SELECTED, "data"),
                  Input(ids.OUTAGE_DONE, "data"), prevent_initial_call=True)
    def outage_actions(outage_id, _done):
        """Redrawn only when another outage is picked or after a decision: a live update never resets a choice
        being made."""
        require_role(services, DISPATCH)
        if not isinstance(outage_id, int):
            return None
        try:
            with db.read() as s:
                choices = outage_choices(s, services.network.current(s), outage_id)
        except ServiceError:
            return None
        return outage_desk.actions(choices, lang())

    def decided(message: str, done) -> tuple:
        return message, (done if isinstance(done, int) else 0) + 1

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.OUTAGE_DONE, "data", allow_duplicate=True),
                  Input(ids.O_CONFIRM, "n_clicks"), State(ids.OUTAGE_SELECTED, "data"), State(ids.O_NOTE, "value"),
                  State(ids.OUTAGE_DONE, "data"), prevent_initial_call=True)
    def confirm(clicks, outage_id, note, done):
        if not clicks or not isinstance(outage_id, int):
            return no_update, no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                confirm_outage(s, bus, outage_id, now=services.clock(), by=by, note=_note(note))
            return t("outage.done_confirm", lang()).format(id=outage_id)
        return decided(act(services, change), done)

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.OUTAGE_DONE, "data", allow_duplicate=True),
                  Input(ids.O_MOVE_GO, "n_clicks"), State(ids.OUTAGE_SELECTED, "data"), State(ids.O_MOVE_TO, "value"),
                  State(ids.O_NOTE, "value"), State(ids.OUTAGE_DONE, "data"), prevent_initial_call=True)
    def move(clicks, outage_id, device_id, note, done):
        if not clicks or not isinstance(outage_id, int):
            return no_update, no_update
        if not isinstance(device_id, str) or not device_id:
            require_role(services, DISPATCH)
            return t("outage.pick_device", lang()), no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                moved = move_outage(s, bus, services.judging(s), outage_id, device_id[:64], now=services.clock(),
                                    by=by, note=_note(note))
            return t("outage.done_move", lang()).format(id=outage_id, device=moved["device_id"])
        return decided(act(services, change), done)

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.OUTAGE_DONE, "data", allow_duplicate=True),
                  Input(ids.O_SPLIT_GO, "n_clicks"), State(ids.OUTAGE_SELECTED, "data"),
                  State(ids.O_SPLIT_PICK, "value"), State(ids.O_NOTE, "value"), State(ids.OUTAGE_DONE, "data"),
                  prevent_initial_call=True)
    def split(clicks, outage_id, device_ids, note, done):
        if not clicks or not isinstance(outage_id, int):
            return no_update, no_update
        picked = [d[:64] for d in device_ids or [] if isinstance(d, str) and d] if isinstance(device_ids, list) \
            else []
        if not picked:
            require_role(services, DISPATCH)
            return t("outage.pick_devices", lang()), no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                made = split_outage(s, bus, services.judging(s), outage_id, picked[:MAX_SPLIT],
                                    now=services.clock(), by=by, note=_note(note))
            return t("outage.done_split", lang()).format(id=outage_id, n=len(made) - 1)
        return decided(act(services, change), done)

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.OUTAGE_DONE, "data", allow_duplicate=True),
                  Output(ids.OUTAGE_SELECTED, "data", allow_duplicate=True),
                  Input(ids.O_MERGE_GO, "n_clicks"), State(ids.OUTAGE_SELECTED, "data"),
                  State(ids.O_MERGE_INTO, "value"), State(ids.O_NOTE, "value"), State(ids.OUTAGE_DONE, "data"),
                  prevent_initial_call=True)
    def merge(clicks, outage_id, into, note, done):
        if not clicks or not isinstance(outage_id, int):
            return no_update, no_update, no_update
        if not isinstance(into, int) or isinstance(into, bool):
            require_role(services, DISPATCH)
            return t("outage.pick_outage", lang()), no_update, no_update
        merged = []

        def change(by: Actor) -> str:
            with db.write() as s:
                merged.append(merge_outages(s, bus, services.judging(s), outage_id, into, now=services.clock(),
                                            by=by, note=_note(note)))
            return t("outage.done_merge", lang()).format(id=outage_id, into=into)
        message, bumped = decided(act(services, change), done)
        return message, bumped, into if merged else no_update  # the desk follows the outage it went into

    cb = app.clientside_callback
    cb(fn("console_outages", "pick"), Output(ids.OUTAGE_SELECTED, "data"), Input(ids.OGRID, "selectedRows"),
       prevent_initial_call=True)
    cb(fn("console_outages", "tab"), Output(ids.ORDERS_PANE, "hidden"), Output(ids.OUTAGES_PANE, "hidden"),
       Output(ids.LANE, "hidden"), Output(ids.ORDER_DESK, "hidden"), Output(ids.OUTAGE_DESK, "hidden"),
       Output(ids.CONSOLE_SIDE, "className"), Output(ids.CB_PANE, "hidden"), Input(ids.TAB, "value"))
    cb(fn("console_outages", "pickDevice"), Output(ids.NOOP, "data", allow_duplicate=True),
       Input({"type": "ol-device", "device": ALL}, "n_clicks"), prevent_initial_call=True)
    cb(fn("console_outages", "openOrder"), Output(ids.SELECTED, "data", allow_duplicate=True),
       Output(ids.TAB, "value", allow_duplicate=True), Input({"type": "outage-order", "order": ALL}, "n_clicks"),
       prevent_initial_call=True)
