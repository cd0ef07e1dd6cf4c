"""Sign-in throttling: failed attempts counted per user name and per address (Flask-Limiter; counters in Redis when
there is one, so every server process sees the same count), 429 with Retry-After once a limit is reached."""
from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask, Response, make_response, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address

from dashboard.config import Config


def create_limiter(server: Flask, config: Config) -> Limiter:
    return Limiter(get_remote_address, app=server, storage_uri=config.redis_url or "memory://",
                   strategy="moving-window", headers_enabled=True, key_prefix="gridcmd-limits",
                   # Redis away: keep limiting in this process rather than letting guesses through or failing logins.
                   in_memory_fallback_enabled=True, swallow_errors=True)


def _failed(response: Response) -> bool:
    return response.status_code == 401  # only wrong credentials count: a person who signs in is never slowed


def _user_key() -> str:
    return "user:" + request.form.get("user", "").strip().lower()[:64]


class Throttle:
    """Decorators for the sign-in views; `page(retry_after_s)` renders what a throttled person sees."""

    def __init__(self, limiter: Limiter, config: Config):
        self.limiter = limiter
        self.config = config

    def _on_breach(self, page: Callable[[int], str]) -> Callable[[RequestLimit], Response]:
        def breached(limit: RequestLimit) -> Response:
            retry = max(1, int(limit.reset_at - time.time()))
            response = make_response(page(retry), 429)
            response.headers["Retry-After"] = str(retry)
            return response
        return breached

    def sign_in(self, page: Callable[[int], str]) -> Callable:
        def decorate(view: Callable) -> Callable:
            by_address = self.limiter.limit(self.config.login_limit_address, key_func=get_remote_address,
                                             scope="sign-in-address", deduct_when=_failed,
                                             on_breach=self._on_breach(page))
            by_user = self.limiter.limit(self.config.login_limit_user, key_func=_user_key, scope="sign-in-user",
                                         deduct_when=_failed, on_breach=self._on_breach(page))
            return by_address(by_user(view))
        return decorate

    def kiosk(self, page: Callable[[int], str]) -> Callable:
        return self.limiter.limit(self.config.login_limit_address, key_func=get_remote_address, scope="kiosk-address",
                                  deduct_when=_failed, on_breach=self._on_breach(page))
