"""Database engines and sessions: SQLite (WAL, serialised writers) by default, PostgreSQL by URL."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

CHANGE_HOOKS = "change_hooks"  # where write sessions carry the hooks of add_change_hook, in session.info


def _sqlite_engine(url: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Take transaction control from pysqlite so SAVEPOINT works and writers can BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writer that begins deferred and later upgrades can fail at once with SQLITE_BUSY_SNAPSHOT;
        # IMMEDIATE takes the write lock up front and waits for it instead.
        conn.exec_driver_sql(begin)

    return engine


class Database:
    """Owns the engines; `write()` and `read()` hand out sessions that commit or roll back on exit."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            path = url.split(":///", 1)[-1]
            if path and path != ":memory:" and not path.startswith("file:"):
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(url, "BEGIN IMMEDIATE")
            self.read_engine = _sqlite_engine(url, "BEGIN")
        else:
            self.engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
            self.read_engine = self.engine
        # SQLite has one writer at a time anyway. Queueing this process's writers on a lock hands the write
        # over the moment it is free; left to SQLite, a waiting writer polls with sleeps of up to 100 ms.
        self._write_lock = threading.RLock() if self.is_sqlite else nullcontext()
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)

    def add_change_hook(self, hook) -> None:
        """Every write session from now on runs `hook` in commit_and_publish, inside its transaction (the outbox
        of notices is written this way: see dashboard/services/changes.py)."""
        hooks = self._write.kw.get("info", {}).get(CHANGE_HOOKS, ())
        self._write.configure(info={CHANGE_HOOKS: (*hooks, hook)})

    def add_flush_listener(self, listener) -> None:
        """Every write session runs `listener(session, flush_context)` after each flush, inside its transaction
        (the order roll-up marks the days a write touched: dashboard/services/order_rollup.py)."""
        event.listen(self._write, "after_flush", listener)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write_lock, self._write() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        # close() (not rollback) ends the read transaction and leaves loaded objects usable afterwards.
        with self._read() as session:
            yield session

    def upgrade(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        from alembic import command

        with self.engine.begin() as conn:
            cfg = alembic_config(self.url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


def alembic_config(url: str):
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg
