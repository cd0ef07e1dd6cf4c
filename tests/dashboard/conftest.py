"""Service and storage tests run twice: on SQLite and on a real PostgreSQL (a module may set SQLITE_ONLY)."""
from tests.support.backends import pytest_generate_tests  # noqa: F401 (a pytest hook, found by its name)
