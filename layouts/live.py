"""What every live page holds: the Socket.IO link, the live-state summary, the 1 s tick, and the page's config."""
from __future__ import annotations

from typing import Any

from dash import dcc
from dash_socketio import DashSocketIO

from dashboard.domain import OPEN_STATUSES, ON_TIME_TARGET, SERVICE_LEVEL_TARGET, OrderStatus, SeatState
from dashboard.i18n import table
from layouts import ids
from layouts.page_context import PageContext


def page_config(ctx: PageContext, **extra: Any) -> dict[str, Any]:
    """The values the browser works with, from the rules that live in Python (it keeps no copy of them)."""
    services = ctx.services
    return {"page": ctx.page.path, "title": ctx.page.title_key, "lang": ctx.lang, "tz": services.config.timezone,
            "ids": ids.browser_ids(), "i18n": table(ctx.lang),
            "open_statuses": [s.value for s in OrderStatus if s in OPEN_STATUSES],
            "seat_states": [s.value for s in SeatState], "levels": services.limits.levels,
            "service_level_target": SERVICE_LEVEL_TARGET, "on_time_target": ON_TIME_TARGET} | extra


def live_components(config: dict[str, Any]) -> list:
    """A replay (config["replay"]) listens on /replay, to its own replay only; everything else is the same."""
    replay = config.get("replay")
    socket = (DashSocketIO(id=ids.SOCKET, url="/replay", eventNames=["hello", "update"],
                           options={"auth": {"replay": replay["id"]}}) if replay else
              DashSocketIO(id=ids.SOCKET, url="/live", eventNames=["hello", "update"]))
    return [socket,
            dcc.Store(id=ids.META, data={"seq": None, "rev": 0}), dcc.Store(id=ids.CONFIG, data=config),
            dcc.Store(id=ids.NOOP), dcc.Interval(id=ids.TICK, interval=1000)]
