"""One day's planned outages (计划检修 noticed a week ahead, 临时检修 a day ahead; a few noticed late) and the calls
customers made about them anyway (linked to the outage, no order: no crew goes)."""
from __future__ import annotations

from datetime import date

import numpy as np

from dashboard.domain import Maintenance
from dashboard.history.block import Block
from dashboard.history.network import Network
from dashboard.history.rates import PLANNED_PER_DAY
from dashboard.history.timeline import day_bounds, to_datetimes
from dashboard.services.planned_notice import notice_rule

TEMPORARY_SHARE = 0.2
LATE_NOTICE_ODDS = 0.03
WORKS = np.array(["线路检修", "变压器更换", "配网改造", "设备预试", "开关更换", "迁改工程"], dtype=object)


def generate_planned(block: Block, rng: np.random.Generator, day: date, tz: str, net: Network, scale: float) -> None:
    """Append `day`'s planned outages (they start between 07:00 and 10:00 local and last 2–8 h; a storm does not
    change them: they were planned before) and their calls."""
    g = net.grids
    n = int(rng.poisson(PLANNED_PER_DAY * scale * (0.4 if day.weekday() >= 5 else 1.24)))  # few at weekends
    if not n:
        return
    start_of_day, _ = day_bounds(day, tz)
    starts = start_of_day + np.round((7 + rng.uniform(0, 3, n)) * 3600 / 600) * 600
    ends = starts + np.round(rng.uniform(2, 8, n) * 3600 / 600) * 600
    grid_ix = rng.choice(g.ids.size, size=n, p=g.weights)
    customers = np.minimum(np.maximum(20, np.round(rng.lognormal(np.log(200), 0.6, n))), g.customers[grid_ix])
    temporary = rng.random(n) < TEMPORARY_SHARE
    late = rng.random(n) < LATE_NOTICE_ODDS
    lead = np.array([notice_rule(Maintenance.temporary if t else Maintenance.scheduled)[1].total_seconds()
                     for t in temporary])
    ahead = np.where(late, lead * rng.uniform(0.2, 0.9, n), lead * rng.uniform(1.0, 1.6, n) + 3600)
    care = np.where(rng.random(n) < 0.15, 1 + rng.poisson(1.0, n), 0)
    calls = rng.poisson(1.2, n)
    start_dt, end_dt, notified_dt = to_datetimes(starts), to_datetimes(ends), to_datetimes(starts - np.round(ahead))
    works = WORKS[rng.integers(0, WORKS.size, n)]
    stamp = day.strftime("%Y%m%d")
    o0 = len(block.outages)
    picks = rng.random(n)  # drawn either way: the stream must not depend on the network being loaded
    for i in range(n):
        gid, district = g.ids[grid_ix[i]], g.districts[grid_ix[i]]
        switch = net.devices.get((gid, "switch"))
        device_ids = [switch[int(picks[i] * switch.size)]] if switch is not None and switch.size else None
        block.outages.append({
            "id": o0 + i, "external_id": f"HIST-P-{stamp}-{i:04d}", "content_hash": f"history-p-{stamp}-{i}",
            "status": "restored", "source": "planned", "device_id": None, "locked": True, "covered_by": None,
            "merged_into": None, "workorder_id": None, "calls": int(calls[i]), "care_customers": int(care[i]),
            "reason": None, "device_kind": None, "area_class": g.area_classes[grid_ix[i]], "etr_basis": None,
            "lon": float(g.lon[grid_ix[i]]), "lat": float(g.lat[grid_ix[i]]), "kind": "planned", "grid_ids": [gid],
            "geometry": None, "districts": [district], "start": start_dt[i], "etr": end_dt[i], "end": end_dt[i],
            "customers_affected": int(customers[i]), "sensitive_customers": int(care[i]), "cause": works[i],
            "notified_at": notified_dt[i],
            "maintenance": Maintenance.temporary.value if temporary[i] else Maintenance.scheduled.value,
            "device_ids": device_ids, "updated_at": end_dt[i]})
        at = to_datetimes(starts[i] + np.sort(rng.uniform(60, 3600, calls[i])))
        for k, when in enumerate(at):
            block.fault_reports.append({
                "external_id": f"HIST-P-{stamp}-{i:04d}-{k}", "content_hash": f"history-p-{stamp}-{i}-{k}",
                "reported_at": when, "received_at": when, "lon": float(g.lon[grid_ix[i]]),
                "lat": float(g.lat[grid_ix[i]]), "crs": "wgs84", "category": "lv", "priority": "normal",
                "channel": "phone", "customer_id": None, "customer_name": None, "phone": None, "address": None,
                "description": None, "customers_affected": 1, "sensitive": False, "grid_id": gid,
                "merged_from": None, "transformer_id": None, "located_by": None, "feeder_id": None,
                "outage_id": o0 + i, "screening": None, "workorder_id": None})
