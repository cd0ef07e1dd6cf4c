"""Domain errors raised by services; the API maps them to 404 / 409 / 422 JSON answers."""
from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None, details: list | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.details = details or []


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class Invalid(ServiceError):
    status = 422
    code = "validation_failed"
