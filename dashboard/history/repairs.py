"""One day of repairs: unplanned outages (a device out, 研判) with their repair order and the calls about them,
single-customer repair orders, and their fault reports (the calls that made or joined an order)."""
from __future__ import annotations

from datetime import date

import numpy as np

from dashboard.domain import SCREEN_FIRST
from dashboard.history.block import Block
from dashboard.history.network import Network
from dashboard.history.rates import ORDERS_PER_DAY, OUTAGES_PER_DAY, Storm, day_factor, hour_shape
from dashboard.history.timeline import instants, repair_times, to_datetimes
from dashboard.time_limits import TimeLimits

# Single-customer faults by category (研判 screens meter and customer_internal ones before a crew goes).
CATEGORIES = np.array(["lv", "power_quality", "meter", "customer_internal", "hazard", "other"], dtype=object)
CATEGORY_ODDS = np.array([0.42, 0.1, 0.14, 0.2, 0.06, 0.08])
CHANNELS = np.array(["phone", "app", "wechat", "web", "sms", "auto"], dtype=object)
CHANNEL_ODDS = np.array([0.7, 0.12, 0.1, 0.03, 0.02, 0.03])
# An outage's device: its kind's odds, the customers behind it (median) and the spread of that.
DEVICE_KINDS = np.array(["transformer", "switch", "feeder"], dtype=object)
DEVICE_ODDS = np.array([0.85, 0.12, 0.03])
# Small on purpose: a year holds 50,000+ outages over the grids' customers, so most are a transformer's or one of its
# low-voltage branches' (SAIFI about 2, SAIDI a few hundred minutes a year: inside the ASAI commitment).
DEVICE_CUSTOMERS = np.array([60.0, 300.0, 1500.0])
CAUSES = np.array(["设备故障", "树障", "外力破坏", "雷击", "小动物", "过负荷", "绝缘老化"], dtype=object)
CALLS_PER_CUSTOMER = 0.02  # of an outage's customers, this share call (capped), besides the first caller
CARE_ODDS = 0.12  # outages with care customers (帮扶对象, life support, important users)
# Who dispatched (the workload's and the assessment's per-dispatcher figures read the orders' assign events): the
# demo's dispatcher and five made-up colleagues.
DISPATCHERS = np.array(["dispatch", "dispatch-2", "dispatch-3", "dispatch-4", "dispatch-5", "dispatch-6"],
                       dtype=object)


def _pick(rng: np.random.Generator, values: np.ndarray, odds: np.ndarray, n: int) -> np.ndarray:
    return values[rng.choice(values.size, size=n, p=odds / odds.sum())]


def _priority(categories: np.ndarray, sensitive: np.ndarray) -> np.ndarray:
    urgent = (categories == "hv") | (categories == "hazard")
    return np.where(urgent, "urgent", np.where(sensitive, "high", "normal")).astype(object)


