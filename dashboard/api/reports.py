"""Reports, workload and the duty roster over HTTP: the day's report and the monthly assessment as CSV/XLSX files,
the workload as JSON, the roster replaced by admins and read by people."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Response, g, jsonify

from dashboard.api.answers import ErrorOut
from dashboard.api.answers.reports import OnDutyOut, RosterSavedOut, WorkloadOut
from dashboard.api.routes import PEOPLE, RouteTable, Text, parse, query_param, query_time
from dashboard.domain import Role
from dashboard.http import ApiError
from dashboard.reports.assessment import build_assessment, month_bounds
from dashboard.reports.cells import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx
from dashboard.reports.daily import build_daily, day_bounds
from dashboard.schemas import EARLIEST_YEAR, LATEST_YEAR, RosterIn
from dashboard.services.audit import Actor
from dashboard.services.roster import on_duty, replace_roster
from dashboard.services.workload import compute_workload

READERS = frozenset({Role.executive, Role.admin, Role.dispatcher})
EDITORS = frozenset({Role.admin})
MAX_DAYS = 93  # the longest period one request reads
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
FILES = {200: (Text(XLSX_TYPE), Text(CSV_TYPE)), 422: ErrorOut}


def _bad(name: str, message: str) -> ApiError:
    return ApiError(422, "validation_failed", f"query parameter {name} {message}", [{"field": name,
                                                                                       "message": message}])


def query_day(name: str) -> date | None:
    value = query_param(name, maximum=10)
    if value is None:
        return None
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise _bad(name, "must be a day, YYYY-MM-DD") from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise _bad(name, f"must be a day between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return day


def query_month(name: str) -> date | None:
    value = query_param(name, maximum=7)
    if value is None:
        return None
    try:
        if not _MONTH.fullmatch(value):
            raise ValueError
        month = date.fromisoformat(value + "-01")
    except ValueError:
        raise _bad(name, "must be a month, YYYY-MM") from None
    if not EARLIEST_YEAR <= month.year <= LATEST_YEAR:
        raise _bad(name, f"must be a month between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return month


def _day_range(tz: str, today: date) -> tuple[date, date]:
    """`date`, or `from`..`to` (days, inclusive), or today."""
    day, first, last = query_day("date"), query_day("from"), query_day("to")
    if day is not None and (first or last):
        raise _bad("date", "goes alone, or use from and to")
    first, last = (day, day) if day else (first or last or today, last or first or today)
    if last < first:
        raise _bad("to", "must not be before from")
    if (last - first).days >= MAX_DAYS:
        raise _bad("to", f"a report covers at most {MAX_DAYS} days")
    return first, last


def _file(content: bytes, fmt: str, name: str) -> Response:
    response = Response(content, mimetype=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE + "; charset=utf-8")
    response.headers["Content-Disposition"] = f"attachment; filename={name}.{fmt}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def register(table: RouteTable, services) -> None:
    db = services.db
    tz = services.rule.timezone
    fmt_query = {"name": "format", "in": "query", "required": False, "description": "xlsx (default) or csv",
                 "schema": {"type": "string", "enum": ["xlsx", "csv"]}}
    day_query = lambda name, text: {"name": name, "in": "query", "required": False,  # noqa: E731
                                    "description": text, "schema": {"type": "string", "format": "date"}}

    def today() -> date:
        return services.clock().astimezone(ZoneInfo(tz)).date()

    @table.add("GET", "/reports/daily", summary="The day's (or from..to's) report: orders, outages, KPIs, call "
               "center, workload; XLSX (a sheet each) or CSV (a block each); no customer names or phones",
               roles=READERS, responses=FILES,
               query=(day_query("date", "the day (center's calendar); default today"),
                      day_query("from", "first day, instead of date"), day_query("to", "last day, inclusive"),
                      fmt_query))
    def get_daily_report():
        fmt = query_param("format", choices=("xlsx", "csv")) or "xlsx"
        first, last = _day_range(tz, today())
        start, _ = day_bounds(first, tz)
        _, end = day_bounds(last, tz)
        end = min(end, max(services.clock(), start))  # a running day is reported up to now
        with db.read() as session:
            sections = build_daily(session, start, end, services.rule)
        name = f"gridcommand-{first}" + (f"_{last}" if last != first else "")
        zone = ZoneInfo(tz)
        return _file(to_xlsx(sections, zone) if fmt == "xlsx" else to_csv(sections, zone), fmt, name)

    @table.add("GET", "/reports/assessment", summary="The month's assessment (考核): a sheet per crew team, the "
               "dispatchers, a sheet per seat group", roles=READERS, responses=FILES,
               query=({"name": "month", "in": "query", "required": False, "description": "YYYY-MM; default "
                       "this month", "schema": {"type": "string"}}, fmt_query))
    def get_assessment():
        fmt = query_param("format", choices=("xlsx", "csv")) or "xlsx"
        month = query_month("month") or today().replace(day=1)
        start, end = month_bounds(month, tz)
        end = min(end, max(services.clock(), start))
        with db.read() as session:
            sections = build_assessment(session, start, end)
        zone = ZoneInfo(tz)
        return _file(to_xlsx(sections, zone) if fmt == "xlsx" else to_csv(sections, zone), fmt,
                     f"gridcommand-assessment-{month:%Y-%m}")

    @table.add("GET", "/workload", summary="Workload from..to: per seat and agent (calls, AHT, occupancy, "
               "not-ready), per dispatcher (orders, on-time arrival, escalations), per crew", roles=READERS,
               responses={200: WorkloadOut, 422: ErrorOut},
               query=({"name": "from", "in": "query", "required": False, "description": "a day (YYYY-MM-DD, "
                       "its start) or a time with an offset; default today's start", "schema": {"type": "string"}},
                      {"name": "to", "in": "query", "required": False, "description": "a day (its end, "
                       "inclusive) or a time; default now", "schema": {"type": "string"}}))
    def get_workload():
        now = services.clock()
        start = _instant("from", tz, end=False) or day_bounds(today(), tz)[0]
        end = _instant("to", tz, end=True) or now
        if end <= start:
            raise _bad("to", "must be after from")
        if end - start > timedelta(days=MAX_DAYS):
            raise _bad("to", f"a period is at most {MAX_DAYS} days")
        with db.read() as session:
            return jsonify(compute_workload(session, start, min(end, max(now, start + timedelta(seconds=1)))))

    @table.add("GET", "/roster", summary="Who is on duty at `at` (default now): the duty chief, dispatchers, "
               "seats, crews (phones null for viewers)", roles=PEOPLE, responses={200: OnDutyOut, 422: ErrorOut},
               query=({"name": "at", "in": "query", "required": False, "description": "a time with an offset",
                       "schema": {"type": "string", "format": "date-time"}},))
    def get_roster():
        at = query_time("at") or services.clock()
        with db.read() as session:
            return jsonify(on_duty(session, at, phones=g.principal.role != Role.viewer))

    @table.add("PUT", "/roster", summary="Replace the roster of the days from..to (validated whole)", roles=EDITORS,
               body=(RosterIn,), responses={200: RosterSavedOut})
    def put_roster():
        body = parse(RosterIn)
        with db.write() as session:
            return jsonify(replace_roster(session, body, services.clock(), Actor.of(g.principal)))


def _instant(name: str, tz: str, *, end: bool) -> datetime | None:
    """A query parameter that is a day (its start, or with `end` the next day's start) or a time with an offset."""
    value = query_param(name, maximum=64)
    if value is None:
        return None
    if _DAY.fullmatch(value):
        day = query_day(name)
        return day_bounds(day, tz)[1 if end else 0]
    return query_time(name)
