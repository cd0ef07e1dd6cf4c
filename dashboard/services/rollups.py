"""The roll-ups' registry: each history roll-up registers how to rebuild itself from the records, so
`gridcommand rollups rebuild` rebuilds them all and none can drift for good."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class RebuildScope:
    """Which local days to rebuild ([start, end], either open), in which time zone, as of when."""
    start: date | None
    end: date | None
    timezone: str
    now: datetime


# name → rebuild(session, scope) → rows written. Registered at import of the roll-up's module (see ROLLUP_MODULES).
Rebuild = Callable[[Session, RebuildScope], int]
REBUILDERS: dict[str, Rebuild] = {}
# The modules that register a roll-up; `load()` imports them so the CLI finds every one.
ROLLUP_MODULES = ("dashboard.services.reliability_rollup", "dashboard.services.order_rollup")


def register(name: str) -> Callable[[Rebuild], Rebuild]:
    def decorator(fn: Rebuild) -> Rebuild:
        REBUILDERS[name] = fn
        return fn
    return decorator


def load() -> dict[str, Rebuild]:
    import importlib
    for module in ROLLUP_MODULES:
        importlib.import_module(module)
    return dict(REBUILDERS)


def rebuild(session: Session, scope: RebuildScope, names: list[str] | None = None) -> dict[str, int]:
    """Rebuild the named roll-ups (all by default) in the caller's transaction; rows written per roll-up."""
    rebuilders = load()
    unknown = [n for n in names or () if n not in rebuilders]
    if unknown:
        raise KeyError(", ".join(unknown))
    return {name: fn(session, scope) for name, fn in rebuilders.items() if not names or name in names}