def generate_repairs(block: Block, rng: np.random.Generator, day: date, tz: str, net: Network, storm: Storm,
                     scale: float, limits: TimeLimits, now: float) -> None:
    """Append `day`'s repairs to the block."""
    stamp = day.strftime("%Y%m%d")
    g = net.grids
    shape = hour_shape("faults")
    factor = day_factor(day, "faults")
    # Outages first: each one's first call opens its repair order, the rest join it.
    starts = instants(rng, day, tz, OUTAGES_PER_DAY * scale * factor * storm.outages, shape)
    n_out = starts.size
    o_grid = rng.choice(g.ids.size, size=n_out, p=g.weights)
    kind_ix = rng.choice(DEVICE_KINDS.size, size=n_out, p=DEVICE_ODDS)
    o_customers = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(DEVICE_CUSTOMERS[kind_ix]), 0.5))),
                             g.customers[o_grid]).astype(int)
    o_calls = 1 + rng.poisson(np.minimum(o_customers * CALLS_PER_CUSTOMER * (1 + 0.2 * (storm.load - 1)), 30))
    first_call = starts + np.round(rng.uniform(60, 600, n_out))
    # Single-customer orders.
    reported = instants(rng, day, tz, ORDERS_PER_DAY * scale * factor * storm.load - n_out, shape,
                        at_least=0 if n_out else 1)
    n_one = reported.size
    one_grid = rng.choice(g.ids.size, size=n_one, p=g.weights)
    categories = np.concatenate([np.where(kind_ix == 0, "lv", "hv").astype(object),
                                 _pick(rng, CATEGORIES, CATEGORY_ODDS, n_one)])
    grid_ix = np.concatenate([o_grid, one_grid])
    rep = np.concatenate([first_call, reported])
    n = rep.size
    area = g.area_classes[grid_ix].astype(str)
    t = repair_times(rng, rep, area, storm, limits, now)
    channels = _pick(rng, CHANNELS, CHANNEL_ODDS, n)
    sensitive = rng.random(n) < 0.03
    priority = _priority(categories, sensitive)
    report_count = np.concatenate([o_calls, 1 + (rng.random(n_one) < 0.1)])
    lon = g.lon[grid_ix] + rng.normal(0, 0.004, n)
    lat = g.lat[grid_ix] + rng.normal(0, 0.003, n)
    crew_pick = rng.random(n)  # drawn either way, whatever the crews: the stream must not depend on them
    crews = (net.crews[(crew_pick * net.crews.size).astype(int)] if net.crews.size
             else np.full(n, None, dtype=object))
    customers = np.concatenate([o_customers, np.ones(n_one, dtype=int)])
    o0, w0 = len(block.outages), len(block.work_orders)
    dt = {k: to_datetimes(v) for k, v in t.items()}
    rep_dt = to_datetimes(rep)
    for i in range(n):
        block.work_orders.append({
            "id": w0 + i, "status": "closed", "version": 7, "category": categories[i], "priority": priority[i],
            "channel": channels[i], "grid_id": g.ids[grid_ix[i]], "district": g.districts[grid_ix[i]],
            "area_class": area[i], "outside_grid": False, "needs_screening": categories[i] in SCREEN_FIRST,
            "lon": float(lon[i]), "lat": float(lat[i]), "address": None, "customers_affected": int(customers[i]),
            "sensitive": bool(sensitive[i]), "report_count": int(report_count[i]), "crew_id": crews[i],
            "merged_into": None, "outage_id": o0 + i if i < n_out else None, "reported_at": rep_dt[i],
            "arrival_due": dt["arrival_due"][i], "restore_due": dt["restore_due"][i], "due_at": None, "level": 0,
            "overdue": False, "escalate_at": None, "dispatched_at": dt["dispatched"][i],
            "arrived_at": dt["arrived"][i], "restored_at": dt["restored"][i], "closed_at": dt["closed"][i],
            "updated_at": dt["closed"][i]})
    _timeline(block, rng, w0, n, dt, t, crews)
    _outages(block, rng, net, o_grid, kind_ix, o_customers, o_calls, starts, t["restored"][:n_out], w0)
    _reports(block, rng, stamp, g.ids[grid_ix], rep, t["restored"], report_count, grid_ix, lon, lat, categories, priority, channels, customers,
             sensitive, w0, o0, n_out)


def _timeline(block: Block, rng, w0: int, n: int, dt: dict, t: dict, crews) -> None:
    """Each order's assignment by a dispatcher, and the 催办 that an order late on arrival went through (the
    overdue level reached at its limit): what the per-dispatcher figures read."""
    who = DISPATCHERS[rng.integers(0, DISPATCHERS.size, n)]
    late = t["arrived"] > t["arrival_due"]
    for i in range(n):
        block.workorder_events.append({
            "workorder_id": w0 + i, "at": dt["dispatched"][i], "action": "assign", "from_status": "received",
            "to_status": "dispatched", "actor": who[i], "note": f"crew {crews[i]}" if crews[i] else None})
        if late[i]:
            block.workorder_events.append({
                "workorder_id": w0 + i, "at": dt["arrival_due"][i], "action": "escalated", "from_status": None,
                "to_status": None, "actor": "system", "note": "arrival limit: level 3 → 4 (overdue)"})


