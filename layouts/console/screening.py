"""The console's screening lane (筛查): calls that are usually not a grid fault, each with its three outcomes."""
from __future__ import annotations

from dash import html

from dashboard.i18n import t
from dashboard.services.screening import OUTCOMES
from layouts import ids
from layouts.local_time import hm


def _card(item: dict, lang: str, tz: str) -> html.Div:
    caller = " · ".join(str(x) for x in (item["customer_name"], item["phone"], item["address"], item["description"])
                        if x) or "–"
    return html.Div([
        html.Div([
            html.Button(f"#{item['id']}", id={"type": "lane-open", "order": item["id"]}, className="lane-id",
                        title=t("screen.open", lang)),
            html.Span(t(f"screen.why.{item['why']}", lang), className=f"lane-why why-{item['why']}"),
            html.Span(hm(item["reported_at"], tz), className="lane-time"),
            html.Span(" · ".join(x for x in (item["district"], item["grid_id"]) if x) or "–", className="lane-where"),
            html.Span(f"☎{item['report_count']}", className="lane-calls") if item["report_count"] > 1 else None,
        ], className="lane-head"),
        html.Div(caller, className="lane-who"),
        html.Div([html.Button(t(f"screen.{o}", lang), className="go-button" + (" primary" if o == "send_crew" else ""),
                              id={"type": "screen", "order": item["id"], "version": item["version"], "outcome": o})
                  for o in OUTCOMES], className="lane-actions"),
    ], className="lane-card", **{"data-order": str(item["id"])})


def lane(data: dict | None, lang: str, tz: str) -> list:
    """The waiting orders, oldest first; how many more there are beyond those shown."""
    if data is None:
        return [html.Div(t("console.loading", lang), className="desk-note")]
    items = data["items"]
    more = data["count"] - len(items)
    return [html.Div(t("screen.hint", lang), className="lane-hint"),
            *([_card(i, lang, tz) for i in items] or [html.Div(t("screen.none", lang), className="desk-note")]),
            html.Div(t("screen.more", lang).format(n=more), className="desk-note") if more > 0 else None]


def pane(lang: str) -> html.Div:
    return html.Div(lane(None, lang, "UTC"), id=ids.LANE, className="console-pane lane", hidden=True)
