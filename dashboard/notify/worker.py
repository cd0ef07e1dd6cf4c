"""The outbox worker: claims due notices (safe with several server processes), sends each through its channel
outside any transaction, and records the outcome: sent, retried with exponential backoff, or dead after N tries."""
from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from dashboard.db import Database
from dashboard.models import Notification
from dashboard.notify.port import DeliveryError, Notice, Notifier, Recipient
from dashboard.timeutil import iso

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryRule:
    tries: int = 10  # then the notice is dead (the dead letters in GET /notifications?status=dead)
    first: timedelta = timedelta(seconds=10)  # the wait after the first failure, doubled after each
    longest: timedelta = timedelta(minutes=30)

    def wait(self, attempts: int) -> timedelta:
        return min(self.first * 2 ** max(0, attempts - 1), self.longest)


def notice_of(row: Notification) -> Notice:
    people = tuple(Recipient(r["role"], r["name"], r["phone"], r.get("email"), r.get("village"))
                   for r in row.recipients or [])
    return Notice(row.notice_id, row.event, iso(row.queued_at), row.grid_id, people, row.text, dict(row.data or {}))


class OutboxWorker:
    """`run_once` is one pass; create_app runs `drain` on a BackgroundLoop, woken when a notice is queued."""

    def __init__(self, db: Database, notifiers: Sequence[Notifier], clock: Callable[[], datetime],
                 retry: RetryRule | None = None, batch: int = 20, lease: timedelta = timedelta(minutes=2),
                 parallel: int = 8) -> None:
        self.db, self.clock, self.retry, self.batch, self.lease = db, clock, retry or RetryRule(), batch, lease
        self.parallel = parallel  # sends in flight at once
        self.notifiers = {n.name: n for n in notifiers}
        self.me = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.claimed = 0  # rows the last pass claimed

    def drain(self, passes: int = 50) -> int:
        """Passes until what is due is sent (a burst of notices goes at once, not a batch per interval)."""
        delivered = 0
        for _ in range(passes):
            sent = self.run_once()
            delivered += sent
            if self.claimed < self.batch or not sent:
                break
        return delivered

    def run_once(self) -> int:
        """One pass: claim up to `batch` due notices and send them; the number delivered."""
        ids = self._claim(self.clock())
        self.claimed = len(ids)
        if not ids:
            return 0
        with self.db.read() as session:
            rows = session.scalars(select(Notification).where(Notification.id.in_(ids))
                                   .order_by(Notification.next_at, Notification.id)).all()
        # One subject's notices on one channel go in order (an outage before its new ETR); different ones at once,
        # so a slow receiver (200 ms a notice) still takes a burst in seconds. Each channel's first group goes
        # alone: a receiver that is down costs one timeout a pass, not one per notice.
        groups: dict[tuple, list[Notification]] = {}
        for row in rows:
            groups.setdefault((row.channel, row.subject, row.subject_id, row.grid_id), []).append(row)
        firsts: dict[str, list[Notification]] = {}
        rest: list[list[Notification]] = []
        for (channel, *_), group in groups.items():
            if channel in firsts:
                rest.append(group)
            else:
                firsts[channel] = group
        down: set[str] = set()
        with ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="notifier-send") as pool:
            delivered = sum(pool.map(lambda g: self._send_group(g, down), firsts.values()))
            delivered += sum(pool.map(lambda g: self._send_group(g, down), rest))
        return delivered

    def _send_group(self, rows: list[Notification], down: set[str]) -> int:
        delivered = 0
        for row in rows:
            if row.channel in down:
                return delivered  # held with the rest of its channel
            try:
                self.notifiers[row.channel].send(notice_of(row))
            except Exception as exc:  # an adapter's bug must not kill the loop nor keep the row claimed
                if not isinstance(exc, DeliveryError):
                    log.exception("notifier %s failed on %s", row.channel, row.notice_id)
                permanent = isinstance(exc, DeliveryError) and exc.permanent
                retry_at = self._failed(row, str(exc) if isinstance(exc, DeliveryError)
                                        else f"{type(exc).__name__}: {exc}", permanent)
                if not permanent:  # the receiver is failing: whatever is due for it waits with this one
                    down.add(row.channel)
                    self._hold(row.channel, retry_at)
                return delivered
            self._sent(row)
            delivered += 1
        return delivered

    def _due(self, now: datetime):
        return (Notification.status == "pending", Notification.next_at <= now,
                Notification.channel.in_(list(self.notifiers)),
                or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))

    def _claim(self, now: datetime) -> list[int]:
        with self.db.read() as session:  # most passes find nothing: no write lock for that
            if session.scalar(select(Notification.id).where(*self._due(now)).limit(1)) is None:
                return []
        with self.db.write() as session:
            stmt = select(Notification.id).where(*self._due(now)).order_by(Notification.next_at,
                                                                          Notification.id).limit(self.batch)
            if _postgres(session):
                stmt = stmt.with_for_update(skip_locked=True)  # rows another process is claiming are skipped
            candidates = session.scalars(stmt).all()
            if not candidates:
                return []
            # Conditional: a row another process claimed meanwhile no longer matches, so each row has one owner.
            claimed = session.scalars(update(Notification).where(Notification.id.in_(candidates), *self._due(now))
                                      .values(claimed_by=self.me, claimed_until=now + self.lease)
                                      .returning(Notification.id)).all()
        return list(claimed)

    def _finish(self, row_id: int, **values) -> None:
        with self.db.write() as session:
            session.execute(update(Notification).where(Notification.id == row_id,
                                                       Notification.claimed_by == self.me)
                            .values(claimed_by=None, claimed_until=None, **values))

    def _sent(self, row: Notification) -> None:
        now = self.clock()
        self._finish(row.id, status="sent", sent_at=now, last_attempt_at=now, attempts=row.attempts + 1,
                     last_error=None)

    def _failed(self, row: Notification, error: str, permanent: bool) -> datetime:
        now = self.clock()
        attempts = row.attempts + 1
        dead = permanent or attempts >= self.retry.tries
        next_at = now + self.retry.wait(attempts)
        self._finish(row.id, status="dead" if dead else "pending", attempts=attempts, last_attempt_at=now,
                     last_error=error[:500], next_at=now if dead else next_at)
        log.warning("notice %s via %s not delivered (try %d%s): %s", row.notice_id, row.channel, attempts,
                    ", dead" if dead else "", error)
        return next_at

    def _hold(self, channel: str, until: datetime) -> None:
        """Every notice due on a failing channel waits until its next try, untried and not counted, instead of
        each timing out in turn (this pass's claimed ones are released; other processes' claims are left)."""
        now = self.clock()
        with self.db.write() as session:
            session.execute(update(Notification).where(
                Notification.channel == channel, Notification.status == "pending", Notification.next_at < until,
                or_(Notification.claimed_by == self.me, Notification.claimed_until.is_(None),
                    Notification.claimed_until < now))
                .values(next_at=until, claimed_by=None, claimed_until=None))


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
