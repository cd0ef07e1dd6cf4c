"""GET /staffing: the Erlang C what-if for given figures, or without them the live staffing per queue."""
from __future__ import annotations

from flask import jsonify, request

from dashboard.api.answers import ErrorOut
from dashboard.api.answers.staffing import LiveStaffingOut, StaffingOut
from dashboard.api.routes import RouteTable, query_param
from dashboard.domain import Role
from dashboard.figures.erlang_c import staffing
from dashboard.http import ApiError
from dashboard.services.staffing import live_staffing
from dashboard.timeutil import iso

READERS = frozenset({Role.executive, Role.admin, Role.dispatcher})
MAX_AGENTS = 100_000
# name: (kind, lowest, highest, lowest allowed itself, description); the bounds keep one answer to milliseconds.
PARAMS = {
    "calls_per_hour": (float, 0.0, 100_000.0, True, "calls offered per hour"),
    "aht_s": (float, 0.0, 7200.0, False, "average handle time, s (talk + wrap-up)"),
    "target_sl": (float, 0.0, 1.0, False, "the share to answer within target_s, strictly between 0 and 1"),
    "target_s": (float, 0.0, 3600.0, True, "the answer time of the service level, s"),
    "shrinkage": (float, 0.0, 0.95, True, "the share of rostered time off the phones (0 ≤ s ≤ 0.95)"),
    "max_occupancy": (float, 0.0, 1.0, False, "an occupancy cap on the agents needed (default 1)"),
    "agents": (int, 1, MAX_AGENTS, True, "the figures for this many agents instead of the fewest needed"),
}


def _read(name: str):
    kind, low, high, low_ok, _ = PARAMS[name]
    value = query_param(name, kind)
    if value is None:
        return None
    # target_sl and max_occupancy may be 1 (upper bound inclusive) except target_sl, which must stay below 1.
    high_ok = name != "target_sl"
    if value < low or (value == low and not low_ok) or value > high or (value == high and not high_ok):
        raise ApiError(422, "validation_failed", f"query parameter {name} is out of range: {PARAMS[name][4]}",
                       [{"field": name, "message": "out of range"}])
    return value


def register(table: RouteTable, services) -> None:
    query = tuple({"name": n, "in": "query", "required": False, "description": d,
                   "schema": {"type": "integer" if k is int else "number"}} for n, (k, _, _, _, d) in PARAMS.items())

    @table.add("GET", "/staffing", summary="Erlang C: agents, service level, ASA, occupancy, probability of "
               "waiting and staff with shrinkage for the figures given; without calls_per_hour and aht_s, the "
               "live staffing per queue (trailing arrival rate and AHT against the agents logged in)",
               roles=READERS, query=query, responses={200: (StaffingOut, LiveStaffingOut), 422: ErrorOut})
    def get_staffing():
        values = {name: _read(name) for name in PARAMS}
        rule = services.rule
        if not any(name in request.args for name in PARAMS):
            now = services.clock()
            with services.db.read() as session:
                queues = live_staffing(session, now, rule)
            return jsonify({"at": iso(now), "window_min": rule.staffing_window_min, "queues": queues})
        for name in ("calls_per_hour", "aht_s"):
            if values[name] is None:
                raise ApiError(422, "validation_failed", f"query parameter {name} is required for a what-if",
                               [{"field": name, "message": "required"}])
        inputs = {"calls_per_hour": values["calls_per_hour"], "aht_s": values["aht_s"],
                  "target_sl": rule.goal if values["target_sl"] is None else values["target_sl"],
                  "target_s": rule.target_s if values["target_s"] is None else values["target_s"],
                  "shrinkage": values["shrinkage"] or 0.0, "agents": values["agents"],
                  "max_occupancy": values["max_occupancy"] or 1.0}
        answer = staffing(inputs["calls_per_hour"], inputs["aht_s"], inputs["target_sl"], inputs["target_s"],
                          shrinkage=inputs["shrinkage"], agents=inputs["agents"],
                          max_occupancy=inputs["max_occupancy"])
        return jsonify({"inputs": inputs} | answer.as_dict())
