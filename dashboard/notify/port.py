"""The notifier port: one notice, its recipients, and the error an adapter raises when it could not deliver."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Recipient:
    role: str  # manager (网格经理), liaison (电力联络员)
    name: str
    phone: str
    email: str | None = None
    village: str | None = None

    def public(self) -> dict[str, str]:
        """What the contract's webhook carries of a recipient."""
        return {"role": self.role, "name": self.name, "phone": self.phone}


@dataclass(frozen=True)
class Notice:
    """One notice as an adapter sends it. `id` is the idempotency key: the same on every retry."""
    id: str
    event: str
    at: str  # ISO-8601 UTC: when what it tells happened (queued), not when this try is made
    grid_id: str | None
    recipients: tuple[Recipient, ...]
    text: str
    data: dict[str, Any] = field(default_factory=dict)


class DeliveryError(Exception):
    """Not delivered. `permanent`: trying again cannot help (the receiver refused the notice itself), so the
    notice goes straight to the dead letters instead of being retried."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Notifier(Protocol):
    name: str  # the channel's name in the outbox: webhook, wecom, smtp, log (webhook-2 for a second webhook)

    def send(self, notice: Notice) -> None:
        """Deliver one notice or raise DeliveryError; never wait longer than the adapter's timeout."""
