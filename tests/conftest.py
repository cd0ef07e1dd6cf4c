"""Fixtures: a fresh database and app per test (SQLite copied from a migrated template; PostgreSQL by marker)."""
from __future__ import annotations

import itertools
import shutil
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from app import create_app, runtime_of
from dashboard.config import Config
from dashboard.db import Database
from dashboard.services.grid_catalog import ensure_grids
from geo.grids import load_default_grids
from tests.support.servers import PostgresServer, RedisServer

TOKENS = {"ingest": "ingest-token", "dispatcher": "dispatch-token", "viewer": "viewer-token",
          "admin": "admin-token", "executive": "exec-token"}
_counter = itertools.count()


def auth(role: str) -> dict:
    return {"Authorization": f"Bearer {TOKENS[role]}"}


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def make_fault(**overrides) -> dict:
    """A valid report inside Dongcheng (grid 110101-xxx), reported a minute ago."""
    body = {"external_id": f"F-{next(_counter):06d}",
            "reported_at": (now_utc() - timedelta(minutes=1)).isoformat(),
            "lon": 116.4075, "lat": 39.9040, "category": "lv"}
    body.update(overrides)
    return body


def _seed(url: str) -> None:
    db = Database(url)
    db.upgrade()
    with db.write() as session:
        ensure_grids(session, load_default_grids())
    db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    _seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_server():
    server = PostgresServer().start()
    _seed(server.url("postgres").rsplit("/", 1)[0] + "/postgres")
    admin = create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE gridtemplate TEMPLATE template0"))
    admin.dispose()
    _seed(server.url("gridtemplate"))
    yield server
    server.stop()


def _fresh_pg(server: PostgresServer) -> str:
    name = f"t{next(_counter)}"
    admin = create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE gridtemplate"))
    admin.dispose()
    return server.url(name)


@pytest.fixture
def database_url(tmp_path, sqlite_template, request):
    backend = getattr(request, "param", "sqlite")
    if backend == "postgres":
        return _fresh_pg(request.getfixturevalue("pg_server"))
    path = tmp_path / "gridcommand.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def config(database_url) -> Config:
    return Config(database_url=database_url, api_tokens=tuple((v, k) for k, v in TOKENS.items()),
                  secret_key="test-secret", flush_interval_s=0.05, testing=True)


@pytest.fixture
def app(config):
    dash_app = create_app(config)
    yield dash_app
    runtime_of(dash_app).stop()


@pytest.fixture
def services(app):
    return runtime_of(app).services


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def grid(services) -> str:
    """The grid holding make_fault's point (Dongcheng), where the tests' toy networks are drawn."""
    return services.catalog.index.locate_points([116.4075], [39.9040])[0]


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


SAME_ORIGIN = {"Origin": "http://localhost"}  # the Flask test client's host
TYPED = {"Sec-Fetch-Site": "none"}  # an address typed or started from the command line, as a browser says it


def form_token(client, path: str = "/login") -> str:
    import re
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).data.decode()).group(1)


def post_login(client, user: str, password: str, **extra):
    """The login form as a browser sends it: with the page's anti-forgery token, from this origin."""
    form = {"user": user, "password": password, "csrf_token": form_token(client)} | extra
    return client.post("/login", data=form, headers=SAME_ORIGIN)


def add_person(services, role: str, name: str | None = None, password: str = "correct-horse-9") -> str:
    from dashboard.services.accounts import add_user
    name = name or f"{role}-{next(_counter)}"
    with services.db.write() as session:
        add_user(session, name, password, role, now_utc())
    return name


def sign_in(client, services, role: str, name: str | None = None, password: str = "correct-horse-9") -> str:
    """Add a person with `role` and sign the test client in through the login form, as a browser would."""
    name = add_person(services, role, name, password)
    r = post_login(client, name, password)
    assert r.status_code == 302, r.data[:300]
    return name
