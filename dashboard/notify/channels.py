"""GRIDCMD_NOTIFY: the comma list of notifiers (webhook+http://, wecom+http://, smtp://, log:) made into adapters;
GRIDCMD_NOTIFY_CUSTOMERS: the customers' (the SMS gateway's webhook, or the log), in the same syntax."""
from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from dashboard.notify.log import LogNotifier
from dashboard.notify.port import Notifier
from dashboard.notify.smtp import SmtpNotifier
from dashboard.notify.webhook import WebhookNotifier
from dashboard.notify.wecom import WeComNotifier


class NotifySpecError(ValueError):
    pass


def _one(spec: str, timeout: float) -> Notifier:
    if spec in ("log:", "log"):
        return LogNotifier()
    scheme, _, rest = spec.partition("+")
    if scheme in ("webhook", "wecom") and urlsplit(rest).scheme in ("http", "https"):
        if not urlsplit(rest).hostname:
            raise NotifySpecError(f"{scheme}: no host in the URL")
        return WebhookNotifier(rest, timeout) if scheme == "webhook" else WeComNotifier(rest, timeout)
    if spec.startswith("smtp://"):
        parts = urlsplit(spec)
        query = parse_qs(parts.query)
        sender = (query.get("from") or [""])[0]
        if not parts.hostname or "@" not in sender:
            raise NotifySpecError("smtp://HOST:PORT?from=ADDR needs a host and a from= address")
        # Several to= addresses are separated by ";" (the list itself is separated by ",").
        to = [a.strip() for v in query.get("to", []) for a in v.split(";") if a.strip()]
        return SmtpNotifier(parts.hostname, parts.port or 25, sender, to, timeout,
                            starttls=(query.get("starttls") or ["0"])[0] in ("1", "true", "yes"),
                            user=unquote(parts.username) if parts.username else None,
                            password=unquote(parts.password) if parts.password else None)
    # The spec may carry a secret (a WeCom key, an SMTP password): name only its scheme.
    raise NotifySpecError(f"unknown notifier {spec.split(':', 1)[0]!r}: use webhook+URL, wecom+URL (an http or "
                          "https URL), smtp://HOST:PORT?from=ADDR or log:")


def parse_notifiers(value: str | None, timeout: float = 5.0) -> list[Notifier]:
    """The adapters of a GRIDCMD_NOTIFY value; none configured gives the log alone (notices are logged and listed).
    Two of one kind are named apart (webhook, webhook-2) so that each keeps its own rows in the outbox."""
    notifiers: list[Notifier] = []
    seen: dict[str, int] = {}
    for spec in filter(None, (p.strip() for p in (value or "").split(","))):
        notifier = _one(spec, timeout)
        seen[notifier.name] = seen.get(notifier.name, 0) + 1
        if seen[notifier.name] > 1:
            notifier.name = f"{notifier.name}-{seen[notifier.name]}"
        notifiers.append(notifier)
    return notifiers or [LogNotifier()]


CUSTOMER_PREFIX = "customer-"  # customer channels are named apart in the outbox: customer-webhook, customer-log


def parse_customer_notifiers(value: str | None, timeout: float = 5.0) -> list[Notifier]:
    """The customers' adapters: the utility's SMS gateway (webhook+URL) or the log; none configured gives the log
    alone (customer notices are logged, as counts, and listed). WeCom and SMTP reach staff, not customers."""
    specs = [p.strip() for p in (value or "").split(",") if p.strip()]
    for spec in specs:
        if not (spec in ("log:", "log") or spec.startswith("webhook+")):
            raise NotifySpecError(f"{spec.split(':', 1)[0].split('+', 1)[0]!r} does not reach customers: use "
                                  "webhook+URL (the SMS gateway, an http or https URL) or log:")
    notifiers = parse_notifiers(",".join(specs), timeout)
    for notifier in notifiers:
        notifier.name = CUSTOMER_PREFIX + notifier.name
    return notifiers
