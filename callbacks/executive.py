"""Executive page callbacks: today against last week, the period's ranking and map, reliability and duty from the
server (each checks that an executive or admin is asking); the tiles and staffing follow the live push in the
browser (assets/executive/)."""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from dash import Input, Output, Patch, html, no_update

from callbacks.live import fn
from dashboard.domain import ON_TIME_TARGET, SERVICE_LEVEL_TARGET, Role
from dashboard.i18n import t
from dashboard.services.executive import PERIOD_DAYS, period_figures, storm_days, today_vs_last_week
from dashboard.services.reliability import ReliabilityQuery, reliability_report
from dashboard.services.roster import ROLES, on_duty
from dashboard.timeutil import iso
from dashboard.web.roles import require_role
from dashboard.web.sign_pages import lang
from layouts import ids
from layouts.executive import charts
from layouts.executive.tiles import TILES

EXECUTIVES = frozenset({Role.executive, Role.admin})
MAX_RELIABILITY_DAYS = 5 * 366  # as GET /reliability
TILE_SECTIONS = ("orders", "outages", "calls", "service")  # what the tiles read of period_kpis (the rest stays here)


def _tile_part(figures: dict) -> dict:
    return {k: {x: v for x, v in figures[k].items() if x != "queues"} if isinstance(figures.get(k), dict) else None
            for k in TILE_SECTIONS}


