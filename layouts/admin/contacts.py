"""The grid-contacts pane: pick a grid (and see which have no manager), edit its manager and liaisons, save."""
from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.i18n import t
from layouts import ids


def pane(lang: str, grid_id: str | None, opened: list, options: list[dict[str, str]], missing: html.Span) -> html.Div:
    """The pane, with `grid_id` picked and its people in the editor when the page was opened for one."""
    return html.Div([
        html.Div([
            dcc.Dropdown(id=ids.ADMIN_GRID, value=grid_id, options=options, placeholder=t("admin.grid_search", lang),
                         className="admin-grid-pick",
                         searchable=True, clearable=False, maxHeight=420),
            dcc.Checklist(id=ids.ADMIN_NO_MANAGER, options=[{"label": t("admin.no_manager_only", lang),
                                                             "value": "yes"}], value=[], className="filter-check"),
            html.Div(missing, id=ids.ADMIN_MISSING, className="admin-missing", role="status"),
        ], className="admin-bar"),
        dcc.Store(id=ids.ADMIN_SAVED, data=0),
        html.Div(opened, id=ids.ADMIN_EDITOR,
                 className="admin-editor"),
        html.Div([html.Button(t("admin.add_liaison", lang), id=ids.ADMIN_L_ADD, className="go-button"),
                  html.Button(t("admin.save", lang), id=ids.ADMIN_SAVE, className="assign-button")],
                 className="admin-actions"),
        html.Div(id=ids.ADMIN_CONTACT_MSG, className="admin-message", role="status"),
    ], className="admin-contacts")


def grid_options(grids: list[dict[str, Any]], lang: str, missing_only: bool,
                 keep: object = None) -> list[dict[str, str]]:
    """One option per grid; the label holds its name, id and district (the dropdown searches it) and its manager."""
    def label(g: dict) -> str:
        who = t("admin.manager_is", lang).format(name=g["manager"]) if g["manager"] else t("admin.no_manager", lang)
        return f"{g['name']} · {g['grid_id']} · {g['district']} · {who}"
    return [{"label": label(g), "value": g["grid_id"]} for g in grids
            if not (missing_only and g["manager"]) or g["grid_id"] == keep]


def missing_line(grids: list[dict[str, Any]], lang: str) -> html.Span:
    missing = sum(1 for g in grids if not g["manager"])
    if not missing:
        return html.Span(t("admin.all_set", lang).format(total=len(grids)), className="admin-ok")
    return html.Span(t("admin.missing", lang).format(n=missing, total=len(grids)), className="admin-warn")


def _input(id_, value, placeholder: str, kind: str = "text", width: str = "") -> dcc.Input:
    return dcc.Input(id=id_, value=value or "", placeholder=placeholder, type=kind, maxLength=254,
                     className=f"desk-input admin-input {width}".strip(), debounce=False)


def _heads(lang: str, *keys: str) -> html.Div:
    """Column names above a group of rows (a filled field no longer shows its placeholder)."""
    return html.Div([html.Span(className="admin-label")] + [
        html.Span(t(k, lang), className="admin-col" + (" wide" if k == "admin.email" else "")) for k in keys],
        className="admin-person admin-heads")


def _liaison(n: int, person: dict[str, Any], lang: str) -> html.Div:
    return html.Div([
        html.Span(t("admin.liaison", lang).format(n=n + 1), className="admin-label"),
        _input({"type": ids.L_NAME, "index": n}, person.get("name"), t("admin.name", lang)),
        _input({"type": ids.L_PHONE, "index": n}, person.get("phone"), t("admin.phone", lang), "tel"),
        _input({"type": ids.L_VILLAGE, "index": n}, person.get("village"), t("admin.village", lang)),
        _input({"type": ids.L_EMAIL, "index": n}, person.get("email"), t("admin.email", lang), "email", "wide"),
        html.Button(t("admin.remove", lang), id={"type": ids.L_REMOVE, "index": n}, className="go-button danger"),
    ], className="admin-person liaison-row")


def editor(title: str, manager: dict[str, Any] | None, liaisons: list[dict[str, Any]], lang: str,
           updated: str | None = None, picked: bool = True) -> list:
    """The grid's people as editable rows (as stored, or as being edited); `picked` False: no grid chosen yet."""
    manager = manager or {}
    head = [html.H2(title, className="admin-grid-title")]
    if updated:
        head.append(html.Span(t("admin.updated", lang).format(at=updated), className="admin-note"))
    elif picked and not manager and not liaisons:
        head.append(html.Span(t("admin.nobody", lang), className="admin-warn"))
    return [
        html.Div(head, className="admin-editor-head"),
        _heads(lang, "admin.name", "admin.phone", "admin.email"),
        html.Div([html.Span(t("admin.manager", lang), className="admin-label"),
                  _input(ids.ADMIN_M_NAME, manager.get("name"), t("admin.name", lang)),
                  _input(ids.ADMIN_M_PHONE, manager.get("phone"), t("admin.phone", lang), "tel"),
                  _input(ids.ADMIN_M_EMAIL, manager.get("email"), t("admin.email", lang), "email", "wide")],
                 className="admin-person"),
        html.H3(t("admin.liaisons", lang)),
        _heads(lang, "admin.name", "admin.phone", "admin.village", "admin.email") if liaisons else None,
        html.Div([_liaison(n, p, lang) for n, p in enumerate(liaisons)], className="admin-liaisons"),
    ]
