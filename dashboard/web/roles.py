"""The role check inside Dash callbacks that change something: a forged request from a viewer is a 403, unchanged."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from dashboard.domain import Role
from dashboard.http import ApiError
from dashboard.principal import Principal
from dashboard.web.signin import current_person

if TYPE_CHECKING:
    from dashboard.container import Services


def require_role(services: Services, roles: frozenset[Role]) -> Principal:
    person = current_person(services)
    if person is None:
        raise ApiError(401, "unauthorized", "sign in")
    if person.role not in roles:
        raise ApiError(403, "forbidden", f"role {person.role} may not do this")
    return person


def guarded(services: Services, roles: frozenset[Role]) -> Callable[[Callable], Callable]:
    """Wrap a callback: the signed-in person must hold one of `roles` before it runs (the Dash endpoint guard
    turns the refusal into a 403 answer)."""
    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def checked(*args, **kwargs):
            require_role(services, roles)
            return fn(*args, **kwargs)
        return checked
    return decorate
