"""Shared shape of batch answers: one result per item, good items stored, bad ones reported by index."""
from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

CLOCK_SKEW = timedelta(minutes=2)  # devices' clocks run a little ahead; more than this is a bad timestamp


def validation_error(exc: ValidationError) -> dict:
    details = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
    return {"code": "validation_failed", "message": "the request failed validation", "details": details}


def rejected(index: int, code: str, message: str) -> dict:
    return {"index": index, "status": "rejected", "error": {"code": code, "message": message}}


def summarize(results: list[dict]) -> dict:
    results.sort(key=lambda r: r["index"])
    counts = {k: sum(1 for r in results if r["status"] == k) for k in ("stored", "ignored", "rejected")}
    return counts | {"results": results}


def validate_items(items: list, model: type[M]) -> tuple[list[tuple[int, M]], list[dict]]:
    """Each raw item validated by `model`: the good ones with their index, and a rejected result per bad one."""
    valid: list[tuple[int, M]] = []
    results: list[dict] = []
    for index, raw in enumerate(items):
        try:
            valid.append((index, model.model_validate(raw)))
        except ValidationError as exc:
            results.append({"index": index, "status": "rejected", "error": validation_error(exc)})
    return valid, results
