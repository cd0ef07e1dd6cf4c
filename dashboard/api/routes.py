"""A route table: each route is declared once, with roles, body schema and answers, for Flask and OpenAPI."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

from flask import request
from pydantic import BaseModel, TypeAdapter, ValidationError

from dashboard.api.answers import ErrorOut
from dashboard.http import SAFE_METHODS, ApiError
from dashboard.schemas import Timestamp, bad_text
from dashboard.domain import Role

PEOPLE = frozenset({Role.viewer, Role.dispatcher, Role.executive, Role.admin})
ANYONE = None  # any authenticated role


class _Public:
    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC = _Public()  # no credentials at all (the health check)


@dataclass(frozen=True)
class Text:
    """An answer that is text, not JSON (Prometheus metrics)."""
    media_type: str = "text/plain"


# What one status code answers: a model, one of several models (a tuple, which may also hold Text for another
# media type of the same answer), text, or None for no body (304).
Answer = Union[type[BaseModel], tuple[type[BaseModel] | Text, ...], Text, None]


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # OpenAPI form: /workorders/{id}
    handler: Callable
    summary: str
    roles: frozenset[Role] | None | _Public
    body: tuple[type[BaseModel], ...] = ()
    query: tuple[dict, ...] = ()
    path_types: dict[str, type] = field(default_factory=dict)
    responses: dict[int, Answer] = field(default_factory=dict)

    def flask_rule(self) -> str:
        def convert(m: re.Match) -> str:
            name = m.group(1)
            return f"<int:{name}>" if self.path_types.get(name) is int else f"<{name}>"
        return re.sub(r"{(\w+)}", convert, self.path)

    def answers(self) -> dict[int, Answer]:
        """Every status code this route may answer: the declared ones plus those the guards around every route
        give (credentials, roles, bodies, cookie-carried writes), sorted."""
        implied: dict[int, Answer] = {}
        if self.roles is not PUBLIC:
            implied[401] = ErrorOut
            if self.roles is not ANYONE:
                implied[403] = ErrorOut  # a role not allowed
            if self.method not in SAFE_METHODS:
                # A write carried by a person's cookie: 403 from another origin, 415 unless JSON (web/origin.py).
                implied |= {403: ErrorOut, 415: ErrorOut}
        if self.body:
            implied |= {400: ErrorOut, 413: ErrorOut, 422: ErrorOut}
        if "{" in self.path:
            implied[404] = ErrorOut  # a path parameter no route takes (not an integer, a "/" in it)
        return dict(sorted((implied | self.responses).items()))


class RouteTable:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, path: str, *, summary: str, roles: frozenset[Role] | None | _Public,
            responses: Mapping[int, Answer], body: Sequence[type[BaseModel]] = (), query: Sequence[dict] = (),
            path_types: dict[str, type] | None = None) -> Callable[[Callable], Callable]:
        """Declare a route; `responses` maps each status code the handler gives to its answer."""
        if not isinstance(responses, Mapping):
            raise TypeError(f"{method} {path}: responses maps each status code to its answer model")

        def decorator(fn: Callable) -> Callable:
            self.routes.append(Route(method, path, fn, summary, roles, tuple(body), tuple(query),
                                     path_types or {}, dict(responses)))
            return fn
        return decorator


MAX_DEPTH = 16  # the deepest body we take (an outage's MultiPolygon) is 6 levels down


class _DuplicateKey(ValueError):
    pass


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise _DuplicateKey(f"the key {dup[:64]!r} appears twice in one object")
    return obj


def _check_tree(body: object) -> None:
    """Depth and text of a parsed body, walked without recursion: 400 past MAX_DEPTH, 422 naming a bad string."""
    stack: list[tuple[object, str, int]] = [(body, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            problem = bad_text(value)
            if problem:
                raise ApiError(422, "validation_failed", f"{path or 'the body'} {problem}",
                               [{"field": path, "message": problem}])
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth >= MAX_DEPTH:
            raise ApiError(400, "malformed_body", f"the body is nested deeper than {MAX_DEPTH} levels")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            if isinstance(key, str):
                problem = bad_text(key)
                if problem:
                    raise ApiError(422, "validation_failed", f"a key {problem}", [{"field": path, "message": problem}])
            stack.append((child, f"{path}.{key}" if path else str(key), depth + 1))


def read_json() -> object:
    """The request body as JSON; 400 when it is missing or not JSON (NaN and Infinity are not JSON, nor are
    duplicate keys or nesting past MAX_DEPTH), 422 for text no database can hold."""
    raw = request.get_data(cache=True)
    if not raw:
        raise ApiError(400, "malformed_body", "a JSON body is required")
    try:
        body = json.loads(raw, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise ApiError(400, "malformed_body", str(exc)) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        raise ApiError(400, "malformed_body", f"the body is not valid JSON: {reason}") from None
    _check_tree(body)
    return body


def read_object() -> dict:
    body = read_json()
    if not isinstance(body, dict):
        raise ApiError(422, "validation_failed", "the body must be a JSON object",
                       [{"field": "", "message": "expected an object"}])
    return body


def parse(model: type[BaseModel]) -> BaseModel:
    return model.model_validate(read_object())


def query_param(name: str, kind: type = str, *, choices=None, minimum: int | None = None,
                maximum: int | None = None):
    """A query parameter as `kind`, or None when absent; 422 naming it when it is not one. `maximum` bounds a
    string's length or a number's value; `minimum` a number's value."""
    value = request.args.get(name)
    if value is None or value == "":
        return None
    problem = bad_text(value)
    if problem:
        raise ApiError(422, "validation_failed", f"query parameter {name} {problem}",
                       [{"field": name, "message": problem}])
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
    if isinstance(result, int) and not isinstance(result, bool) and (
            (minimum is not None and result < minimum) or (maximum is not None and result > maximum)):
        raise ApiError(422, "validation_failed", f"query parameter {name} must be between {minimum} and {maximum}",
                       [{"field": name, "message": "out of range"}])
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


_TIME = TypeAdapter(Timestamp)


def query_time(name: str):
    """A time query parameter (ISO-8601 with an offset), or None when absent; 422 naming it otherwise."""
    value = query_param(name, maximum=64)
    if value is None:
        return None
    try:
        return _TIME.validate_python(value)
    except ValidationError:
        raise ApiError(422, "validation_failed", f"query parameter {name} must be a time with an offset",
                       [{"field": name, "message": "ISO-8601 with offset"}]) from None
