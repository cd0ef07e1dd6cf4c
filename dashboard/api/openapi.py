"""OpenAPI 3.1 document generated from the route table and the same pydantic schemas that validate."""
from __future__ import annotations

import re

from pydantic import BaseModel

from dashboard.api.routes import RouteTable
from dashboard.schemas import CallEventIn, FaultIn, PositionIn, SeatEventIn

# Batch bodies are validated item by item (a bad item is reported, not fatal), so their pydantic schema says
# "objects"; the document names the item schema each batch really expects.
BATCH_ITEMS = {"FaultBatchIn": FaultIn, "PositionBatchIn": PositionIn, "SeatEventBatchIn": SeatEventIn,
               "CallEventBatchIn": CallEventIn}

ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "details"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "array"}}}}}
_REASONS = {200: "OK", 201: "Created", 400: "Malformed body", 401: "No or bad credentials",
            403: "Role not allowed", 404: "Unknown id", 409: "Conflict", 413: "Body too large",
            410: "No longer held here", 422: "Failed validation", 429: "Rate limited"}


def _schemas(models: list[type[BaseModel]]) -> dict:
    out: dict = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out


def build_openapi(table: RouteTable, prefix: str) -> dict:
    models = sorted({m for r in table.routes for m in r.body}, key=lambda m: m.__name__)
    schemas = _schemas(models + list(BATCH_ITEMS.values())) | {"Error": ERROR_SCHEMA}
    for batch, item in BATCH_ITEMS.items():
        if batch in schemas:
            schemas[batch]["properties"]["items"]["items"] = {"$ref": f"#/components/schemas/{item.__name__}"}
    paths: dict = {}
    for r in table.routes:
        op: dict = {"summary": r.summary, "operationId": r.handler.__name__,
                    "security": [{"bearer": []}, {"cookie": []}]}
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
            refs = [{"$ref": f"#/components/schemas/{m.__name__}"} for m in r.body]
            op["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": refs[0] if len(refs) == 1 else {"oneOf": refs}}}}
        responses = {str(code): {"description": _REASONS.get(code, "")} for code in r.responses}
        for code in (401, 403) if r.roles is not None else (401,):
            responses.setdefault(str(code), {"description": _REASONS[code]})
        if r.body:
            responses.setdefault("400", {"description": _REASONS[400]})
            responses.setdefault("413", {"description": _REASONS[413]})
            responses.setdefault("422", {"description": _REASONS[422]})
        for code, resp in responses.items():
            if int(code) >= 400:
                resp["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            elif r.path != "/metrics":
                resp["content"] = {"application/json": {"schema": {"type": "object"}}}
        paths.setdefault(r.path, {})[r.method.lower()] = op | {"responses": responses}
    paths["/healthz"] = {"get": {"summary": "Liveness and dependencies; no auth", "operationId": "healthz",
                                 "security": [], "responses": {"200": {"description": "OK"},
                                                               "503": {"description": "Degraded"}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "GridCommand API", "version": "1.0.0",
                     "description": "Ingest, dispatch and live state of the power-supply service command center."},
            "servers": [{"url": prefix}], "paths": paths,
            "components": {"schemas": schemas, "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "session"}}}}


def _path_names(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)
