"""The work-order lifecycle and escalation levels."""

import pytest

from dashboard.domain import OPEN_STATUSES, TRANSITIONS, OrderStatus, can_transition

S = OrderStatus


@pytest.mark.parametrize("a, b", [(S.received, S.dispatched), (S.dispatched, S.accepted), (S.accepted, S.en_route),
                                  (S.en_route, S.on_site), (S.on_site, S.restored), (S.restored, S.visited),
                                  (S.visited, S.closed), (S.dispatched, S.on_site), (S.received, S.cancelled),
                                  (S.on_site, S.cancelled),
                                  (S.restored, S.closed)])  # only once the callback is unreachable (services)
def test_allowed(a, b):
    assert can_transition(a, b)


@pytest.mark.parametrize("a, b", [(S.received, S.on_site), (S.restored, S.cancelled), (S.closed, S.received),
                                  (S.cancelled, S.dispatched), (S.merged, S.closed), (S.on_site, S.en_route),
                                  (S.received, S.received)])
def test_forbidden(a, b):
    assert not can_transition(a, b)


def test_every_state_has_rules_and_open_means_before_restored():
    assert set(TRANSITIONS) == set(OrderStatus)
    assert S.restored not in OPEN_STATUSES and S.on_site in OPEN_STATUSES
