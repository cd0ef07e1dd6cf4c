"""The REST API (/api/v1): a Flask blueprint whose routes are declared once for dispatch and for OpenAPI."""
from dashboard.api.blueprint import create_api

__all__ = ["create_api"]
