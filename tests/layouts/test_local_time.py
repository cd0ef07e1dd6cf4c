"""Times on the console read in the center's time zone."""
from layouts.local_time import hm


def test_times_are_shown_in_the_centers_zone_not_utc():
    assert hm("2026-11-22T22:05:00+00:00", "Asia/Shanghai") == "06:05"
    assert hm("2026-11-22T22:05:00Z", "Asia/Shanghai") == "06:05"
    assert hm(None, "Asia/Shanghai") == "–"
