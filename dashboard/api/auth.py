"""Who is asking: a bearer token (machines) or the session cookie of a logged-in person, with one role."""
from __future__ import annotations

from flask import g, request

from dashboard.api.errors import ApiError
from dashboard.domain import Role
from dashboard.principal import Principal
from dashboard.web.signin import current_person


def identify(services) -> Principal | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        role = services.tokens.role_for(services.db.read, token.strip())
        return Principal("token", "token", role) if role else None
    return current_person(services)


def require(services, roles: frozenset[Role] | None) -> Principal:
    """401 without valid credentials; 403 when the role may not use this route (None: any role)."""
    principal = identify(services)
    if principal is None:
        raise ApiError(401, "unauthorized", "send Authorization: Bearer <token> or log in")
    if roles is not None and principal.role not in roles:
        raise ApiError(403, "forbidden", f"role {principal.role} may not do this")
    g.principal = principal
    return principal
