"""One JSON POST with a timeout, for the webhook adapters: any failure becomes a DeliveryError."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from dashboard.notify.port import DeliveryError

# A receiver that refuses the body itself will refuse it again; these statuses are worth another try.
RETRYABLE_4XX = (408, 409, 425, 429)


def post_json(url: str, body: dict[str, Any], timeout: float, headers: dict[str, str] | None = None) -> bytes:
    """POST `body`; the answer's body when it is 2xx. Raises DeliveryError (permanent for a 4xx that another try
    cannot fix)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "GridCommand-notifier", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.read(65536)
    except urllib.error.HTTPError as exc:
        permanent = 400 <= exc.code < 500 and exc.code not in RETRYABLE_4XX
        raise DeliveryError(f"HTTP {exc.code} {exc.reason}", permanent=permanent) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"unreachable: {reason}") from None
