"""OpenAPI 3.1 document generated from the route table and the same pydantic schemas that validate."""
from __future__ import annotations

import re

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from dashboard.api.routes import ANYONE, PUBLIC, Answer, Route, RouteTable, Text
from dashboard.domain import Role
from dashboard.schemas import CallEventIn, FaultIn, PositionIn, SeatEventIn

# Batch bodies are validated item by item (a bad item is reported, not fatal), so their pydantic schema says
# "objects"; the document names the item schema each batch really expects.
BATCH_ITEMS = {"FaultBatchIn": FaultIn, "PositionBatchIn": PositionIn, "SeatEventBatchIn": SeatEventIn,
               "CallEventBatchIn": CallEventIn}
REF = "#/components/schemas/{model}"
_REASONS = {200: "OK", 201: "Created", 304: "Not modified (ETag)", 400: "Malformed body",
            401: "No or bad credentials", 403: "Role not allowed, or a cookie-carried write from another origin",
            404: "Unknown id, or a path no route takes", 409: "Conflict", 410: "No longer held here",
            413: "Body too large", 415: "A cookie-carried write that is not JSON", 422: "Failed validation",
            429: "Rate limited", 503: "Database down"}


def _parts(answer: Answer) -> tuple:
    if answer is None:
        return ()
    return answer if isinstance(answer, tuple) else (answer,)


def _models(answer: Answer) -> tuple[type[BaseModel], ...]:
    return tuple(p for p in _parts(answer) if not isinstance(p, Text))


def _schemas(models: list[type[BaseModel]]) -> tuple[dict, dict[type[BaseModel], dict]]:
    """Every model's schema under components/schemas (pydantic names them apart if two share a name), and the
    reference to each."""
    refs, top = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    return top.get("$defs", {}), {model: ref for (model, _), ref in refs.items()}


def _content(answer: Answer, refs: dict[type[BaseModel], dict]) -> dict | None:
    """JSON models (one, or one of several) and text answers (metrics, CSV) of one status code."""
    if answer is None:
        return None
    content = {p.media_type: {"schema": {"type": "string"}} for p in _parts(answer) if isinstance(p, Text)}
    schemas = [refs[m] for m in _models(answer)]
    if schemas:
        content["application/json"] = {"schema": schemas[0] if len(schemas) == 1 else {"oneOf": schemas}}
    return content


def _operation(r: Route, refs: dict[type[BaseModel], dict]) -> dict:
    op: dict = {"summary": r.summary, "operationId": r.handler.__name__}
    if r.roles is PUBLIC:
        op["security"] = []
    else:
        op["security"] = [{"bearer": []}, {"cookie": []}]
        # Who may call it, for clients and for the fuzzer that calls it as each of them (tests/api/test_fuzz.py).
        op["x-roles"] = [str(role) for role in (Role if r.roles is ANYONE else sorted(r.roles))]
    params = [{"name": name, "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1} if kind is int else
               {"type": "string", "minLength": 1, "maxLength": 64}}
              for name, kind in r.path_types.items()]
    params += [{"name": n, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1,
                                                                     "maxLength": 64}}
               for n in _path_names(r.path) if n not in r.path_types]
    params += list(r.query)
    if params:
        op["parameters"] = params
    if r.body:
        bodies = [refs[m] for m in r.body]
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": bodies[0] if len(bodies) == 1 else {"oneOf": bodies}}}}
    responses: dict = {}
    for code, answer in r.answers().items():
        responses[str(code)] = {"description": _REASONS.get(code, "")}
        content = _content(answer, refs)
        if content is not None:
            responses[str(code)]["content"] = content
    return op | {"responses": responses}


def build_openapi(table: RouteTable, prefix: str) -> dict:
    models = {m for r in table.routes for m in r.body} | set(BATCH_ITEMS.values())
    models |= {m for r in table.routes for answer in r.answers().values() for m in _models(answer)}
    schemas, refs = _schemas(sorted(models, key=lambda m: m.__name__))
    for batch, item in BATCH_ITEMS.items():
        if batch in schemas:
            schemas[batch]["properties"]["items"]["items"] = refs[item]
    paths: dict = {}
    for r in table.routes:
        paths.setdefault(r.path, {})[r.method.lower()] = _operation(r, refs)
    return {"openapi": "3.1.0",
            "info": {"title": "GridCommand API", "version": "1.0.0",
                     "description": "Ingest, dispatch and live state of the power-supply service command center."},
            "servers": [{"url": prefix}], "paths": paths,
            "components": {"schemas": schemas, "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "session"}}}}


def _path_names(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)
