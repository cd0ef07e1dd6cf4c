"""The map legend: what every colour and mark on the wall map means, in the wall's language."""
from __future__ import annotations

from dash import html

from dashboard.i18n import t
from layouts import ids
from layouts.palette import CREW_COLOURS, OUTAGE_COLOURS, ORDER_COLOURS, WARN_COLOURS


def _item(mark: str, colour: str, label: str) -> html.Div:
    return html.Div([html.Span(className=f"mark mark-{mark}", style={"--c": colour}), html.Span(label)],
                    className="legend-item")


def legend(lang: str, levels: tuple[float, ...]) -> html.Div:
    """`levels`: the escalation thresholds (fractions of the arrival limit) the wall is configured with."""
    orders = [_item("order", c, t(f"order.{s}", lang)) for s, c in ORDER_COLOURS.items() if s != "accepted"]
    warns = [_item("warn", c, f"{t(f'warn.{level}', lang)} ({levels[level - 1]:.0%})")
             for level, c in WARN_COLOURS.items() if level <= len(levels)]
    crews = [_item("crew", c, t(f"crew.{s}", lang)) for s, c in CREW_COLOURS.items()]
    areas = [_item("area", c, t(f"outage.{k}", lang)) for k, c in OUTAGE_COLOURS.items()]
    areas += [_item("line", "#9fd4ff", t("wall.legend.link", lang)),
              _item("cluster", "#4fc3f7", t("wall.legend.cluster", lang))]
    return html.Div([
        html.Div([html.Div(t("wall.legend.orders", lang), className="legend-title"), *orders], className="legend-col"),
        html.Div([html.Div(t("wall.legend.warn", lang), className="legend-title"), *warns], className="legend-col"),
        html.Div([html.Div(t("wall.legend.crews", lang), className="legend-title"), *crews], className="legend-col"),
        html.Div([html.Div(t("wall.legend.outages", lang), className="legend-title"), *areas], className="legend-col"),
    ], className="legend", id=ids.LEGEND)
