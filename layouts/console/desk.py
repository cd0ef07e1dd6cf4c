"""The order's desk in the console: what it is, time left, the crews to send (keys 1-5), what may follow."""
from __future__ import annotations

from datetime import datetime

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids
from layouts.console import tickets
from layouts.local_time import hm


def empty(lang: str) -> html.Div:
    return html.Div(t("console.pick", lang), className="desk-empty")


def detail(order: dict, lang: str, now: datetime, tz: str) -> html.Div:
    """The order: state and level, time left against the limit running now, the calls, the timeline."""
    left = None
    if order.get("due_at"):
        left = (datetime.fromisoformat(order["due_at"].replace("Z", "+00:00")) - now).total_seconds() / 60
    state = t(f"order.{order['status']}", lang)
    level = order.get("level") or 0
    facts = [
        (t("console.col.category", lang), t(f"category.{order['category']}", lang)),
        (t("console.col.district", lang), f"{order.get('district') or '–'} · {order.get('grid_id') or '–'}"),
        (t("console.col.address", lang), order.get("address") or "–"),
        (t("console.col.customers", lang), str(order["customers_affected"])),
        (t("console.col.reports", lang), str(order["report_count"])),
        (t("console.col.crew", lang), order.get("crew_id") or "–"),
        (t("console.reported", lang), hm(order["reported_at"], tz)),
        (t("console.due", lang), hm(order.get("due_at"), tz)),
    ]
    reports = [html.Li([html.B(hm(r["reported_at"], tz)), " ",
                        " · ".join(x for x in (r.get("customer_name"), r.get("phone"), r.get("address"),
                                               r.get("description")) if x) or r["external_id"],
                        " ▲" if r["sensitive"] else ""]) for r in order["reports"]]
    timeline = [html.Li([html.B(hm(e["at"], tz)), f" {t('action.' + e['action'], lang)}",
                         f" {t('order.' + e['to'], lang)}" if e.get("to") else "", f" · {e['actor']}",
                         f" · {e['note']}" if e.get("note") else ""]) for e in reversed(order["timeline"])]
    return html.Div([
        html.Div([html.Span(f"#{order['id']}", className="desk-id"), html.Span(state, className="desk-state"),
                  html.Span(t(f"warn.{level}", lang) if level else t("console.in_time", lang),
                            className=f"desk-level level-{min(level, 4)}"),
                  html.Span("▲ " + t("console.sensitive", lang), className="desk-sensitive")
                  if order["sensitive"] else None,
                  html.Span(_left(left, lang), className="desk-left" + (" late" if order.get("overdue") else ""),
                            **{"data-due": order.get("due_at") or ""})],
                 className="desk-head"),
        html.Dl([x for k, v in facts for x in (html.Dt(k), html.Dd(v))], className="desk-facts"),
        html.Details([html.Summary(f"{t('console.calls', lang)} ({len(reports)})"), html.Ul(reports)], open=True),
        tickets.on_order(order.get("tickets") or [], lang),
        html.Details([html.Summary(t("console.timeline", lang)), html.Ul(timeline, className="desk-timeline")],
                     open=True),
    ], className="desk-detail")


def _left(minutes: float | None, lang: str) -> str:
    if minutes is None:
        return "–"
    if minutes >= 0:
        return f"{t('alarm.left', lang)} {int(minutes)} {t('wall.min', lang)}"
    return f"{t('alarm.late', lang)} {int(-minutes)} {t('wall.min', lang)}"


def candidates(crews: list[dict], version: int, assignable: bool, lang: str) -> html.Div:
    """The best crews, each with why it ranks there; key N (or the button) asks to send the N-th."""
    if not assignable:
        return html.Div(t("console.not_assignable", lang), className="desk-note")
    if not crews:
        return html.Div(t("console.no_crews", lang), className="desk-note")
    rows = []
    for rank, c in enumerate(crews, start=1):
        why = [f"{c['distance_km']:.1f} km", f"ETA {c['eta_min']:.0f} {t('wall.min', lang)}",
               t("console.skill_ok" if c["skill_match"] else "console.skill_no", lang),
               f"{t('console.today', lang)} {c['orders_today']}"]
        rows.append(html.Div([
            html.Button(f"{rank} · {t('console.assign', lang)}", className="assign-button",
                        id={"type": "assign", "crew": c["crew_id"], "version": version},
                        **{"data-rank": str(rank), "data-crew": c["name"], "data-eta": f"{c['eta_min']:.0f}"}),
            html.Span(c["name"], className="cand-name"), html.Span(c["crew_id"], className="cand-id"),
            html.Span(" · ".join(why), className="cand-why" + ("" if c["skill_match"] else " cand-weak"))],
            className="candidate"))
    return html.Div([html.Div(t("console.candidates", lang), className="desk-subtitle"), *rows])


def actions(order: dict, following: list[str], lang: str) -> html.Div:
    """What a dispatcher may do with it now: move it on, cancel (a reason is required), merge, undo a merge."""
    version = order["version"]
    moves = [html.Button(t(f"order.{to}", lang), id={"type": "go", "to": to, "version": version},
                         className="go-button" + (" danger" if to == "cancelled" else "")) for to in following]
    unmerge = [html.Button(f"{t('console.unmerge', lang)} #{m['id']}", id={"type": "unmerge", "order": m["id"]},
                           className="go-button") for m in order.get("merged_from", [])]
    return html.Div([
        html.Div([html.Span(t("console.move", lang), className="desk-subtitle"), *moves], className="desk-row"),
        html.Div([dcc.Input(id=ids.REASON, placeholder=t("console.reason", lang), className="desk-input",
                            maxLength=200, debounce=False)], className="desk-row"),
        html.Div([html.Span(t("console.merge", lang), className="desk-subtitle"),
                  dcc.Input(id=ids.MERGE_INTO, type="number", min=1, placeholder="#", className="desk-input small"),
                  html.Button(t("console.merge_go", lang), id=ids.MERGE_GO, className="go-button"), *unmerge],
                 className="desk-row"),
    ])
