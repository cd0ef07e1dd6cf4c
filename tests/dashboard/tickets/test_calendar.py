"""Working days: weekends off, holidays off, make-up working days (调休) on; limits counted on working days only."""
from datetime import date, datetime, timedelta, timezone

import pytest

from dashboard.tickets.calendar import WorkCalendar
from dashboard.tickets.holidays import load_calendar, parse_calendar
from dashboard.tickets.limits import TicketRules

CST = timezone(timedelta(hours=8))
FOUR_DAYS = timedelta(days=4)


def at(day: int, hour: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=CST)  # November 2026: the 20th is a Friday


def test_four_working_days_skip_the_weekend():
    assert WorkCalendar().add_working_time(at(20, 15), FOUR_DAYS) == at(26, 15)  # Fri 15:00 → Thu 15:00


def test_a_ticket_received_on_a_day_off_starts_counting_at_the_next_working_day():
    assert WorkCalendar().add_working_time(at(21, 10), FOUR_DAYS) == at(27, 0)  # Sat → Mon 00:00 + 4 days


def test_a_holiday_is_not_counted():
    calendar = WorkCalendar.of(holidays=[date(2026, 11, 25)])  # a Wednesday off
    assert calendar.add_working_time(at(20, 15), FOUR_DAYS) == at(27, 15)


def test_a_make_up_working_day_on_a_weekend_is_counted():
    plain = WorkCalendar()
    swapped = WorkCalendar.of(workdays=[date(2026, 11, 28)])  # Saturday worked (调休)
    assert plain.add_working_time(at(26, 15), FOUR_DAYS) == at(2, 15, month=12)  # Thu → Wed
    assert swapped.add_working_time(at(26, 15), FOUR_DAYS) == at(1, 15, month=12)  # Thu → Tue


def test_the_answer_is_in_utc_whatever_the_input_zone():
    due = WorkCalendar().add_working_time(at(20, 15).astimezone(timezone.utc), FOUR_DAYS)
    assert due == at(26, 15) and due.tzinfo == timezone.utc


def test_the_complaint_rule_contact_in_clock_hours_close_in_working_days():
    contact, close = TicketRules().dues("complaint", at(20, 15))
    assert contact == at(21, 15)  # 24 h, even into a Saturday
    assert close == at(26, 15)


def test_a_calendar_with_no_working_day_is_an_error_not_a_hang():
    never = WorkCalendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError):
        never.add_working_time(at(20), FOUR_DAYS)


def test_the_calendar_file_csv_and_json(tmp_path):
    csv_file = tmp_path / "days.csv"
    csv_file.write_text("# example\ndate,kind,name\n2026-11-25,holiday,x\n2026-11-28,workday,y\n", encoding="utf-8")
    calendar = load_calendar(str(csv_file))
    assert not calendar.is_working(date(2026, 11, 25)) and calendar.is_working(date(2026, 11, 28))
    json_file = tmp_path / "days.json"
    json_file.write_text('{"holidays": ["2026-11-25"], "workdays": ["2026-11-28"]}', encoding="utf-8")
    assert load_calendar(str(json_file)) == calendar
    assert load_calendar(None) == WorkCalendar()


@pytest.mark.parametrize("text", ["date,kind\n2026-13-01,holiday\n", "date,kind\n2026-11-25,party\n",
                                  "day,what\n2026-11-25,holiday\n",
                                  "date,kind\n2026-11-25,holiday\n2026-11-25,workday\n"])
def test_a_bad_calendar_file_is_refused(text):
    with pytest.raises(ValueError):
        parse_calendar(text, json_format=False)


def test_the_example_file_parses_and_says_it_is_an_example():
    from pathlib import Path
    text = (Path(__file__).parents[3] / "docs" / "examples" / "holidays-EXAMPLE.csv").read_text(encoding="utf-8")
    assert "NOT the State Council" in text
    assert parse_calendar(text, json_format=False).holidays
