"""Secrets never reach a log line: tokens and passwords in URLs (the access log writes every request line, and a
wall starts at /kiosk?token=...), in Authorization headers, or in form bodies are replaced before output."""
from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_PATTERNS = (
    # query strings and form bodies: token=..., password=..., csrf_token=..., secret=..., key=...
    re.compile(r"(?i)\b([\w-]*(?:token|password|passwd|secret|api_?key)[\w-]*=)[^&\s\"']+"),
    re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)(\"(?:[\w-]*(?:token|password|secret)[\w-]*)\"\s*:\s*\")[^\"]*"),  # JSON members
)


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Put the filter on every handler of `logger` (the root by default): filters on handlers also see the records
    that child loggers (werkzeug's access log, ours) pass up."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
