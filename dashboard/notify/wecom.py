"""WeCom (企业微信) group-robot webhook: a text message that @-mentions the recipients by mobile number."""
from __future__ import annotations

import json
from dataclasses import dataclass

from dashboard.notify.http_post import post_json
from dashboard.notify.port import DeliveryError, Notice


def wecom_body(notice: Notice) -> dict:
    mobiles = [r.phone for r in notice.recipients if r.phone.startswith("1")]  # the robot mentions mobiles only
    text = {"content": notice.text}
    if mobiles:
        text["mentioned_mobile_list"] = mobiles
    return {"msgtype": "text", "text": text}


@dataclass
class WeComNotifier:
    url: str
    timeout: float = 5.0
    name: str = "wecom"

    def send(self, notice: Notice) -> None:
        answer = post_json(self.url, wecom_body(notice), self.timeout)
        # The robot answers 200 even when it refuses (rate limit 45009, bad key 93000): its errcode tells.
        try:
            code = json.loads(answer or b"{}").get("errcode", 0)
        except (ValueError, AttributeError):
            code = 0  # a gateway in front that answers 200 with no JSON: taken as delivered
        if code:
            raise DeliveryError(f"WeCom errcode {code}")
