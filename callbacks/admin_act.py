"""What the admin page's callbacks share: who may use them, the reader's language, a change run as the admin, and
turning a history pane's page."""
from __future__ import annotations

from collections.abc import Callable

from flask import session

from dashboard.domain import Role
from dashboard.errors import ServiceError
from dashboard.i18n import t
from dashboard.services.audit import Actor
from dashboard.web.roles import require_role
from layouts.admin.history import page_store

ADMIN = frozenset({Role.admin})


def lang() -> str:
    return session.get("lang", "zh") if session.get("lang") in ("zh", "en") else "zh"


def act(services, change: Callable[[Actor], str]) -> str:
    """Run one change as the signed-in admin (anyone else: 403, nothing runs); its message, or why it was
    refused."""
    person = require_role(services, ADMIN)
    try:
        return change(Actor.of(person))
    except ServiceError as exc:  # unknown, no longer dead, an unknown grid: said, nothing changed
        return t("admin.not_requeued", lang()).format(why=exc.message)


def cursors(page: object) -> list[int | None]:
    """The cursors of a pane's pages as the browser holds them; anything a page could not have sent is the first."""
    got = page.get("cursors") if isinstance(page, dict) else None
    if not isinstance(got, list) or not got or len(got) > 10_000 or not all(
            c is None or (isinstance(c, int) and not isinstance(c, bool) and 0 < c < 2 ** 62) for c in got):
        return [None]
    return got


def turn(page: object, nxt: object, trigger: object, newer: str, older: str) -> dict:
    """The pane's page after a press of `newer` or `older`, or back to the newest on any other trigger (a filter)."""
    count = page.get("n", 0) if isinstance(page, dict) and isinstance(page.get("n"), int) else 0
    opened = cursors(page)
    if trigger == older and isinstance(nxt, int) and not isinstance(nxt, bool) and 0 < nxt < 2 ** 62:
        return page_store(opened + [nxt], count + 1)
    if trigger == newer and len(opened) > 1:
        return page_store(opened[:-1], count + 1)
    if trigger in (newer, older):
        return page_store(opened, count + 1)
    return page_store(None, count + 1)
