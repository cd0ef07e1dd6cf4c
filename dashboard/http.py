"""HTTP pieces both surfaces share, the machines' API and the people's pages: the JSON error answer, safe methods."""
from __future__ import annotations

from flask import Response, jsonify

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # they change nothing, so no origin or body checks


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


def error_response(status: int, code: str, message: str, details: list | None = None) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "details": details or []}})
    response.status_code = status
    return response
