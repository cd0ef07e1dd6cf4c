"""Content fingerprints for idempotency: the same validated body always gives the same digest."""
from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel


def content_hash(body: BaseModel) -> str:
    return hashlib.sha256(json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()
