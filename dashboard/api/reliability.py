"""GET /reliability: IEEE 1366 indices of a period and district, with and without the major event days."""
from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import jsonify

from dashboard.api.answers import ErrorOut
from dashboard.api.answers.reliability import ReliabilityOut
from dashboard.api.routes import RouteTable, query_param
from dashboard.domain import Role
from dashboard.http import ApiError
from dashboard.services.reliability import ReliabilityQuery, reliability_report

READERS = frozenset({Role.executive, Role.admin, Role.dispatcher})
MAX_PERIOD_DAYS = 5 * 366  # five years: the longest period, and the MED history's default depth
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _bad(name: str, message: str) -> ApiError:
    return ApiError(422, "validation_failed", f"query parameter {name} {message}", [{"field": name,
                                                                                  "message": message}])


def query_date(name: str) -> date | None:
    """A local date (YYYY-MM-DD, years 2000–2099), or None when absent; 422 naming it otherwise."""
    value = query_param(name, maximum=10)
    if value is None:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise _bad(name, "must be a date YYYY-MM-DD") from None
    if not 2000 <= day.year <= 2099:
        raise _bad(name, "must lie in the years 2000–2099")
    return day


def register(table: RouteTable, services) -> None:
    db = services.db

    @table.add("GET", "/reliability", summary="IEEE 1366 reliability of the local days [from, to) and a district: "
               "SAIFI, SAIDI, CAIDI, ASAI, CEMIn, with and without the major event days (2.5β), against the ASAI "
               "commitment", roles=READERS, responses={200: ReliabilityOut, 422: ErrorOut}, query=(
                   {"name": "from", "in": "query", "description": "first day (local), default 1 January of `to`'s "
                    "year", "schema": {"type": "string", "format": "date"}},
                   {"name": "to", "in": "query", "description": "the day after the last (local), default tomorrow",
                    "schema": {"type": "string", "format": "date"}},
                   {"name": "district", "in": "query", "schema": {"type": "string", "maxLength": 64}},
                   {"name": "n", "in": "query", "description": "CEMIn: more than n interruptions (default 3)",
                    "schema": {"type": "integer", "minimum": 0, "maximum": 100}},
                   {"name": "planned", "in": "query", "description": "count planned outages (default true)",
                    "schema": {"type": "boolean"}}))
    def get_reliability():
        now = services.clock()
        tz = services.rule.timezone
        today = now.astimezone(ZoneInfo(tz)).date()
        end = query_date("to") or today + timedelta(days=1)
        start = query_date("from") or date(end.year if end > date(end.year, 1, 1) else end.year - 1, 1, 1)
        if start >= end:
            raise _bad("from", "must be before to")
        if (end - start).days > MAX_PERIOD_DAYS:
            raise _bad("to", f"lies more than {MAX_PERIOD_DAYS} days after from")
        if start > today:
            raise _bad("from", "lies in the future")
        district = query_param("district", maximum=64)
        if district is not None and district not in services.catalog.districts():
            raise _bad("district", "is not a district of the service grids")
        n = query_param("n", int, minimum=0, maximum=100)
        planned = query_param("planned", bool)
        q = ReliabilityQuery(start, end, district, 3 if n is None else n, services.config.sustained_min,
                             services.config.med_history_days, True if planned is None else planned)
        with db.read() as session:
            return jsonify(reliability_report(session, q, tz, now))
