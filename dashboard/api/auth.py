"""Who is asking: a bearer token (machines) or the session cookie of a logged-in person, with one role."""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import g, request, session

from dashboard.api.errors import ApiError
from dashboard.domain import Role


@dataclass(frozen=True)
class Principal:
    kind: str  # "token" or "user"
    name: str
    role: Role


def session_principal() -> Principal | None:
    role, name = session.get("role"), session.get("user")
    until = session.get("until")
    if until is not None and time.time() > until:
        return None  # a person's sign-in ends with the shift; only a wall's viewer sign-in has no end
    if role in Role.__members__ and name:
        return Principal("user", name, Role(role))
    return None


def identify(services) -> Principal | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        role = services.tokens.role_for(services.db.read, token.strip())
        return Principal("token", "token", role) if role else None
    return session_principal()


def require(services, roles: frozenset[Role] | None) -> Principal:
    """401 without valid credentials; 403 when the role may not use this route (None: any role)."""
    principal = identify(services)
    if principal is None:
        raise ApiError(401, "unauthorized", "send Authorization: Bearer <token> or log in")
    if roles is not None and principal.role not in roles:
        raise ApiError(403, "forbidden", f"role {principal.role} may not do this")
    g.principal = principal
    return principal
