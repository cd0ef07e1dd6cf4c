"""The public feed's pieces without a server: cause wording, the coarse place, opaque ids, the timed cache, local
times on the page."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dashboard.ops.timed_cache import TimedCache
from dashboard.services.public_cause import PUBLIC_CAUSES, public_cause
from dashboard.services.public_outages import _coarse_place, public_id
from dashboard.web.outage_notice_page import local_time, zone_label


@pytest.mark.parametrize("kind, source, cause, code", [
    ("planned", "planned", "为孙大伟家新装表计", "planned_work"),
    ("planned", "planned", None, "planned_work"),
    ("unplanned", "reported", "大风致线路跳闸", "weather"),
    ("unplanned", "calls", "Lightning strike", "weather"),
    ("unplanned", "reported", "施工挖断电缆", "external_damage"),
    ("unplanned", "automation", "switching", "switching"),
    ("unplanned", "commanded", None, "switching"),
    ("unplanned", "calls", None, "equipment_fault"),
    ("unplanned", "reported", "张三 13912345678", "equipment_fault"),
])
def test_causes_are_one_of_the_public_wordings(kind, source, cause, code):
    assert public_cause(kind, source, cause) == code and code in PUBLIC_CAUSES


def test_the_place_is_widened_outward_to_a_hundredth_of_a_degree():
    centroid, bbox = _coarse_place([(116.4071, 39.9042, 116.4123, 39.9099)])
    assert bbox == [116.40, 39.90, 116.42, 39.91]
    assert centroid == [116.41, 39.91]  # the middle of the widened box, rounded: not the device's place
    centroid, bbox = _coarse_place([(116.40, 39.90, 116.41, 39.91), (116.45, 39.88, 116.46, 39.89)])
    assert bbox == [116.40, 39.88, 116.46, 39.91]
    assert _coarse_place([]) == (None, None)


def test_ids_are_stable_per_key_and_name_no_row():
    assert public_id(b"k", 1) == public_id(b"k", 1) != public_id(b"k", 2)
    assert public_id(b"k", 1) != public_id(b"other", 1)
    assert len(public_id(b"k", 1)) == 16 and "1" != public_id(b"k", 1)


def test_the_timed_cache_builds_once_per_period_and_again_when_the_clock_goes_back():
    cache: TimedCache[int] = TimedCache(timedelta(seconds=15))
    built: list[datetime] = []

    def build(now: datetime) -> int:
        built.append(now)
        return len(built)

    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert cache.get(t0, build) == 1
    assert cache.get(t0 + timedelta(seconds=14.9), build) == 1
    assert cache.get(t0 + timedelta(seconds=15), build) == 2
    assert cache.get(t0, build) == 3  # the clock went back: what was built "later" is not trusted
    assert cache.builds == 3


def test_times_on_the_page_are_the_centers_with_the_date():
    assert local_time("2026-11-22T23:31:00Z", "Asia/Shanghai", "zh") == "11月23日 07:31"
    assert local_time("2026-11-22T23:31:05Z", "Asia/Shanghai", "en", seconds=True) == "23 Nov 07:31:05"
    assert local_time(None, "Asia/Shanghai", "zh") == ""
    assert zone_label("Asia/Shanghai", "2026-11-22T23:31:00Z") == "UTC+8"
    assert zone_label("Asia/Kolkata", "2026-11-22T23:31:00Z") == "UTC+5:30"


def test_the_public_settings_come_from_the_environment_and_a_bad_limit_stops_the_start(monkeypatch):
    from dashboard.config import Config
    monkeypatch.setenv("GRIDCMD_PUBLIC_LIMIT", "100/hour")
    monkeypatch.setenv("GRIDCMD_PUBLIC_CACHE_S", "30")
    monkeypatch.setenv("GRIDCMD_PUBLIC_UPCOMING_DAYS", "3")
    config = Config.from_env()
    assert (config.public_limit, config.public_cache_s, config.public_upcoming_days) == ("100/hour", 30, 3)
    monkeypatch.setenv("GRIDCMD_PUBLIC_LIMIT", "lots")
    with pytest.raises(SystemExit, match="GRIDCMD_PUBLIC_LIMIT"):
        Config.from_env()
