"""GET /reliability's `daily`: the period's daily SAIDI (the executive page's bar chart), each day's
customer-minutes over the customers served, worked out by hand from the outages reported."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.api.test_reliability_api import NOW, TODAY, TZ, district_of, get, report_outage, served
from tests.support.backends import pytest_generate_tests  # noqa: F401 (SQLite and PostgreSQL alike)


@pytest.fixture
def config(config):
    return config.with_(max_report_age=timedelta(days=365))  # outages reported weeks after they began


@pytest.fixture
def now(services):
    services.clock = lambda: NOW
    return NOW


def test_daily_saidi_is_each_days_customer_minutes_over_the_customers_served(client, services, now, grid):
    district = district_of(services, grid)
    nt = served(services, district)
    calm = NOW - timedelta(days=2, hours=1)
    report_outage(client, [grid], calm, calm + timedelta(minutes=40), 30)  # 1,200 customer-minutes
    storm = NOW - timedelta(days=5, hours=2)
    report_outage(client, [grid], storm, storm + timedelta(hours=3), 500)  # 90,000
    report_outage(client, [grid], NOW - timedelta(days=50), NOW - timedelta(days=50) + timedelta(hours=1), 10)
    body = get(client, district=district, **{"from": (TODAY - timedelta(days=10)).isoformat()}).json
    day = lambda t: t.astimezone(ZoneInfo(TZ)).date().isoformat()  # noqa: E731
    assert body["daily"] == [{"date": day(storm), "saidi": pytest.approx(90_000 / nt)},
                             {"date": day(calm), "saidi": pytest.approx(1_200 / nt)}]
    # The days add up to the period's SAIDI; the outage before `from` is in the history, not in the chart.
    assert sum(d["saidi"] for d in body["daily"]) == pytest.approx(body["all"]["saidi"])
