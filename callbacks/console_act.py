"""What the console's callbacks share: who may use it, the reader's language, and running one change as a person."""
from __future__ import annotations

from collections.abc import Callable

from flask import session

from dashboard.domain import Role
from dashboard.errors import ServiceError
from dashboard.i18n import t
from dashboard.services.audit import Actor
from dashboard.web.roles import require_role

DISPATCH = frozenset({Role.dispatcher, Role.admin})


def lang() -> str:
    return session.get("lang", "zh") if session.get("lang") in ("zh", "en") else "zh"


def act(services, change: Callable[[Actor], str]) -> str:
    """Run one change as the signed-in dispatcher (anyone else: 403, nothing runs); its message, or why it was
    refused, for the console's message line."""
    person = require_role(services, DISPATCH)
    try:
        return change(Actor.of(person))
    except ServiceError as exc:  # a stale version, a crew taken, a forbidden move: said, nothing changed
        return t("console.failed", lang()).format(why=exc.message)
