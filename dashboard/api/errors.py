"""JSON errors for every failure: {"error": {"code", "message", "details"}}; never an HTML page."""
from __future__ import annotations

import logging

from dash.exceptions import DependencyException
from flask import Flask, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from dashboard.errors import ServiceError
from dashboard.http import ApiError, error_response
from dashboard.services.batch import validation_error

log = logging.getLogger(__name__)


_HTTP_CODES = {400: "malformed_body", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "body_too_large", 415: "unsupported_media_type",
               429: "rate_limited"}


def install_error_handlers(app: Flask, prefix: str) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        body = validation_error(exc)
        return error_response(422, body["code"], body["message"], body["details"])

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if not request.path.startswith(prefix):
            return exc
        status = exc.code or 500
        return error_response(status, _HTTP_CODES.get(status, "http_error"), exc.description or exc.name)

    @app.errorhandler(DependencyException)
    def _no_such_script(exc: DependencyException):
        # Dash's script route, asked for a package or file it does not serve (a stale page, a probe): not found.
        return "not found", 404

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if request.path.startswith(prefix):
            return error_response(500, "internal_error", "the server failed; the request was not stored")
        raise exc
