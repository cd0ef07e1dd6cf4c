"""The demo's roster: a duty chief, dispatchers, seats and crews on duty at any hour of its days; first start only."""
from datetime import timedelta

from dashboard.demo_roster import seed_demo_roster
from dashboard.services.kpis import compute_kpis
from dashboard.services.roster import on_duty


def test_someone_is_on_duty_around_the_clock(services):
    now = services.clock()
    assert seed_demo_roster(services.db, now, services.rule.timezone)
    assert not seed_demo_roster(services.db, now, services.rule.timezone)  # the roster is there: left alone
    with services.db.read() as s:
        for hours in range(0, 72, 5):
            counts = on_duty(s, now + timedelta(hours=hours))["counts"]
            assert counts["duty_chief"] == 1 and counts["dispatcher"] >= 2 and counts["seat"] >= 1, (hours, counts)
            assert counts["crew"] >= 60
        kpis = compute_kpis(s, now, services.rule)
    assert kpis["on_duty"]["duty_chief"] and kpis["seats_rostered_now"] == kpis["on_duty"]["seats"] > 0
