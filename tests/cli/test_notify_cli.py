"""`gridcommand notify requeue [--all-dead | ID...]`: dead notices back in the queue with their tries reset and the
same notice id, audited; an id that is unknown or not dead is named and nothing is requeued."""
import io

import pytest
from sqlalchemy import insert, select

from dashboard.cli import main
from dashboard.db import Database
from dashboard.models import AuditEntry, Notification
from tests.conftest import now_utc
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)


def _run(monkeypatch, database_url, argv):
    monkeypatch.setenv("GRIDCMD_DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(SystemExit) as done:
        main(argv)
    return done.value.code


def _notices(database_url, *statuses) -> list[int]:
    db = Database(database_url)
    now = now_utc()
    with db.write() as s:
        return list(s.scalars(insert(Notification).returning(Notification.id), [
            {"notice_id": f"outage:{n}:g:opened", "channel": "webhook", "event": "outage_opened", "subject": "outage",
             "subject_id": n, "grid_id": None, "recipients": [], "text": "x", "data": {}, "status": status,
             "attempts": 10 if status == "dead" else 1, "queued_at": now, "next_at": now, "last_error": "HTTP 500"}
            for n, status in enumerate(statuses)]))


def _rows(database_url) -> dict[int, tuple[str, int, str]]:
    with Database(database_url).read() as s:
        return {r.id: (r.status, r.attempts, r.notice_id) for r in s.scalars(select(Notification))}


def test_by_id_then_all_dead(monkeypatch, database_url, capsys):
    a, b, sent, c = _notices(database_url, "dead", "dead", "sent", "dead")
    assert _run(monkeypatch, database_url, ["notify", "requeue", str(a)]) == 0
    assert "1 notice(s) queued again" in capsys.readouterr().out
    assert _rows(database_url)[a] == ("pending", 0, "outage:0:g:opened")
    assert _run(monkeypatch, database_url, ["notify", "requeue", "--all-dead"]) == 0
    assert f"2 notice(s) queued again: {b}, {c}" in capsys.readouterr().out
    rows = _rows(database_url)
    assert rows[b][:2] == rows[c][:2] == ("pending", 0) and rows[sent][:2] == ("sent", 1)
    with Database(database_url).read() as s:
        assert [(e.actor, e.object_id) for e in s.scalars(select(AuditEntry).where(
            AuditEntry.action == "notice_requeued").order_by(AuditEntry.id))] == [
            ("cli", str(a)), ("cli", str(b)), ("cli", str(c))]


def test_an_id_not_dead_or_unknown_requeues_none(monkeypatch, database_url, capsys):
    dead, sent = _notices(database_url, "dead", "sent")
    assert _run(monkeypatch, database_url, ["notify", "requeue", str(dead), str(sent)]) == 2
    assert "not dead" in capsys.readouterr().err
    assert _run(monkeypatch, database_url, ["notify", "requeue", str(dead), "9999"]) == 2
    assert "9999 not found" in capsys.readouterr().err
    assert _rows(database_url)[dead][:2] == ("dead", 10)  # the whole command is one transaction
    assert _run(monkeypatch, database_url, ["notify", "requeue"]) == 2  # neither ids nor --all-dead
