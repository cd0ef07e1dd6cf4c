"""Who is asking: a bearer token (machines) or the session cookie of a logged-in person, with one role."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import g, request

from dashboard.http import ApiError
from dashboard.domain import Role
from dashboard.principal import Principal
from dashboard.web.signin import current_person

if TYPE_CHECKING:
    from dashboard.container import Services


def token_principal(services: Services, token: object) -> Principal | None:
    """The machine behind a token (an Authorization header, or a live connection's auth), if it is one of ours."""
    info = services.tokens.lookup(services.db.read, token)
    return Principal("token", info.name, info.role, crew_id=info.crew_id) if info else None


def identify(services: Services) -> Principal | None:
    """A bearer token when the request carries one (the cookie is then ignored), else the signed-in person."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token_principal(services, token.strip())
    return current_person(services)


def require(services: Services, roles: frozenset[Role] | None) -> Principal:
    """401 without valid credentials; 403 when the role may not use this route (None: any role)."""
    principal = identify(services)
    if principal is None:
        raise ApiError(401, "unauthorized", "send Authorization: Bearer <token> or log in")
    if roles is not None and principal.role not in roles:
        raise ApiError(403, "forbidden", f"role {principal.role} may not do this")
    g.principal = principal
    return principal
