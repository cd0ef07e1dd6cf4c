"""The rows of a few generated days, before they get their ids: work orders and outages are numbered from 0 in the
block and shifted onto the ids reserved for them when the block is written."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    work_orders: list[dict] = field(default_factory=list)
    workorder_events: list[dict] = field(default_factory=list)
    outages: list[dict] = field(default_factory=list)
    fault_reports: list[dict] = field(default_factory=list)
    calls: list[dict] = field(default_factory=list)
    tickets: list[dict] = field(default_factory=list)
    callback_tasks: list[dict] = field(default_factory=list)

    # Fields holding a block-relative id, by table: (field, the table the id is of).
    LINKS = {"work_orders": (("id", "work_orders"), ("outage_id", "outages")),
             "outages": (("id", "outages"), ("workorder_id", "work_orders")),
             "fault_reports": (("workorder_id", "work_orders"), ("outage_id", "outages")),
             "workorder_events": (("workorder_id", "work_orders"),),
             "callback_tasks": (("subject_id", "work_orders"),)}

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in ("work_orders", "workorder_events", "outages",
                                                            "fault_reports", "calls", "tickets", "callback_tasks")}

    def place(self, bases: dict[str, int]) -> None:
        """Shift the block-relative ids onto the reserved ones (in place)."""
        for table, links in self.LINKS.items():
            for row in getattr(self, table):
                for name, of in links:
                    if row.get(name) is not None:
                        row[name] += bases[of]
