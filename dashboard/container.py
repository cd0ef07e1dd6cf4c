"""The services object handed to the API, the callbacks, the bridge and the simulator: one per app."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from dashboard.ops.coalesced_builds import CoalescedBuilds
from dashboard.config import Config
from dashboard.db import Database
from dashboard.events import EventBus
from dashboard.ops.metrics import Metrics
from dashboard.ops.recent_updates import RecentStore, RecentUpdates
from dashboard.services.tokens import TokenCache
from dashboard.services.callcenter import ServiceLevelRule
from dashboard.services.grid_catalog import GridCatalog
from dashboard.network.judge import Rules
from dashboard.network.etr import EtrRule
from dashboard.services.judgement import Judging
from dashboard.services.topology import NetworkHolder
from dashboard.time_limits import TimeLimits
from dashboard.tickets.limits import TicketRules
from dashboard.timeutil import utcnow

if TYPE_CHECKING:
    from dashboard.services.public_outages import PublicFeed
    from dashboard.web.public_limit import PublicLimit


@dataclass
class Services:
    config: Config
    db: Database
    bus: EventBus
    catalog: GridCatalog
    tokens: TokenCache
    rule: ServiceLevelRule
    metrics: Metrics = field(default_factory=Metrics)
    recent: RecentStore = field(default_factory=RecentUpdates)
    snapshots: CoalescedBuilds = field(default_factory=CoalescedBuilds)
    clock: Callable[[], datetime] = utcnow
    limits: TimeLimits = field(default_factory=TimeLimits)  # from the config: create_app passes config.time_limits()
    network: NetworkHolder = field(default_factory=NetworkHolder)
    rules: Rules = field(default_factory=Rules)  # 研判's thresholds: create_app passes config.judging_rules()
    etr: EtrRule = field(default_factory=EtrRule)
    # The public outage notices (docs/public-outages.md): create_app sets both, from the config and the limiter.
    public_feed: PublicFeed | None = None
    public_limit: PublicLimit | None = None
    # Wakes this process's notifier worker (create_app sets it): a requeued notice goes out now, not at the next poll.
    wake_notifier: Callable[[], None] = field(default=lambda: None)
    tickets: TicketRules = field(default_factory=TicketRules)  # create_app passes config.ticket_rules()
    # This process's replays (realtime/replay.py's ReplayHub, set by create_app; docs/replay.md).
    replays: Any = None

    def judging(self, session: Session) -> Judging | None:
        """What 研判 needs for the network as it is now; None while no network is loaded (calls are then grouped
        by distance and time)."""
        network = self.network.current(session)
        if not len(network):
            return None
        return Judging(network, self.rules, self.catalog, self.limits, self.etr)
