"""The console's service tickets (投诉, 举报, 咨询, 业务): the tab's list, most urgent first, and the ticket's desk —
its limits, level, timeline and the moves a dispatcher may make."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids

MOVES = {"received": ("contacted", "cancelled"), "contacted": ("closed", "cancelled")}


def when(value: str | None, tz: str) -> str:
    """An ISO time as MM-DD HH:MM in the center's zone: a ticket's limits run for days."""
    if not value:
        return "–"
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).strftime("%m-%d %H:%M")


def _level(ticket: dict, lang: str) -> html.Span:
    level = ticket.get("level") or 0
    return html.Span(t(f"warn.{level}", lang) if level else t("console.in_time", lang),
                     className=f"desk-level level-{min(level, 4)}")


def _row(ticket: dict, lang: str, tz: str) -> html.Div:
    return html.Div([
        html.Div([
            html.Button(f"#{ticket['id']}", id={"type": "ticket-open", "ticket": ticket["id"]}, className="lane-id"),
            html.Span(t(f"ticket.kind.{ticket['kind']}", lang), className=f"ticket-kind kind-{ticket['kind']}"),
            _level(ticket, lang),
            html.Span(f"{t('console.due', lang)} {when(ticket.get('due_at'), tz)}", className="lane-time"),
            html.Span(t(f"ticket.dept.{ticket['department']}", lang), className="lane-where"),
        ], className="lane-head"),
        html.Div(ticket["subject"], className="lane-who"),
    ], className=f"lane-card ticket-card ticket-level-{min(ticket.get('level') or 0, 4)}",
        **{"data-ticket": str(ticket["id"])})


def listing(data: dict | None, lang: str, tz: str) -> list:
    """The open tickets of one page, and how many more there are."""
    if data is None:
        return [html.Div(t("console.loading", lang), className="desk-note")]
    items = data["items"]
    more = data["count"] - len(items)
    return [html.Div(t("ticket.count", lang).format(n=data["count"]), className="lane-hint"),
            *([_row(i, lang, tz) for i in items] or [html.Div(t("ticket.none", lang), className="desk-note")]),
            html.Div(t("ticket.more", lang).format(n=more), className="desk-note") if more > 0 else None]


def pane(lang: str) -> html.Div:
    return html.Div(listing(None, lang, "UTC"), id=ids.TICKET_LIST, className="console-pane lane ticket-pane",
                    hidden=True)


def empty(lang: str) -> html.Div:
    return html.Div(t("ticket.pick", lang), className="desk-empty")


def detail(ticket: dict, lang: str, tz: str) -> html.Div:
    facts = [
        (t("ticket.received_at", lang), when(ticket["received_at"], tz)),
        (t("ticket.contact_due", lang), when(ticket["contact_due"], tz)
         + (f" ✓ {when(ticket['contacted_at'], tz)}" if ticket.get("contacted_at") else "")),
        (t("ticket.close_due", lang), when(ticket["close_due"], tz)
         + (f" ✓ {when(ticket['closed_at'], tz)}" if ticket.get("closed_at") else "")),
        (t("ticket.department", lang), t(f"ticket.dept.{ticket['department']}", lang)),
        (t("console.col.grid", lang), " · ".join(x for x in (ticket.get("district"), ticket.get("grid_id")) if x)
         or t("ticket.outside", lang)),
        (t("ticket.customer", lang), " · ".join(x for x in (ticket.get("customer_id"), ticket.get("phone")) if x)
         or "–"),
        (t("ticket.order", lang), f"#{ticket['related_workorder_id']}" if ticket.get("related_workorder_id") else "–"),
    ]
    timeline = [html.Li([html.B(when(e["at"], tz)), f" {t('action.' + e['action'], lang)}",
                         f" {t('ticket.status.' + e['to'], lang)}" if e.get("to") else "", f" · {e['actor']}",
                         f" · {e['note']}" if e.get("note") else ""]) for e in reversed(ticket["timeline"])]
    return html.Div([
        html.Div([html.Span(f"#{ticket['id']}", className="desk-id"),
                  html.Span(t(f"ticket.kind.{ticket['kind']}", lang), className=f"ticket-kind kind-{ticket['kind']}"),
                  html.Span(t(f"ticket.status.{ticket['status']}", lang), className="desk-state"),
                  _level(ticket, lang)], className="desk-head"),
        html.Div(ticket["subject"], className="ticket-subject"),
        html.Div(ticket.get("description") or "", className="desk-note"),
        html.Dl([x for k, v in facts for x in (html.Dt(k), html.Dd(v))], className="desk-facts"),
        html.Details([html.Summary(t("console.timeline", lang)), html.Ul(timeline, className="desk-timeline")],
                     open=True),
    ], className="desk-detail ticket-detail", **{"data-ticket": str(ticket["id"]), "data-status": ticket["status"]})


def actions(ticket: dict, lang: str) -> html.Div | None:
    moves = MOVES.get(ticket["status"], ())
    if not moves:
        return None
    return html.Div([
        html.Div([html.Button(t(f"ticket.to.{to}", lang), className="go-button" + (" danger" if to == "cancelled"
                                                                                     else " primary"),
                              id={"type": "ticket-move", "ticket": ticket["id"], "version": ticket["version"],
                                  "to": to}) for to in moves], className="desk-row"),
        html.Div(dcc.Input(id=ids.TICKET_NOTE, placeholder=t("ticket.note", lang), className="desk-input",
                           maxLength=200, debounce=False), className="desk-row"),
    ])


def on_order(tickets: list[dict], lang: str) -> html.Details | None:
    """The tickets that name a repair order, on the order's desk (a complaint about it shows there)."""
    if not tickets:
        return None
    rows = [html.Li([html.B(f"#{x['id']} {t('ticket.kind.' + x['kind'], lang)}"), f" {x['subject']} · ",
                     t(f"ticket.status.{x['status']}", lang), " · ",
                     t(f"warn.{x['level']}", lang) if x["level"] else t("console.in_time", lang)],
                    className=f"order-ticket level-{min(x['level'], 4)}") for x in tickets]
    return html.Details([html.Summary(f"{t('ticket.on_order', lang)} ({len(tickets)})"), html.Ul(rows)], open=True,
                        className="order-tickets")
