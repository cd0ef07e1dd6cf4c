"""Secrets never reach a log line: tokens and passwords in messages, request lines and tracebacks are replaced."""
from __future__ import annotations

import logging
import re
from urllib.parse import unquote

REDACTED = "[redacted]"
_SECRET = r"[\w-]*(?:token|password|passwd|secret|api_?key)[\w-]*"
_PATTERNS = (
    # query strings and form bodies: token=..., password=..., csrf_token=... (keys percent-decoded first)
    re.compile(rf"(?i)\b({_SECRET}=)[^&\s\"']+"),
    re.compile(r"(?i)\b((?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(rf'(?i)("{_SECRET}"\s*:\s*")(?:[^"\\]|\\.)*'),  # JSON members, escaped quotes and all
    re.compile(rf"(?i)('{_SECRET}'\s*:\s*')(?:[^'\\]|\\.)*"),  # Python reprs of dicts
)


def redact(text: str) -> str:
    if "%" in text:
        text = unquote(text)  # /kiosk?tok%65n=... is /kiosk?token=... to the server, so it is to us
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class RedactSecrets(logging.Filter):
    """On handlers: cleans the formatted message and any traceback before the handler writes them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


_installed = False


def install() -> None:
    """Every record, from any logger, is cleaned when it is made (whatever handlers a server sets up later), and
    the root's handlers clean tracebacks too. Called by create_app and by main(); once is enough."""
    global _installed
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
    if _installed:
        return
    _installed = True
    make = logging.getLogRecordFactory()

    def make_clean(*args, **kwargs) -> logging.LogRecord:
        record = make(*args, **kwargs)
        RedactSecrets().filter(record)
        return record

    logging.setLogRecordFactory(make_clean)