def _outages(block: Block, rng, net: Network, grid_ix, kind_ix, customers, calls, starts, ends, w0: int) -> None:
    g = net.grids
    n = starts.size
    care = np.where(rng.random(n) < CARE_ODDS, 1 + rng.poisson(1.5, n), 0)
    etr = starts + np.round(rng.lognormal(np.log(7200), 0.4, n))
    start_dt, end_dt, etr_dt = to_datetimes(starts), to_datetimes(ends), to_datetimes(etr)
    causes = CAUSES[rng.integers(0, CAUSES.size, n)]
    picks = rng.random(n)
    for i in range(n):
        gid, kind = g.ids[grid_ix[i]], DEVICE_KINDS[kind_ix[i]]
        there = net.devices.get((gid, kind))
        device = there[int(picks[i] * there.size)] if there is not None and there.size else None
        lon, lat = net.device_places.get(device, (float(g.lon[grid_ix[i]]), float(g.lat[grid_ix[i]])))
        block.outages.append({
            "id": len(block.outages), "external_id": None, "content_hash": None, "status": "restored",
            "source": "calls", "device_id": device, "locked": False, "covered_by": None, "merged_into": None,
            "workorder_id": w0 + i, "calls": int(calls[i]), "care_customers": int(care[i]),
            "reason": "history", "device_kind": kind, "area_class": g.area_classes[grid_ix[i]],
            "etr_basis": None, "lon": lon, "lat": lat, "kind": "unplanned", "grid_ids": [gid],
            "geometry": None, "districts": [g.districts[grid_ix[i]]], "start": start_dt[i], "etr": etr_dt[i],
            "end": end_dt[i], "customers_affected": int(customers[i]), "sensitive_customers": int(care[i]),
            "cause": causes[i], "notified_at": None, "maintenance": None, "device_ids": None,
            "updated_at": end_dt[i]})


def _reports(block: Block, rng, stamp: str, grid_ids, rep, restored, report_count, grid_ix, lon, lat, categories, priority, channels,
             customers, sensitive, w0: int, o0: int, n_out: int) -> None:
    """Each order's calls: the first at its report, the others within the next half hour (an outage's neighbours)."""
    order_ix = np.repeat(np.arange(rep.size), report_count)
    first = np.concatenate([[True], order_ix[1:] != order_ix[:-1]]) if order_ix.size else np.array([], bool)
    later = np.round(rng.exponential(600, order_ix.size))
    at = rep[order_ix] + np.where(first, 0, np.minimum(later, np.maximum(restored[order_ix] - rep[order_ix] - 60, 0)))
    at_dt, received_dt = to_datetimes(at), to_datetimes(at + rng.integers(1, 20, order_ix.size))
    for k in range(order_ix.size):
        i = int(order_ix[k])
        block.fault_reports.append({
            "external_id": f"HIST-{stamp}-{k:06d}", "content_hash": f"history-{stamp}-{k}",
            "reported_at": at_dt[k], "received_at": received_dt[k], "lon": float(lon[i]), "lat": float(lat[i]),
            "crs": "wgs84", "category": categories[i], "priority": priority[i], "channel": channels[i],
            "customer_id": None, "customer_name": None, "phone": None, "address": None, "description": None,
            "customers_affected": 1 if i < n_out else int(customers[i]), "sensitive": bool(sensitive[i]),
            "grid_id": grid_ids[i], "merged_from": None, "transformer_id": None, "located_by": None,
            "feeder_id": None, "outage_id": o0 + i if i < n_out else None, "screening": None,
            "workorder_id": w0 + i})
