"""Dash's callback endpoint behind a shape check: a body no callback could have sent is a 400, never a 500."""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from dash import Dash
from dash.exceptions import PreventUpdate
from flask import request
from sqlalchemy.exc import OperationalError

from dashboard.http import ApiError, error_response
from dashboard.errors import ServiceError

log = logging.getLogger(__name__)


def _property(item: dict) -> object:
    # An output that allows duplicates is sent as "prop@<hash of its callback>".
    prop = item.get("property")
    return prop.split("@", 1)[0] if isinstance(prop, str) else prop


def _dependency_ok(item: Any, spec: dict) -> bool:
    """One input, state or output as the renderer sends it, against the callback's declared dependency."""
    if spec["id"].startswith("{"):  # a pattern-matching id: one dict (MATCH) or a list of them (ALL)
        items = item if isinstance(item, list) else [item]
        return all(isinstance(i, dict) and isinstance(i.get("id"), dict) and _property(i) == spec["property"]
                   for i in items)
    return isinstance(item, dict) and item.get("id") == spec["id"] and _property(item) == spec["property"]


def _outputs_spec(callback: dict) -> list[dict]:
    output = callback["output"]
    outputs = output if isinstance(output, (list, tuple)) else [output]
    return [o.to_dict() for o in outputs]


def shape_problem(callback_map: dict, body: Any) -> str | None:
    """Why `body` cannot be a request for one of this app's server-side callbacks, or None."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    output = body.get("output")
    callback = callback_map.get(output) if isinstance(output, str) else None
    if callback is None or "callback" not in callback:  # clientside callbacks never reach the server
        return "no server-side callback has that output"
    for part in ("inputs", "state"):
        sent, declared = body.get(part, []), callback[part]
        if not isinstance(sent, list) or len(sent) != len(declared) or not all(
                _dependency_ok(item, spec) for item, spec in zip(sent, declared)):
            return f"{part} do not match the callback"
    if not callback.get("no_output"):
        sent, declared = body.get("outputs"), _outputs_spec(callback)
        sent = sent if isinstance(sent, list) else [sent]
        if len(sent) != len(declared) or not all(_dependency_ok(i, s) for i, s in zip(sent, declared)):
            return "outputs do not match the callback"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds must be a list of strings"
    return None


def _read_body() -> Any:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "send Content-Type: application/json")
    try:
        return json.loads(request.get_data(cache=True))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "malformed_body", "the body is not valid JSON") from None


def install_dash_guard(app: Dash) -> None:
    endpoint = app.config.routes_pathname_prefix + "_dash-update-component"
    dispatch: Callable = app.server.view_functions[endpoint]

    def guarded_dispatch():
        try:
            body = _read_body()
        except ApiError as exc:
            return error_response(exc.status, exc.code, exc.message)
        problem = shape_problem(app.callback_map, body)
        if problem:
            log.debug("refused a callback request: %s", problem)
            return error_response(400, "invalid_callback", problem)
        try:
            return dispatch()
        except PreventUpdate:
            raise  # Dash answers 204
        except ApiError as exc:
            return error_response(exc.status, exc.code, exc.message, exc.details)
        except ServiceError as exc:
            return error_response(exc.status, exc.code, exc.message, exc.details)
        except OperationalError:
            log.exception("database unavailable in a callback")
            return error_response(503, "unavailable", "the database is unavailable; try again")
        except Exception as exc:  # a callback that could not use the values it was sent: one line, not a flood
            log.warning("callback %s could not use the values it was sent: %s", body["output"], repr(exc)[:200])
            log.debug("callback failure", exc_info=True)
            return error_response(400, "callback_failed", "the callback could not use these values")

    app.server.view_functions[endpoint] = guarded_dispatch
