"""Who is asking: a person signed in through a browser, or a machine with a bearer token; one role each."""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.domain import Role


@dataclass(frozen=True)
class Principal:
    kind: str  # "token" or "user"
    name: str
    role: Role
    session_id: int | None = None  # a person's server-side sign-in (dashboard.services.web_sessions)
    crew_id: str | None = None  # a crew terminal's token: it moves only that crew's orders
