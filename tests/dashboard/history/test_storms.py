"""The generated storms are what the 2.5β method calls major event days: the project's reliability report over a
generated span finds the storm days among its MEDs, and the span without them meets the ASAI commitment."""
from datetime import datetime, timedelta, timezone

from dashboard.db import Database
from dashboard.history.generate import generate_history
from dashboard.services.reliability import ReliabilityQuery, reliability_report

SQLITE_ONLY = True  # one span of 150 days: the storage is the same code as test_generate's, on both backends
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
TZ = "Asia/Shanghai"


def test_storm_days_are_major_event_days(database_url):
    db = Database(database_url)
    result = generate_history(db, now=NOW, tz=TZ, days=150, scale=0.05, seed=11)
    assert len(result.storms) == 2
    with db.read() as s:
        report = reliability_report(s, ReliabilityQuery(result.days[0], result.days[-1] + timedelta(days=1)), TZ,
                                    NOW)
    meds = {d["date"] for d in report["med"]["days"]}
    assert {d.isoformat() for d in result.storms} <= meds
    # A MED that is not a storm is at most the day after one (a storm's outages running past midnight).
    after = {(d + timedelta(days=1)).isoformat() for d in result.storms}
    assert meds <= {d.isoformat() for d in result.storms} | after
    assert report["excluding_med"]["saidi"] < report["all"]["saidi"]
    assert report["excluding_med"]["asai"] > 0.999
    db.dispose()
