"""Fingerprints: content hashes for idempotency, and the digests secrets are stored under."""
from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel


def content_hash(body: BaseModel) -> str:
    data = body.model_dump(mode="json")
    # Fields added to a schema later leave the hash of a body without them as it was: a report stored before the
    # field existed replays as the same report.
    for name in getattr(body, "added_later", ()):
        if data.get(name) is None:
            data.pop(name, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
