"""A route table: each route is declared once, with roles, body schema and answers, for Flask and OpenAPI."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask import request
from pydantic import BaseModel

from dashboard.api.errors import ApiError
from dashboard.domain import Role

PEOPLE = frozenset({Role.viewer, Role.dispatcher, Role.executive, Role.admin})
ANYONE = None  # any authenticated role


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # OpenAPI form: /workorders/{id}
    handler: Callable
    summary: str
    roles: frozenset[Role] | None
    body: tuple[type[BaseModel], ...] = ()
    query: tuple[dict, ...] = ()
    path_types: dict[str, type] = field(default_factory=dict)
    responses: tuple[int, ...] = (200,)

    def flask_rule(self) -> str:
        def convert(m: re.Match) -> str:
            name = m.group(1)
            return f"<int:{name}>" if self.path_types.get(name) is int else f"<{name}>"
        return re.sub(r"{(\w+)}", convert, self.path)


class RouteTable:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, path: str, *, summary: str, roles, body=(), query=(), path_types=None,
            responses=(200,)):
        def decorator(fn: Callable) -> Callable:
            self.routes.append(Route(method, path, fn, summary, roles, tuple(body), tuple(query),
                                     path_types or {}, tuple(responses)))
            return fn
        return decorator


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def read_json() -> object:
    """The request body as JSON; 400 when it is missing or not JSON (NaN and Infinity are not JSON)."""
    raw = request.get_data(cache=True)
    if not raw:
        raise ApiError(400, "malformed_body", "a JSON body is required")
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ApiError(400, "malformed_body", f"the body is not valid JSON: {str(exc)[:200]}") from None


def read_object() -> dict:
    body = read_json()
    if not isinstance(body, dict):
        raise ApiError(422, "validation_failed", "the body must be a JSON object",
                       [{"field": "", "message": "expected an object"}])
    return body


def parse(model: type[BaseModel]) -> BaseModel:
    return model.model_validate(read_object())


def query_param(name: str, kind: type = str, *, choices=None, maximum: int | None = None):
    value = request.args.get(name)
    if value is None or value == "":
        return None
    try:
        if kind is bool:
            if value.lower() not in ("true", "false", "1", "0"):
                raise ValueError
            return value.lower() in ("true", "1")
        result = kind(value)
        if kind in (int, float) and (result != result or abs(result) == float("inf")):
            raise ValueError
    except ValueError:
        raise ApiError(422, "validation_failed", f"query parameter {name} is not a valid {kind.__name__}",
                       [{"field": name, "message": f"expected {kind.__name__}"}]) from None
    if choices is not None and result not in choices:
        raise ApiError(422, "validation_failed", f"query parameter {name} must be one of {', '.join(choices)}",
                       [{"field": name, "message": "unknown value"}])
    if maximum is not None and isinstance(result, str) and len(result) > maximum:
        raise ApiError(422, "validation_failed", f"query parameter {name} is too long", [{"field": name}])
    return result


def query_list(name: str, choices: Sequence[str]) -> tuple[str, ...] | None:
    """A comma-separated query parameter, each item one of `choices`; order kept, repeats dropped."""
    value = request.args.get(name)
    if value is None or value == "":
        return None
    items = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [v for v in items if v not in choices]
    if unknown or not items:
        raise ApiError(422, "validation_failed", f"query parameter {name}: unknown {', '.join(unknown[:5])}"
                       if unknown else f"query parameter {name} is empty",
                       [{"field": name, "message": f"each one of {', '.join(choices)}"}])
    return items
