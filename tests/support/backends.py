"""Run a module's tests on SQLite and on a real PostgreSQL: import `pytest_generate_tests` into it (or a conftest);
a module that sets SQLITE_ONLY runs on SQLite alone."""
import pytest


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        backends = [pytest.param("sqlite", id="sqlite")]
        if not getattr(metafunc.module, "SQLITE_ONLY", False):
            backends.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
        metafunc.parametrize("database_url", backends, indirect=True)