def _day(value: object) -> date | None:
    """A date the picker sent (YYYY-MM-DD, perhaps with a time); None for anything else."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _names(people: list[str], shown: int = 6) -> str:
    """The first few names of a role on duty, and how many more (eighty crews do not fit a panel)."""
    more = len(people) - shown
    return "、".join(people[:shown]) + (f" +{more}" if more > 0 else "") if people else "–"


def register(app, services) -> None:
    @app.callback(Output(ids.EXEC_TODAY, "data"), Output(ids.EXEC_CURVES, "figure"), Output(ids.EXEC_CALLS, "figure"),
                  Output(ids.EXEC_STAMP, "children"), Input(ids.EXEC_SLOW, "n_intervals"))
    def today(_n):
        require_role(services, EXECUTIVES)
        now, lang_, tz = services.clock(), lang(), services.config.timezone
        with services.db.read() as session:
            got = today_vs_last_week(session, now, services.rule, sustained_min=services.config.sustained_min)
        now_pts, week_pts = got["today"]["series"]["points"], got["last_week_day"]["series"]["points"]
        stamp = t("exec.updated", lang_).format(at=now.astimezone(ZoneInfo(tz)).strftime("%H:%M"))
        return ({"at": iso(now), "today": _tile_part(got["today"]), "baseline": _tile_part(got["baseline"])},
                charts.hourly_figure(now_pts, week_pts, "received", lang_, tz),
                charts.hourly_figure(now_pts, week_pts, "service_level", lang_, tz, pct=True), stamp)

    @app.callback(Output(ids.EXEC_FIGURES, "data"), Output(ids.EXEC_RANKING, "children"),
                  Input(ids.EXEC_PERIOD, "value"), Input(ids.EXEC_SLOW, "n_intervals"))
    def period(choice, _n):
        require_role(services, EXECUTIVES)
        choice = choice if choice in PERIOD_DAYS else "today"
        with services.db.read() as session:
            got = period_figures(session, choice, services.clock(), services.rule,
                                 sustained_min=services.config.sustained_min)
        by_grid = [{k: g.get(k) for k in ("grid", *charts.MEASURES)} for g in got["by_grid"]]
        return {"period": choice, "by_grid": by_grid}, charts.ranking_table(got["by_district"], lang(), ON_TIME_TARGET)

    @app.callback(Output(ids.EXEC_MAP, "figure"), Input(ids.EXEC_FIGURES, "data"), Input(ids.EXEC_MEASURE, "value"))
    def colour_map(figures, measure):
        require_role(services, EXECUTIVES)
        if not isinstance(figures, dict) or not isinstance(figures.get("by_grid"), list):
            return no_update
        grid_ids = [f["properties"]["id"] for f in services.catalog.feature_collection["features"]]
        measure = measure if measure in charts.MEASURES else "received"
        values = charts.map_values([g for g in figures["by_grid"] if isinstance(g, dict)], grid_ids, measure)
        patch = Patch()  # the outlines stay in the browser: only the measure's colours and hover texts travel
        patch["data"][1]["z"] = values["z"]
        patch["data"][1]["customdata"] = values["text"]
        patch["data"][1]["reversescale"] = values["reverse"]
        patch["data"][1]["zmin"], patch["data"][1]["zmax"] = values["zmin"], values["zmax"]
        patch["data"][1]["colorbar"]["tickformat"] = ".0%" if measure.endswith("_rate") else ""
        patch["data"][1]["showscale"] = values["any"]  # no scale for a period with nothing to colour
        patch["layout"]["annotations"] = [] if values["any"] else [charts.NO_DATA | {"text": t("exec.none", lang())}]
        return patch

    @app.callback(Output(ids.EXEC_RELIABILITY, "data"), Output(ids.EXEC_REL_TABLE, "children"),
                  Output(ids.EXEC_REL_CHART, "figure"), Input(ids.EXEC_REL_RANGE, "start_date"),
                  Input(ids.EXEC_REL_RANGE, "end_date"), Input(ids.EXEC_REL_DISTRICT, "value"),
                  Input(ids.EXEC_SLOW, "n_intervals"))
    def reliability(start, end, district, _n):
        require_role(services, EXECUTIVES)
        lang_, tz, now = lang(), services.config.timezone, services.clock()
        first, last = _day(start), _day(end)
        today = now.astimezone(ZoneInfo(tz)).date()
        if district is not None and district not in services.catalog.districts():
            district = None
        if first is None or last is None or first > last or first > today or \
                (last - first).days >= MAX_RELIABILITY_DAYS or first.year < 2000:
            return no_update, html.P(t("exec.rel.bad_period", lang_), className="exec-bad"), no_update
        q = ReliabilityQuery(first, last + timedelta(days=1), district, 3, services.config.sustained_min,
                             services.config.med_history_days, True)
        with services.db.read() as session:
            report = reliability_report(session, q, tz, now)
        kept = {"from": report["from"], "to": report["to"], "to_last": last.isoformat(), "district": district,
                "asai": report["all"]["asai"], "asai_target": report["asai_target"], "meets_target": report["meets_target"],
                "med_days": [d["date"] for d in report["med"]["days"]],
                "saidi": {d["date"]: d["saidi"] for d in report["daily"]}}
        return kept, charts.reliability_table(report, lang_), charts.reliability_chart(report, lang_)

    @app.callback(Output(ids.EXEC_STORMS, "children"), Input(ids.EXEC_RELIABILITY, "data"))
    def storms(kept):
        require_role(services, EXECUTIVES)
        if not isinstance(kept, dict) or not isinstance(kept.get("med_days"), list):
            return no_update
        days = [d for d in map(_day, kept["med_days"][-50:]) if d is not None]
        district = kept.get("district") if kept.get("district") in services.catalog.districts() else None
        with services.db.read() as session:
            rows = storm_days(session, days, services.clock(), services.rule, district,
                              sustained_min=services.config.sustained_min)
        saidi = kept.get("saidi") if isinstance(kept.get("saidi"), dict) else {}
        saidi = {k: v for k, v in saidi.items() if isinstance(v, (int, float))}
        return charts.storm_table(rows, saidi, lang(), {"on_time_arrival_rate": ON_TIME_TARGET,
                                                        "service_level": SERVICE_LEVEL_TARGET})

    @app.callback(Output(ids.EXEC_DUTY, "children"), Output(ids.EXEC_ROSTERED, "data"),
                  Input(ids.EXEC_SLOW, "n_intervals"))
    def duty(_n):
        require_role(services, EXECUTIVES)
        lang_ = lang()
        with services.db.read() as session:
            now_on = on_duty(session, services.clock(), phones=False)
        rows = [html.Div([html.Span(f"{t(f'admin.role.{r}', lang_)} {len(now_on[r])}", className="exec-duty-role"),
                          html.Span(_names([s["person"] for s in now_on[r]]), className="exec-duty-names")],
                         className="exec-duty-row") for r in ROLES]
        # Seats rostered now per queue: a seat's shift names its group (the queue) as its team.
        rostered: dict[str, int] = {}
        for shift in now_on["seat"]:
            if shift["team"]:
                rostered[shift["team"]] = rostered.get(shift["team"], 0) + 1
        return [html.H3(t("exec.duty", lang_), className="exec-subhead"), *rows], rostered

    cb = app.clientside_callback
    # The server's figures are kept aside in the browser as they come: a callback reading those stores would wait
    # for the slowest server answer before drawing anything (Dash holds a callback while any of its inputs or
    # states is still being computed), and the tiles can show the live figures well before.
    cb(fn("executive", "keep"), Output(ids.EXEC_KEPT, "data"), Input(ids.EXEC_TODAY, "data"),
       Input(ids.EXEC_RELIABILITY, "data"), Input(ids.EXEC_ROSTERED, "data"))
    cb(fn("executive", "tiles"), [Output(f"exec-tile-{x.key}", "children") for x in TILES],
       Input(ids.META, "data"), Input(ids.TICK, "n_intervals"), Input(ids.EXEC_KEPT, "data"))
    cb(fn("executive", "staffing"), Output(ids.EXEC_STAFFING, "children"), Input(ids.META, "data"),
       Input(ids.TICK, "n_intervals"))
