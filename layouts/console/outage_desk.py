"""The outage's desk in the console: what and where it is, why 研判 put it there, its order, and the decisions
a dispatcher may take on it (confirm, move, split, merge)."""
from __future__ import annotations

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids
from layouts.local_time import hm


def empty(lang: str) -> html.Div:
    return html.Div(t("outage.pick", lang), className="desk-empty")


def _device(o: dict, lang: str) -> str:
    if not o.get("device_id"):
        return "–"
    kind = t(f"device.{o['device_kind']}", lang) if o.get("device_kind") else ""
    return " · ".join(x for x in (o["device_id"], o.get("device_name"), kind) if x)


def detail(card: dict, lang: str, tz: str) -> html.Div:
    """The outage's head, facts and reason, and its order with the last entries of that order's timeline."""
    o, order = card["outage"], card["order"]
    status = o["status"]
    facts = [
        (t("outage.source", lang), t(f"osource.{o['source']}", lang)),
        (t("outage.col.calls", lang), str(o["calls"])),
        (t("outage.col.customers", lang), str(o["customers_affected"])),
        (t("outage.col.care", lang), str(o["care_customers"] or o.get("sensitive_customers") or 0)),
        (t("outage.start", lang), hm(o["start"], tz)),
        (t("outage.col.etr", lang), hm(o["etr"], tz)),
        (t("outage.grids", lang), ", ".join(o["grid_ids"][:4]) + (f" +{len(o['grid_ids']) - 4}"
                                                                   if len(o["grid_ids"]) > 4 else "") or "–"),
    ]
    notes = [html.Div([html.Span(t("outage.reason", lang), className="desk-subtitle"), o["reason"]],
                      className="outage-reason") if o.get("reason") else None,
             html.Div([html.Span(t("outage.etr_basis", lang), className="desk-subtitle"), o["etr_basis"]],
                      className="outage-basis") if o.get("etr_basis") else None]
    flags = [html.Span(t("outage.locked", lang), className="outage-flag") if o.get("locked") else None,
             html.Span(t("alarm.notice_late", lang), className="outage-flag") if o.get("notice_ok") is False else None,
             html.Span(t("outage.covered", lang).format(id=o["covered_by"]), className="outage-flag")
             if o.get("covered_by") else None]
    if order is None:
        work = html.Div(t("outage.no_order", lang), className="desk-note")
    else:
        entries = [html.Li([html.B(hm(e["at"], tz)), f" {t('action.' + e['action'], lang)}",
                            f" {t('order.' + e['to'], lang)}" if e.get("to") else "", f" · {e['actor']}",
                            f" · {e['note']}" if e.get("note") else ""]) for e in order["timeline"]]
        work = html.Div([
            html.Div([html.Span(t("outage.order", lang), className="desk-subtitle"),
                      html.Button(t("outage.open_order", lang).format(id=order["id"]), className="go-button",
                                  id={"type": "outage-order", "order": order["id"]}),
                      html.Span(t(f"order.{order['status']}", lang), className="desk-state small"),
                      html.Span(order["crew_id"] or "–", className="cand-name"),
                      html.Span(f"☎{order['report_count']}", className="cand-why")], className="desk-row"),
            html.Details([html.Summary(t("console.timeline", lang)), html.Ul(entries, className="desk-timeline")]),
        ])
    return html.Div([
        html.Div([html.Span(f"#{o['id']}", className="desk-id"),
                  html.Span(t(f"ostatus.{status}", lang), className=f"outage-status status-{status}"),
                  html.Span(_device(o, lang), className="outage-device"), *flags], className="desk-head"),
        html.Dl([x for k, v in facts for x in (html.Dt(k), html.Dd(v))], className="desk-facts outage-facts"),
        *notes, _care(card.get("care") or [], lang), work,
    ], className=f"desk-detail outage-detail status-{status}", **{"data-outage": str(o["id"]),
                                                                  "data-status": status})


def _care(people: list[dict], lang: str) -> html.Details | None:
    """The care customers below the outage, to be phoned (they are not left to an SMS)."""
    if not people:
        return None
    rows = [html.Li([html.B(p["name"] or p["customer_id"]), f" {p['phone'] or '–'}",
                     f" · {t('care.' + p['care'], lang)}", f" · {p['address']}" if p.get("address") else ""])
            for p in people]
    return html.Details([html.Summary(f"{t('outage.care_call', lang)} ({len(people)})"),
                         html.Ul(rows, className="desk-timeline outage-care")], className="outage-care-list")


def _device_options(choices: list[dict], lang: str) -> list[dict]:
    return [{"label": " · ".join(x for x in (c["value"], c["name"], t(f"device.{c['kind']}", lang)) if x),
             "value": c["value"]} for c in choices]


def actions(choices: dict, lang: str) -> html.Div:
    """The four decisions, each a button beside what it needs; none for an outage that is over."""
    o = choices["outage"]
    if not choices["under_way"]:
        text = t("outage.not_under_way", lang)
        return html.Div(text, className="desk-note")
    merge = [{"label": f"#{m['value']} · {m['device_id'] or '–'} · {t('ostatus.' + m['status'], lang)} · "
                       f"{m['customers']} {t('outage.customers_short', lang)}"
                       + (f" · {t('outage.same_feeder', lang)}" if m["same_feeder"] else ""),
              "value": m["value"]} for m in choices["merge"]]
    button = "go-button"
    rows = [
        html.Div([html.Button(t("outage.confirm", lang), id=ids.O_CONFIRM,
                              className=button + (" primary" if o["status"] == "predicted" else "")),
                  dcc.Input(id=ids.O_NOTE, placeholder=t("outage.note", lang),
                            className="desk-input", maxLength=200)], className="desk-row"),
        html.Div([html.Span(t("outage.move", lang), className="desk-subtitle"),
                  dcc.Dropdown(id=ids.O_MOVE_TO, options=_device_options(choices["move"], lang),
                               placeholder=t("outage.pick_device", lang), className="desk-pick"),
                  html.Button(t("outage.move_go", lang), id=ids.O_MOVE_GO, className=button)],
                 className="desk-row", hidden=not choices["move"]),
        html.Div([html.Span(t("outage.split", lang), className="desk-subtitle"),
                  dcc.Dropdown(id=ids.O_SPLIT_PICK, options=_device_options(choices["split"], lang), multi=True,
                               placeholder=t("outage.pick_devices", lang), className="desk-pick"),
                  html.Button(t("outage.split_go", lang), id=ids.O_SPLIT_GO, className=button)],
                 className="desk-row", hidden=not choices["split"]),
        html.Div([html.Span(t("outage.merge", lang), className="desk-subtitle"),
                  dcc.Dropdown(id=ids.O_MERGE_INTO, options=merge, placeholder=t("outage.pick_outage", lang),
                               className="desk-pick"),
                  html.Button(t("outage.merge_go", lang), id=ids.O_MERGE_GO, className=button)],
                 className="desk-row", hidden=not merge),
    ]
    return html.Div(rows, className="outage-actions", **{"data-outage": str(o["id"])})
