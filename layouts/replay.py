"""A replay wall's own parts: the unmistakable banner, and the picker (/wall?replay=pick) of what can be replayed."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dash import dcc, html

from dashboard.domain import Role
from dashboard.i18n import t
from dashboard.replay.recording import recordings
from layouts import ids
from layouts.page_context import PageContext

PICK = "pick"
SPEEDS = (10, 30, 60)
STARTERS = frozenset({Role.dispatcher, Role.executive, Role.admin})  # as POST /replays (dashboard/api/replays.py)
_ID = re.compile(r"[0-9a-f]{1,32}")


def local(value: str | None, tz: str) -> str:
    if not value:
        return "–"
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def find(ctx: PageContext, replay_id: str) -> dict[str, Any] | None:
    """The replay a wall asks for, as GET /replays/{id} gives it; None when this server has no such replay."""
    hub = ctx.services.replays
    session = hub.get(replay_id) if hub is not None and _ID.fullmatch(replay_id) else None
    return session.view() if session is not None else None


def banner(ctx: PageContext, replay: dict[str, Any] | None) -> html.Div:
    """Always laid out (hidden on a live wall), so the clientside clock behind it has its output."""
    if replay is None:
        return html.Div(id=ids.REPLAY_BANNER, className="replay-banner", hidden=True)
    text = f"{t('replay.banner', ctx.lang)} · {local(replay['from'], ctx.services.config.timezone)} · {replay['speed']:g}×"
    return html.Div(text, id=ids.REPLAY_BANNER, className="replay-banner", role="status")


def missing(ctx: PageContext) -> html.Div:
    return html.Div([html.H1(t("replay.missing", ctx.lang)),
                     html.A(t("replay.picker", ctx.lang), href=f"/wall?replay={PICK}", className="nav-link")],
                    className="replay-picker")


def picker(ctx: PageContext) -> html.Div:
    """The recorded periods (the demo's storm), playable at a few speeds by those who may start a replay, and the
    replays playing here, which anyone who may open the wall may watch."""
    tz, lang = ctx.services.config.timezone, ctx.lang
    with ctx.services.db.read() as session:
        recorded = recordings(session)
    can_start = ctx.person.role in STARTERS
    rows = []
    for i, rec in enumerate(recorded):
        buttons = [html.Button(f"{t('replay.play', lang)} {s}×", id={"type": ids.REPLAY_PLAY, "index": f"{i}:{s}"},
                               className="header-button", n_clicks=0) for s in SPEEDS] if can_start else []
        rows.append(html.Li([html.Span(f"{rec['name']} · {local(rec['from'], tz)} – {local(rec['to'], tz)} · "
                                       + t("replay.changes", lang).format(n=rec["events"]), className="replay-what"),
                             *buttons]))
    hub = ctx.services.replays
    playing = [html.Li(html.A(f"{local(v['from'], tz)} – {local(v['to'], tz)} · {v['speed']:g}× · {v['status']}",
                              href=f"/wall?replay={v['id']}")) for v in (s.view() for s in (hub.all() if hub else []))]
    none = [html.Li(t("replay.none", lang), className="replay-none")]
    return html.Div([
        html.H1(t("replay.picker", lang)),
        html.P(t("replay.explain", lang), className="replay-explain"),
        html.H2(t("replay.recorded", lang)), html.Ul(rows or none),
        html.H2(t("replay.running", lang)), html.Ul(playing or none),
        html.A(t("replay.back", lang), href="/wall", className="nav-link"),
        html.Div(id=ids.REPLAY_MESSAGE, className="replay-message"),
        dcc.Store(id=ids.REPLAY_CHOICES, data=[{"from": r["from"], "to": r["to"]} for r in recorded]),
    ], className="replay-picker")
