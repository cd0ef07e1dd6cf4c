"""Shared shape of batch answers: one result per item, good items stored, bad ones reported by index."""
from __future__ import annotations

from datetime import timedelta

from pydantic import ValidationError

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
