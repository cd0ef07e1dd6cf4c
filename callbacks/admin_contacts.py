"""Grid contacts on /admin: the grid list (and which have no manager), the editor, and saving through the same
service and validation as PUT /grids/{id}/contacts."""
from __future__ import annotations

from typing import Any

from dash import ALL, Input, Output, State, ctx, html, no_update
from pydantic import ValidationError

from callbacks.admin_act import ADMIN, lang
from dashboard.errors import ServiceError
from dashboard.i18n import t
from dashboard.schemas import GridContactsIn
from dashboard.services.audit import Actor
from dashboard.services.grid_contacts import contacts_view, grids_overview, replace_contacts
from dashboard.web.roles import require_role
from layouts import ids
from layouts.admin import contacts
from layouts.admin.contacts import editor, grid_options, missing_line
from layouts.admin.history import local

MANAGER = (State(ids.ADMIN_M_NAME, "value"), State(ids.ADMIN_M_PHONE, "value"), State(ids.ADMIN_M_EMAIL, "value"))
LIAISONS = tuple(State({"type": kind, "index": ALL}, "value") for kind in (ids.L_NAME, ids.L_PHONE, ids.L_VILLAGE,
                                                                            ids.L_EMAIL))
MAX_ROWS = 50  # GridContactsIn takes 50 liaisons


def _text(value: object) -> str:
    return value.strip()[:254] if isinstance(value, str) else ""


def _rows(names, phones, villages, emails) -> list[dict[str, str]]:
    """The liaison rows as typed (a forged list that is not one is no rows)."""
    columns = [v if isinstance(v, list) else [] for v in (names, phones, villages, emails)]
    return [{"name": _text(n), "phone": _text(p), "village": _text(v), "email": _text(e)}
            for n, p, v, e in list(zip(*columns))[:MAX_ROWS + 1]]


def form_body(manager: tuple, liaisons: list[dict[str, str]]) -> tuple[dict[str, Any], list[int]]:
    """The request body the form stands for, as PUT /grids/{id}/contacts takes it, and the row each liaison in it
    came from (wholly blank rows are left out: an added row nobody filled in)."""
    name, phone, email = (_text(v) for v in manager)
    kept = [n for n, row in enumerate(liaisons) if any(row.values())]
    body = {"manager": {"name": name, "phone": phone} | ({"email": email} if email else {}),
            "liaisons": [{k: v for k, v in liaisons[n].items() if v or k in ("name", "phone")} for n in kept]}
    return body, kept


def problems(exc: ValidationError, kept: list[int], lang_: str) -> str:
    """Each failed field named as the reader sees it and as the API does: 网格经理 电话 (manager.phone): …"""
    said = []
    for error in exc.errors():
        loc = [str(p) for p in error["loc"]]
        if loc[:1] == ["liaisons"] and len(loc) > 1 and loc[1].isdigit() and int(loc[1]) < len(kept):
            row = kept[int(loc[1])]
            who, path, field = t("admin.liaison", lang_).format(n=row + 1), f"liaisons.{row}", loc[2:]
        elif loc[:1] == ["liaisons"]:
            said.append(t("admin.too_many", lang_))
            continue
        else:
            who, path, field = t("admin.manager", lang_), loc[0] if loc else "", loc[1:]
        name = field[0] if field else ""
        why = {"phone": "admin.bad_phone", "name": "admin.bad_name", "email": "admin.bad_email"}.get(name,
                                                                                                  "admin.bad_value")
        label = f"{who} {t('admin.' + name, lang_)}" if name in ("name", "phone", "email", "village") else who
        said.append(f"{label} ({'.'.join([path, *field])})：{t(why, lang_)}" if lang_ == "zh" else
                    f"{label} ({'.'.join([path, *field])}): {t(why, lang_)}")
    return "；".join(said) if lang_ == "zh" else "; ".join(said)


def _title(services, grid_id: str) -> str:
    info = services.catalog.info.get(grid_id)
    return f"{info.name} · {grid_id} · {info.district}" if info else grid_id


def opened(services, grid_id: object) -> list:
    """The editor holding a grid's people as stored (a grid not known: the prompt to pick one)."""
    if not isinstance(grid_id, str) or grid_id not in services.catalog.info:
        return editor(t("admin.pick_grid", lang()), None, [], lang(), picked=False)
    with services.db.read() as s:
        view = contacts_view(s, grid_id)
    return editor(_title(services, grid_id), view["manager"], view["liaisons"], lang(),
                  local(view["updated_at"], services.config.timezone) if view["updated_at"] else None)


