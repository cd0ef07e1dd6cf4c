"""Fingerprints: content hashes for idempotency, and the digests secrets are stored under."""
from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel


def content_hash(body: BaseModel) -> str:
    return hashlib.sha256(json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
