"""Service and storage tests run twice: on SQLite and on a real PostgreSQL (a module may set SQLITE_ONLY)."""
import pytest


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        backends = [pytest.param("sqlite", id="sqlite")]
        if not getattr(metafunc.module, "SQLITE_ONLY", False):
            backends.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
        metafunc.parametrize("database_url", backends, indirect=True)