def pane(services, start_grid: object) -> html.Div:
    """The pane with its grid list filled in (the dropdown would drop a picked grid missing from its options) and,
    when the page was opened for a grid (/admin?grid=ID), that grid's people in the editor."""
    grid = start_grid if isinstance(start_grid, str) and start_grid in services.catalog.info else None
    with services.db.read() as s:
        grids = grids_overview(s)
    return contacts.pane(lang(), grid, opened(services, grid), grid_options(grids, lang(), False),
                         missing_line(grids, lang()))


def register(app, services) -> None:
    db, catalog = services.db, services.catalog

    def title(grid_id: str) -> str:
        return _title(services, grid_id)

    def stored(grid_id: str) -> list:
        return opened(services, grid_id)

    @app.callback(Output(ids.ADMIN_GRID, "options"), Output(ids.ADMIN_MISSING, "children"),
                  Input(ids.ADMIN_NO_MANAGER, "value"), Input(ids.ADMIN_SAVED, "data"), State(ids.ADMIN_GRID, "value"),
                  prevent_initial_call=True)
    def grid_list(missing_only, _saved, picked):
        require_role(services, ADMIN)
        with db.read() as s:
            grids = grids_overview(s)
        # The grid being edited stays listed (given a manager, it would leave the "no manager" list and the pick).
        return grid_options(grids, lang(), bool(missing_only), keep=picked), missing_line(grids, lang())

    @app.callback(Output(ids.ADMIN_EDITOR, "children"), Input(ids.ADMIN_GRID, "value"),
                  Input(ids.ADMIN_L_ADD, "n_clicks"), Input({"type": ids.L_REMOVE, "index": ALL}, "n_clicks"),
                  *MANAGER, *LIAISONS, prevent_initial_call=True)
    def edit(grid_id, _add, _removes, m_name, m_phone, m_email, *liaison_columns):
        require_role(services, ADMIN)
        pressed = ctx.triggered_id
        if pressed == ids.ADMIN_GRID:
            return stored(grid_id)
        if not isinstance(grid_id, str) or grid_id not in catalog.info or not ctx.triggered[0].get("value"):
            return no_update  # a button drawn anew, not pressed; or nothing picked yet
        rows = _rows(*liaison_columns)
        if pressed == ids.ADMIN_L_ADD:
            if len(rows) >= MAX_ROWS:
                return no_update
            rows.append({"name": "", "phone": "", "village": "", "email": ""})
        elif isinstance(pressed, dict) and pressed.get("type") == ids.L_REMOVE:
            index = pressed.get("index")
            rows = [r for n, r in enumerate(rows) if n != index]
        else:
            return no_update
        manager = {"name": _text(m_name), "phone": _text(m_phone), "email": _text(m_email)}
        return editor(title(grid_id), manager, rows, lang())

    @app.callback(Output(ids.ADMIN_CONTACT_MSG, "children"), Output(ids.ADMIN_SAVED, "data"),
                  Output(ids.ADMIN_EDITOR, "children", allow_duplicate=True), Input(ids.ADMIN_SAVE, "n_clicks"),
                  State(ids.ADMIN_GRID, "value"), *MANAGER, *LIAISONS, State(ids.ADMIN_SAVED, "data"),
                  prevent_initial_call=True)
    def save(clicks, grid_id, m_name, m_phone, m_email, names, phones, villages, emails, saved):
        person = require_role(services, ADMIN)
        if not clicks:
            return no_update, no_update, no_update
        lang_ = lang()
        if not isinstance(grid_id, str) or not grid_id:
            return t("admin.pick_grid", lang_), no_update, no_update
        raw, kept = form_body((m_name, m_phone, m_email), _rows(names, phones, villages, emails))
        try:
            body = GridContactsIn.model_validate(raw)
        except ValidationError as exc:  # said field by field; nothing is stored
            return t("admin.not_saved", lang_).format(why=problems(exc, kept, lang_)), no_update, no_update
        try:
            with db.write() as s:
                view = replace_contacts(s, grid_id, body, services.clock(), Actor.of(person))
        except ServiceError as exc:  # an unknown grid
            return t("admin.not_saved", lang_).format(why=exc.message), no_update, no_update
        message = t("admin.saved", lang_).format(grid=title(grid_id), name=view["manager"]["name"],
                                                 n=len(view["liaisons"]))
        return message, (saved if isinstance(saved, int) else 0) + 1, stored(grid_id)
