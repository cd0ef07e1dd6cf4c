"""One day of hotline calls per queue (the simulator's queues and seat groups): offered, then answered and ended,
or abandoned; answered mostly within the service-level target on a calm day, far less so in a storm."""
from __future__ import annotations

from datetime import date

import numpy as np

from dashboard.history.block import Block
from dashboard.history.rates import CALLS_PER_DAY, Storm, day_factor, hour_shape
from dashboard.history.timeline import day_bounds, instants, to_datetimes
from dashboard.simulator.callcenter import SEAT_GROUPS

CALM_WAIT_S = 6.0  # mean wait before an agent answers, calm
MEAN_PATIENCE_S = 180.0  # a caller hangs up after waiting this long on average
MEDIAN_TALK_S = {"repair": 150.0, "enquiry": 200.0, "complaint": 320.0}
_SEATS = dict(SEAT_GROUPS)


def generate_calls(block: Block, rng: np.random.Generator, day: date, tz: str, storm: Storm, scale: float) -> None:
    """Append `day`'s calls. In a storm the repair queue takes storm.load times its calls and waits grow with it;
    the other queues feel a third of it."""
    stamp = day.strftime("%Y%m%d")
    shape = hour_shape("calls")
    factor = day_factor(day, "calls")
    start, _ = day_bounds(day, tz)
    for queue, per_day in CALLS_PER_DAY.items():
        load = storm.load if queue == "repair" else 1 + (storm.load - 1) / 3
        offered = instants(rng, day, tz, per_day * scale * factor * load, shape)
        n = offered.size
        # Busy hours wait longer: the wait scales with the hour's weight and the storm.
        hour_load = shape[np.clip(((offered - start) / 3600).astype(int), 0, 23)] * 24
        wait = rng.exponential(CALM_WAIT_S * np.maximum(hour_load, 0.3) * load ** 1.6, n)
        patience = rng.exponential(MEAN_PATIENCE_S, n)
        abandoned = patience < wait
        talk = rng.lognormal(np.log(MEDIAN_TALK_S[queue]), 0.6, n)
        answered_at = offered + np.round(wait)
        ended_at = answered_at + np.round(talk)
        offered_dt = to_datetimes(offered)
        answered_dt, ended_dt = to_datetimes(answered_at), to_datetimes(ended_at)
        abandoned_dt = to_datetimes(offered + np.round(np.maximum(patience, 1)))
        seats = rng.integers(1, _SEATS.get(queue, 10) + 1, n)
        prefix = queue[:3].upper()
        for i in range(n):
            if abandoned[i]:
                block.calls.append({"id": f"HIST-{stamp}-{prefix}-{i:06d}", "queue": queue,
                                    "offered_at": offered_dt[i], "answered_at": None,
                                    "abandoned_at": abandoned_dt[i], "ended_at": None, "seat_id": None})
            else:
                block.calls.append({"id": f"HIST-{stamp}-{prefix}-{i:06d}", "queue": queue,
                                    "offered_at": offered_dt[i], "answered_at": answered_dt[i],
                                    "abandoned_at": None, "ended_at": ended_dt[i],
                                    "seat_id": f"{prefix}-{seats[i]:02d}"})
