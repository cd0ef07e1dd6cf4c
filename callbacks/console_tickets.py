"""Console callbacks for service tickets: the tab's list, the ticket's desk, and the moves (contacted, closed,
cancelled with a note), each checking the role on the server before it reads or runs."""
from __future__ import annotations

import hashlib
import json

from dash import ALL, Input, Output, State, ctx, no_update

from callbacks.console_act import DISPATCH, act, lang
from callbacks.live import fn
from dashboard.errors import ServiceError
from dashboard.i18n import t
from dashboard.services.audit import Actor
from dashboard.services.ticket_list import TicketFilter, list_tickets
from dashboard.services.tickets import ticket_detail, transition_ticket
from dashboard.tickets.kinds import TicketStatus
from dashboard.web.roles import require_role
from layouts import ids
from layouts.console import tickets

LISTED = 100  # the tab shows the most urgent ones; the API pages through the rest


def _bump(value) -> int:
    return (value if isinstance(value, int) else 0) + 1


def register(app, services) -> None:
    db, bus, tz = services.db, services.bus, services.config.timezone

    @app.callback(Output(ids.TICKET_LIST, "children"), Output(ids.TICKET_SEEN, "data"),
                  Input(ids.BOARD_TICK, "data"), Input(ids.TICKET_DONE, "data"), State(ids.TICKET_SEEN, "data"),
                  prevent_initial_call=True)
    def refresh_list(_tick, _done, seen):
        """With the board: at most once a second, when tickets (or orders, outages) moved; an unchanged list is
        not sent again."""
        require_role(services, DISPATCH)
        with db.read() as s:
            page = list_tickets(s, TicketFilter(), limit=LISTED)
        reader = lang()
        digest = hashlib.sha1(json.dumps([page, reader], sort_keys=True).encode()).hexdigest()[:16]
        if digest == seen:
            return no_update, no_update
        return tickets.listing(page, reader, tz), digest

    @app.callback(Output(ids.TICKET_DETAIL, "children"), Input(ids.TICKET_SELECTED, "data"),
                  Input(ids.TICKET_DONE, "data"), Input(ids.BOARD_TICK, "data"), prevent_initial_call=True)
    def open_ticket(ticket_id, _done, _tick):
        require_role(services, DISPATCH)
        if not isinstance(ticket_id, int):
            return tickets.empty(lang())
        try:
            with db.read() as s:
                return tickets.detail(ticket_detail(s, ticket_id), lang(), tz)
        except ServiceError:
            return tickets.empty(lang())

    @app.callback(Output(ids.TICKET_ACTIONS, "children"), Input(ids.TICKET_SELECTED, "data"),
                  Input(ids.TICKET_DONE, "data"), prevent_initial_call=True)
    def ticket_actions(ticket_id, _done):
        """Redrawn when another ticket is picked or after a move, never by a live update (a note being typed
        stays)."""
        require_role(services, DISPATCH)
        if not isinstance(ticket_id, int):
            return None
        try:
            with db.read() as s:
                return tickets.actions(ticket_detail(s, ticket_id), lang())
        except ServiceError:
            return None

    @app.callback(Output(ids.MESSAGE, "children", allow_duplicate=True),
                  Output(ids.TICKET_DONE, "data", allow_duplicate=True),
                  Input({"type": "ticket-move", "ticket": ALL, "version": ALL, "to": ALL}, "n_clicks"),
                  State(ids.TICKET_NOTE, "value"), State(ids.TICKET_DONE, "data"), prevent_initial_call=True)
    def move(clicks, note, done):
        pressed = ctx.triggered_id
        if not pressed or not any(clicks or []) or not ctx.triggered[0].get("value"):
            return no_update, no_update
        ticket_id, version, to = pressed.get("ticket"), pressed.get("version"), pressed.get("to")
        if not isinstance(ticket_id, int) or not isinstance(version, int) or to not in set(TicketStatus):
            return no_update, no_update
        text = (note.strip()[:200] or None) if isinstance(note, str) else None
        if to == TicketStatus.cancelled and text is None:
            require_role(services, DISPATCH)
            return t("ticket.note_needed", lang()), no_update

        def change(by: Actor) -> str:
            with db.write() as s:
                transition_ticket(s, bus, ticket_id, TicketStatus(to), now=services.clock(), note=text,
                                  version=version, by=by, rules=services.tickets,
                                  callback_window=services.limits.callback_window)
            return t("ticket.done", lang()).format(id=ticket_id, to=t(f"ticket.status.{to}", lang()))
        return act(services, change), _bump(done)

    cb = app.clientside_callback
    cb(fn("console_tickets", "tab"), Output(ids.TICKET_LIST, "hidden"), Output(ids.TICKET_DESK, "hidden"),
       Input(ids.TAB, "value"))
    cb(fn("console_tickets", "open"), Output(ids.TICKET_SELECTED, "data"),
       Input({"type": "ticket-open", "ticket": ALL}, "n_clicks"), prevent_initial_call=True)
