"""The generic JSON webhook (an SMS platform's HTTP gateway): the contract's notice shape, POSTed as is."""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.notify.http_post import post_json
from dashboard.notify.port import Notice


def webhook_body(notice: Notice) -> dict:
    return {"id": notice.id, "event": notice.event, "at": notice.at, "grid_id": notice.grid_id,
            "recipients": [r.public() for r in notice.recipients], "text": notice.text, "data": notice.data}


@dataclass
class WebhookNotifier:
    url: str
    timeout: float = 5.0
    name: str = "webhook"

    def send(self, notice: Notice) -> None:
        # The id also travels as a header, so that a gateway can drop a retry it has already taken.
        post_json(self.url, webhook_body(notice), self.timeout, {"Idempotency-Key": notice.id})
