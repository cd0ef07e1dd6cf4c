"""Service and storage tests run twice: on SQLite and on a real PostgreSQL."""
import pytest


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", [
            pytest.param("sqlite", id="sqlite"),
            pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)], indirect=True)
