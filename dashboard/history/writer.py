"""Writing a generated block: ids reserved for the tables others point at, then Core bulk inserts in chunks, one
transaction each, so a live writer (the demo's simulator) waits at most one chunk."""
from __future__ import annotations

from collections.abc import Callable
from functools import cache

from sqlalchemy import func, insert, select, text

from dashboard.db import Database
from dashboard.history.block import Block
from dashboard.models import (Call, CallbackTask, FaultReport, Outage, Ticket, UTCDateTime, WorkOrder,
                              WorkOrderEvent)

CHUNK = 10_000
SQLITE_GAP = 1000  # ids a live writer may take between our look at the largest id and our first insert
# In the order they must go in: each after the tables its rows point at.
ORDER = (("work_orders", WorkOrder), ("workorder_events", WorkOrderEvent), ("outages", Outage), ("fault_reports", FaultReport), ("calls", Call),
         ("tickets", Ticket), ("callback_tasks", CallbackTask))
RESERVED = {"work_orders": WorkOrder, "outages": Outage}


def reserve(db: Database, table, count: int) -> int:
    """The first of `count` ids nobody else will take. PostgreSQL: the sequence is moved past them under a lock
    that holds back other inserts for that moment. SQLite (ids are the largest + 1): the block starts a little
    above the largest id and its highest rows go in first, so a live insert lands above the whole block."""
    with db.write() as session:
        if session.get_bind().dialect.name == "postgresql":
            name = table.__tablename__
            session.execute(text(f"LOCK TABLE {name} IN SHARE ROW EXCLUSIVE MODE"))
            top = session.scalar(select(func.coalesce(func.max(table.id), 0)))
            seq = session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name})
            last = session.scalar(text(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {seq}"))
            base = max(int(top), int(last or 0)) + 1
            session.execute(text("SELECT setval(:s, :v)"), {"s": seq, "v": base + count - 1 if count else base})
            return base
        return int(session.scalar(select(func.coalesce(func.max(table.id), 0)))) + 1 + SQLITE_GAP


@cache
def _instants(table) -> tuple[str, ...]:
    """The table's instant columns: on SQLite the rows carry the text SQLAlchemy itself would store there (naive
    UTC, 'YYYY-MM-DD HH:MM:SS.ffffff'), formatted once instead of through the type's hooks per value."""
    return tuple(c.name for c in table.columns if isinstance(c.type, UTCDateTime))


def _stored_text(rows: list[dict], instants: tuple[str, ...]) -> None:
    for row in rows:
        for name in instants:
            value = row.get(name)
            if value is not None:  # every generated instant is aware UTC
                row[name] = f"{value.isoformat(' ', 'seconds')[:19]}.{value.microsecond:06d}"


def _insert(session, model, chunk: list[dict]) -> None:
    table = model.__table__
    if session.get_bind().dialect.name == "sqlite" and model is not Outage:  # outages keep JSON: the type's way
        # Straight to the driver: every value is already what SQLAlchemy would bind (text instants, ints, floats,
        # str, bool), and a year is millions of rows: compiling each row's parameters cost a third of the time.
        _stored_text(chunk, _instants(table))
        columns = list(chunk[0])
        sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        session.connection().exec_driver_sql(sql, [tuple(row[c] for c in columns) for row in chunk])
        return
    session.execute(insert(table), chunk)


def write_block(db: Database, block: Block, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Reserve ids, place the block on them and insert it; rows written per table."""
    counts = block.counts()
    bases = {name: reserve(db, model, counts[name]) for name, model in RESERVED.items()}
    block.place(bases)
    for name, model in ORDER:
        rows = getattr(block, name)
        chunks = [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]
        if name in RESERVED:
            chunks.reverse()  # the block's rows are in id order: its largest id goes in first
        for chunk in chunks:
            with db.write() as session:
                _insert(session, model, chunk)
            if progress:
                progress(name, len(chunk))
    return counts
