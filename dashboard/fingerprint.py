"""Fingerprints: content hashes for idempotency (the same validated body, the same digest) and the digests under
which secrets (API tokens, sign-in keys) are stored instead of the secrets themselves."""
from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel


def content_hash(body: BaseModel) -> str:
    return hashlib.sha256(json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
