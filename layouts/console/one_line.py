"""A feeder's one-line diagram (not a map): feeder → switches → transformers as nested boxes, with the open
devices, the outages on the feeder, this outage's device and the calls under each transformer."""
from __future__ import annotations

from dash import html

from dashboard.i18n import t


def _classes(node: dict, here: str) -> str:
    out = [f"ol-{node['kind']}"]
    if node["state"] == "open":
        out.append("ol-open")
    if node["outage"]:
        out.append("ol-predicted" if node["outage"]["status"] == "predicted" else "ol-confirmed")
    if node["id"] == here:
        out.append("ol-here")
    if node["dark"]:
        out.append("ol-dark")
    if node["calls"]:
        out.append("ol-has-calls")
    return " ".join(out)


def _title(node: dict, lang: str) -> str:
    parts = [node["id"], node["name"] or "", t(f"device.{node['kind']}", lang),
             f"{node['customers']} {t('outage.customers_short', lang)}"]
    if node["state"] == "open":
        parts.append(t("device.open", lang))
    if node["outage"]:
        parts.append(f"#{node['outage']['id']} {t('ostatus.' + node['outage']['status'], lang)}")
    return " · ".join(p for p in parts if p)


def _marks(node: dict, lang: str) -> list:
    marks = [html.Span(t("device.open", lang), className="ol-open-tag")] if node["state"] == "open" else []
    if node["calls"]:
        marks.append(html.Span(f"☎{node['calls']}", className="ol-calls"))
    if node["care"]:
        marks.append(html.Span(f"▲{node['care']}", className="ol-care"))
    if node["outage"]:
        marks.append(html.Span(f"#{node['outage']['id']}", className="ol-outage-id"))
    return marks


def _button(node: dict, here: str, lang: str, children: list, extra: str) -> html.Button:
    return html.Button(children, id={"type": "ol-device", "device": node["id"]}, title=_title(node, lang),
                       className=f"ol-dev {extra} {_classes(node, here)}", **{"data-device": node["id"]})


def _chip(node: dict, here: str, lang: str) -> html.Button:
    """A transformer: its id, its calls, its care customers."""
    return _button(node, here, lang, [html.Span(node["id"], className="ol-id"), *_marks(node, lang)], "ol-chip")


def _branch(node: dict, here: str, lang: str) -> html.Div:
    """A feeder or switch: its own line, then the switches below it (nested), then its transformers."""
    state = "○" if node["state"] == "open" else "●"
    head = _button(node, here, lang, [
        html.Span(state, className="ol-state"), html.Span(node["id"], className="ol-id"),
        html.Span(node["name"] or "", className="ol-name"),
        html.Span(f"{node['customers']} {t('outage.customers_short', lang)}", className="ol-customers"),
        *_marks(node, lang)], "ol-head")
    switches = [_branch(c, here, lang) for c in node["children"] if c["kind"] != "transformer"]
    chips = [_chip(c, here, lang) for c in node["children"] if c["kind"] == "transformer"]
    return html.Div([head,
                     html.Div(chips, className="ol-chips") if chips else None,
                     html.Div(switches, className="ol-branches") if switches else None],
                    className="ol-branch" + (" ol-branch-dark" if node["dark"] else ""))


def diagram(data: dict | None, lang: str) -> html.Div:
    """The feeder's diagram, or why there is none; scrolls inside its own box."""
    title = html.Div(t("outage.diagram", lang), className="desk-subtitle")
    if data is None:
        return html.Div([title, html.Div(t("outage.no_diagram", lang), className="desk-note")],
                        className="one-line")
    note = html.Div(t("outage.truncated", lang).format(n=data["shown"]), className="desk-note") if data["truncated"] else None
    return html.Div([title, html.Div(t("outage.legend", lang), className="ol-legend"),
                     html.Div(_branch(data["root"], data["device_id"], lang), className="ol-tree"), note],
                    className="one-line")
