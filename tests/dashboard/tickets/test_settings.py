"""The tickets' settings: limits and the holiday calendar come from the environment; a bad one stops the start."""
from datetime import date, timedelta

import pytest

from dashboard.config import Config
from dashboard.tickets.limits import Span


def test_limits_and_calendar_from_the_environment(monkeypatch, tmp_path):
    days = tmp_path / "days.csv"
    days.write_text("date,kind\n2026-11-25,holiday\n", encoding="utf-8")
    monkeypatch.setenv("GRIDCMD_TICKET_LIMITS", "consultation=2h/2wd")
    monkeypatch.setenv("GRIDCMD_HOLIDAYS_FILE", str(days))
    rules = Config.from_env().ticket_rules()
    assert rules.limits["consultation"].contact == Span(timedelta(hours=2))
    assert not rules.calendar.is_working(date(2026, 11, 25))
    assert rules.thresholds == Config().escalation_levels


@pytest.mark.parametrize("name, value", [("GRIDCMD_TICKET_LIMITS", "complaint=soon"),
                                         ("GRIDCMD_HOLIDAYS_FILE", "/nonexistent/holidays.csv")])
def test_a_bad_setting_stops_the_start(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit):
        Config.from_env().ticket_rules()
