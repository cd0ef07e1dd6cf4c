"""The callback KPIs (docs/callbacks.md) on a small hand-made set of tasks, on a fixed clock."""
from datetime import datetime, timedelta, timezone

from dashboard.models import CallbackTask
from dashboard.services.kpis import callback_figures, compute_kpis

# 10:00 in Beijing: the center's day began at 16:00 UTC the day before.
NOW = datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc)
DAY = datetime(2026, 3, 9, 16, 0, tzinfo=timezone.utc)


def _task(n: int, opened: datetime, status: str, result: str | None = None, closed: datetime | None = None):
    return CallbackTask(subject_kind="workorder", subject_id=n, status=status, result=result, opened_at=opened,
                        due_at=opened + timedelta(hours=24), closed_at=closed, attempts=1, updated_at=NOW)


def test_completion_and_satisfaction_of_the_day(services):
    today, yesterday = DAY + timedelta(hours=1), DAY - timedelta(hours=3)
    with services.db.write() as s:
        s.add_all([
            # Opened today: two reached (one satisfied), one unreachable, one still pending.
            _task(1, today, "done", "satisfied", today + timedelta(hours=2)),
            _task(2, today, "done", "not_satisfied", today + timedelta(hours=3)),
            _task(3, today, "unreachable", None, today + timedelta(hours=4)),
            _task(4, today, "pending"),
            # Opened yesterday, reached today (satisfied): counts in today's satisfaction, not in completion.
            _task(5, yesterday, "done", "satisfied", today),
            # Opened and reached yesterday: in neither.
            _task(6, yesterday, "done", "not_satisfied", yesterday + timedelta(hours=1)),
            _task(7, yesterday, "pending"),
        ])
        s.commit()
    with services.db.read() as s:
        figures = callback_figures(s, DAY)
        kpis = compute_kpis(s, NOW, services.rule)
    assert figures == {"callbacks_opened_today": 4, "callbacks_completed_today": 3, "callback_completion": 0.75,
                       "callbacks_reached_today": 3, "satisfaction_rate": 0.6667}
    assert {k: kpis[k] for k in figures} == figures


def test_no_callbacks_today_gives_no_rate(services):
    with services.db.read() as s:
        figures = callback_figures(s, DAY)
    assert figures["callback_completion"] is None and figures["satisfaction_rate"] is None
    assert figures["callbacks_opened_today"] == figures["callbacks_reached_today"] == 0
