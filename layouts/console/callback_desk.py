"""The console's callbacks (回访): the box on the order's desk to record an attempt, and the pending worklist."""
from __future__ import annotations

from dash import dcc, html

from dashboard.domain import CallbackResult
from dashboard.i18n import t
from layouts import ids
from layouts.local_time import hm


def box(callback: dict | None, lang: str, tz: str) -> html.Div:
    """The order's callback task: whom to ring, by when, what earlier attempts found; while it is pending, the three
    results to record (with an optional note)."""
    if callback is None:
        return html.Div([html.Span(t("cb.title", lang), className="desk-subtitle"),
                         html.Span(t("cb.none", lang), className="desk-note")], className="desk-row cb-box")
    who = " · ".join(x for x in (callback["customer_name"], callback["phone"]) if x) or "–"
    attempts = [html.Li([html.B(hm(a["at"], tz)), f" {t('cb.result.' + a['result'], lang)}", f" · {a['actor']}",
                         f" · {a['note']}" if a.get("note") else ""]) for a in callback["attempts"]]
    status = callback["status"]
    head = html.Div([
        html.Span(t("cb.title", lang), className="desk-subtitle"),
        html.Span(t(f"cb.status.{status}", lang), className=f"cb-status cb-{status}"),
        html.Span(f"{t('cb.customer', lang)} {who}", className="cb-who"),
        html.Span(f"{t('cb.due', lang)} {hm(callback['due_at'], tz)}", className="cb-due"),
    ], className="desk-row")
    parts = [head]
    if attempts:
        parts.append(html.Ul(attempts, className="cb-attempts"))
    if status == "pending":
        parts += [
            html.Div([html.Button(t(f"cb.result.{r.value}", lang), className="go-button cb-record",
                                  id={"type": "cb-record", "task": callback["id"], "result": r.value,
                                      "seen": callback["attempt_count"]})
                      for r in CallbackResult]
                     + [dcc.Input(id=ids.CB_NOTE, placeholder=t("cb.note", lang), className="desk-input",
                                  maxLength=500, debounce=False)], className="desk-row"),
            html.Div(t("cb.rule", lang), className="desk-note"),
        ]
    return html.Div(parts, className="cb-box", **{"data-callback": str(callback["id"])})


def worklist(data: dict | None, lang: str, tz: str) -> list:
    """The pending callbacks, oldest due first; a click on the order opens it on the desk."""
    if data is None:
        return [html.Div(t("console.loading", lang), className="desk-note")]
    rows = []
    for item in data["items"]:
        who = " · ".join(x for x in (item["customer_name"], item["phone"]) if x) or "–"
        rows.append(html.Div([
            html.Div([
                html.Button(f"#{item['subject_id']}", id={"type": "lane-open", "order": item["subject_id"]},
                            className="lane-id", title=t("screen.open", lang)),
                html.Span(f"{t('cb.due', lang)} {hm(item['due_at'], tz)}", className="lane-time"),
                html.Span(item["district"] or "–", className="lane-where"),
                html.Span(f"☎×{item['attempt_count']}", className="lane-calls") if item["attempt_count"] else None,
            ], className="lane-head"),
            html.Div(who, className="lane-who"),
        ], className="lane-card cb-card", **{"data-order": str(item["subject_id"])}))
    more = data["count"] - len(data["items"])
    return [*(rows or [html.Div(t("cb.empty", lang), className="desk-note")]),
            html.Div(t("cb.more", lang).format(n=more), className="desk-note") if more > 0 else None]


def pane(lang: str) -> html.Div:
    return html.Div(worklist(None, lang, "UTC"), id=ids.CB_PANE, className="console-pane lane", hidden=True)
