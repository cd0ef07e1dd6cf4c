"""Sign-in throttling: every attempt counted, before the password is checked, per name and address, name, address;
the counting itself (shared storage, local fallback) is shared with the public pages' rate limit."""
from __future__ import annotations

import logging
import time

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter, RateLimiter

from dashboard.config import Config

log = logging.getLogger(__name__)


def create_limiter(server: Flask, config: Config) -> Limiter:
    """Flask-Limiter over Redis when there is one (every server process sees the same counts), else memory."""
    return Limiter(get_remote_address, app=server, storage_uri=config.redis_url or "memory://",
                   storage_options={"socket_timeout": 1, "socket_connect_timeout": 1} if config.redis_url else {},
                   strategy="moving-window", key_prefix="gridcmd-limits", swallow_errors=True)


class Counts:
    """Hits counted in the shared limiter's storage (Redis when there is one, so every server process sees the
    same counts); with that storage away, this process counts on its own rather than let everything through."""

    def __init__(self, limiter: Limiter, what: str):
        self._shared = limiter
        self._local: RateLimiter = MovingWindowRateLimiter(MemoryStorage())
        self._failing = False
        self._what = what

    def run(self, action):
        try:
            result = action(self._shared.limiter)
            self._failing = False
            return result
        except Exception as exc:  # Redis away or slow: limit here rather than let everything through
            if not self._failing:
                log.error("%s storage unavailable (%s): counting in this process", self._what, exc)
            self._failing = True
            return action(self._local)

    def hit(self, scope: str, item: RateLimitItem, ids: tuple[str, ...]) -> int | None:
        """Count one hit; None if it is within the limit, else the seconds until it would be."""
        if self.run(lambda s: s.hit(item, scope, *ids)):
            return None
        reset_at = self.run(lambda s: s.get_window_stats(item, scope, *ids)).reset_time
        return max(1, int(reset_at - time.time()) + 1)

    def clear(self, scope: str, item: RateLimitItem, ids: tuple[str, ...]) -> None:
        self.run(lambda s: s.clear(item, scope, *ids))


class Throttle:
    """Counts attempts as they arrive (a burst of parallel guesses is counted, not only the answered ones):
    - a name from one address: the tight limit (a person mistyping; a guesser at one PC);
    - a name from anywhere: looser, so that a guesser elsewhere cannot lock the person out as easily;
    - an address, whatever the names (one PC guessing many names).
    A successful sign-in clears the name's counts. With Redis away, this process counts on its own."""

    def __init__(self, limiter: Limiter, config: Config):
        self._counts = Counts(limiter, "sign-in throttle")
        self.limits: dict[str, RateLimitItem] = {"name-address": parse(config.login_limit_user),
                                                  "name": parse(config.login_limit_user_any),
                                                  "address": parse(config.login_limit_address)}

    def _keys(self, name: str, address: str) -> dict[str, tuple[str, ...]]:
        name = name.strip().lower()[:64]
        return {"name-address": (name, address), "name": (name,), "address": (address,)}

    def attempt(self, name: str, address: str) -> int | None:
        """Count one sign-in attempt; None if it may go on, else the seconds to wait."""
        waits = [self._counts.hit("sign-in", self.limits[kind], (kind, *ids)) for kind, ids in self._keys(name, address).items()]
        return max((w for w in waits if w), default=None)

    def attempt_token(self, address: str) -> int | None:
        """Count one kiosk sign-in by token from `address` (guessing a viewer token)."""
        return self._counts.hit("kiosk", self.limits["address"], ("address", address))

    def succeeded(self, name: str, address: str) -> None:
        for kind, ids in self._keys(name, address).items():
            if kind != "address":
                self._counts.clear("sign-in", self.limits[kind], (kind, *ids))

    def token_succeeded(self, address: str) -> None:
        self._counts.clear("kiosk", self.limits["address"], ("address", address))
