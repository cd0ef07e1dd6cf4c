"""The duty roster on /admin: the coming days' shifts, and CSV pasted in replacing its days through the same
validation and service as PUT /roster (a bad row named, nothing stored)."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from dash import Input, Output, State, html, no_update

from callbacks.admin_act import ADMIN, lang
from dashboard.i18n import t
from dashboard.services.audit import Actor
from dashboard.services.roster import RosterFileError, list_shifts, parse_roster_csv, replace_roster
from dashboard.web.roles import require_role
from layouts import ids
from layouts.admin import roster

SHOWN_DAYS = 3  # today and the next two
MAX_TEXT = 1_000_000


def _shown(services) -> list[dict]:
    today = services.clock().astimezone(ZoneInfo(services.config.timezone)).date()
    with services.db.read() as s:
        return list_shifts(s, today, today + timedelta(days=SHOWN_DAYS - 1))


def pane(services) -> html.Div:
    return roster.pane(lang(), _shown(services), services.config.timezone)


def register(app, services) -> None:
    @app.callback(Output(ids.ADMIN_ROSTER_MSG, "children"), Output(ids.ADMIN_ROSTER_TABLE, "children"),
                  Input(ids.ADMIN_ROSTER_IMPORT, "n_clicks"), State(ids.ADMIN_ROSTER_CSV, "value"),
                  prevent_initial_call=True)
    def import_roster(clicks, text):
        person = require_role(services, ADMIN)
        lang_ = lang()
        if not clicks:
            return no_update, no_update
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            return t("admin.roster_empty", lang_), no_update
        try:
            body = parse_roster_csv(text, t("admin.roster_pasted", lang_))
        except RosterFileError as exc:
            return t("admin.not_saved", lang_).format(why=str(exc)), no_update
        with services.db.write() as s:
            saved = replace_roster(s, body, services.clock(), Actor.of(person))
        message = t("admin.roster_saved", lang_).format(**{"from": saved["from"], "to": saved["to"],
                                                           "n": saved["shifts"]})
        return message, roster.table(_shown(services), lang_, services.config.timezone)
