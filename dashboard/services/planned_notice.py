"""The planned-outage notice rule (供电服务十项承诺): scheduled maintenance noticed ≥ 7 days before the start,
temporary maintenance (important users) ≥ 24 h; a late notice is accepted, flagged, alarmed and counted."""
from __future__ import annotations

from datetime import datetime, timedelta

from dashboard.domain import PLANNED_NOTICE, TEMPORARY_NOTICE, Maintenance

# The rule's name as the outage view says it (`notice_rule`): which lead time the notice was held to.
RULES: dict[str, tuple[str, timedelta]] = {
    Maintenance.scheduled: ("scheduled_7d", PLANNED_NOTICE),
    Maintenance.temporary: ("temporary_24h", TEMPORARY_NOTICE),
}


def notice_rule(maintenance: str | None) -> tuple[str, timedelta]:
    """The rule's name and the lead time it asks for; an outage stored before maintenance existed is scheduled."""
    return RULES[Maintenance(maintenance or Maintenance.scheduled)]


def notice_ok(maintenance: str | None, start: datetime, notified_at: datetime | None) -> bool:
    """Noticed at least the rule's lead time before the start (exactly the lead time is in time); no notice is late."""
    return notified_at is not None and start - notified_at >= notice_rule(maintenance)[1]
