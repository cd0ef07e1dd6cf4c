"""Storage: migrations match the models; SQLite runs in WAL; datetimes come back aware UTC."""
from datetime import datetime, timedelta, timezone

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from dashboard.models import Base, Meta, User


def test_migrations_produce_the_models_schema(services):
    with services.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_uses_wal(services):
    if not services.db.is_sqlite:
        return
    with services.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_datetimes_round_trip_as_aware_utc(services):
    at = datetime(2026, 11, 22, 18, 30, tzinfo=timezone(timedelta(hours=8)))
    with services.db.write() as s:
        s.add(User(name="u", password_hash="x", role="viewer", created_at=at))
    with services.db.read() as s:
        got = s.query(User).one().created_at
    assert got == at and got.tzinfo is not None and got.utcoffset() == timedelta(0)
    with services.db.read() as s:
        assert s.get(Meta, "grids_version") is not None
