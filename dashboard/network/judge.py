"""研判: which device most likely failed, from the calls under it, what automation says and the outages known.

Pure: the network, the recent calls, the open outages and the devices automation reports closed go in; a verdict
comes out. The service stores it; every verdict carries the reason a dispatcher reads in the timeline."""
from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dashboard.domain import OUTAGE_UNDER_WAY as UNDER_WAY
from dashboard.network.tree import Network


@dataclass(frozen=True)
class Rules:
    """The thresholds of 研判 (configuration; the defaults are in docs/network.md)."""
    calls_to_predict: int = 2  # calls under one transformer within the window predict it out
    window: timedelta = timedelta(minutes=30)
    devices_to_roll_up: int = 2  # predicted devices under one parent move the prediction up to it
    share_to_roll_up: float = 0.3  # or this share of the parent's customers calling
    nearest_km: float = 0.5  # a call with no transformer or customer: the nearest transformer of its grid within


@dataclass(frozen=True)
class CallSeen:
    """A recent call under a known transformer. `caller` tells callers apart (the customer, else the call)."""
    id: int
    transformer_id: str
    caller: str
    at: datetime
    outage_id: int | None = None


@dataclass(frozen=True)
class KnownOutage:
    id: int
    device_id: str
    status: str
    locked: bool


@dataclass(frozen=True)
class Verdict:
    """`link`: the call is under an outage under way. `predict`: an outage at `device_id` (absorbing the
    engine's own predictions below it and the lone calls under it). `single`: no outage yet, an order of its own."""
    action: str
    reason: str
    outage_id: int | None = None
    device_id: str | None = None
    absorb: tuple[int, ...] = ()
    lone_calls: tuple[int, ...] = field(default=())


def covering_outage(net: Network, device_id: str, outages: Sequence[KnownOutage]) -> KnownOutage | None:
    """The outage under way highest above (or at) the device: the one that blacks it out."""
    rank = {d: i for i, d in enumerate(net.path(device_id))}
    over = [o for o in outages if o.status in UNDER_WAY and o.device_id in rank]
    return max(over, key=lambda o: rank[o.device_id]) if over else None


def _span(calls: Sequence[CallSeen]) -> str:
    minutes = (max(c.at for c in calls) - min(c.at for c in calls)).total_seconds() / 60
    return f"{max(1, round(minutes))} min"


def link_verdict(net: Network, transformer_id: str, outages: Sequence[KnownOutage]) -> Verdict | None:
    """A call under an outage under way belongs to it, whatever else was called in: most calls of a storm."""
    covering = covering_outage(net, transformer_id, outages)
    if covering is None:
        return None
    return Verdict("link", f"under the {covering.status} outage of {covering.device_id}",
                   outage_id=covering.id, device_id=covering.device_id)


def judge_call(net: Network, rules: Rules, call: CallSeen, recent: Sequence[CallSeen],
               outages: Sequence[KnownOutage], reported_closed: Container[str]) -> Verdict:
    """`recent`: the calls of the window under the same feeder, `call` among them."""
    linked = link_verdict(net, call.transformer_id, outages)
    if linked is not None:
        return linked
    path = net.path(call.transformer_id)
    device, reason, step = None, "", 0
    under_t = [c for c in recent if c.transformer_id == call.transformer_id]
    if len(under_t) >= rules.calls_to_predict:
        reason = f"{len(under_t)} calls under {call.transformer_id} in {_span(under_t)}"
        step = _first_open(path, 0, reported_closed)
        if step is not None:
            device = path[step]
            if step:
                reason += f"; {call.transformer_id} reported closed by automation, so {device}"
    step = step or 0
    # Only the outages of this feeder (or above every feeder) can take part: a storm has hundreds elsewhere.
    feeder = net.feeder_of.get(call.transformer_id)
    under_way = [o for o in outages if o.status in UNDER_WAY and o.device_id in net.devices
                 and net.feeder_of.get(o.device_id) in (feeder, None)]
    up = step + 1
    while up < len(path):
        parent = path[up]
        why = _roll_up_reason(net, rules, parent, device, recent, under_way)
        if why is None:
            break
        target = _first_open(path, up, reported_closed)
        if target is None:
            break
        if target != up:
            why += f"; {parent} reported closed by automation, so {path[target]}"
        device, reason = path[target], why
        up = target + 1  # on from the device now predicted: a skipped, closed parent is below it
    if device is None:
        return Verdict("single", f"the first call under {call.transformer_id}: not enough to predict an outage")
    absorb = tuple(o.id for o in under_way if o.status == "predicted" and not o.locked
                   and o.device_id != device and net.is_at_or_below(o.device_id, device))
    lone = tuple(c.id for c in recent if c.outage_id is None and c.id != call.id
                 and net.is_at_or_below(c.transformer_id, device))
    return Verdict("predict", reason, device_id=device, absorb=absorb, lone_calls=lone)


def _first_open(path: list[str], start: int, reported_closed: Container[str]) -> int | None:
    """The first device from `start` up that automation does not report closed (it is never predicted)."""
    for i in range(start, len(path)):
        if path[i] not in reported_closed:
            return i
    return None


def _roll_up_reason(net: Network, rules: Rules, parent: str, predicted: str | None, recent: Sequence[CallSeen],
                    under_way: Sequence[KnownOutage]) -> str | None:
    """Why the prediction moves up to `parent`, or None when it stays below."""
    kids = {net.child_toward(parent, o.device_id) for o in under_way} - {None}
    if predicted is not None and net.child_toward(parent, predicted) is not None:
        kids.add(net.child_toward(parent, predicted))
    if len(kids) >= rules.devices_to_roll_up:
        return f"{len(kids)} devices under {parent} out ({', '.join(sorted(kids)[:4])})"
    served = net.customers_below.get(parent, 0)
    callers = {c.caller for c in recent if net.is_at_or_below(c.transformer_id, parent)}
    if served and len(callers) >= rules.calls_to_predict and len(callers) / served >= rules.share_to_roll_up:
        return f"{len(callers)} of the {served} customers under {parent} called ({len(callers) / served:.0%})"
    return None
