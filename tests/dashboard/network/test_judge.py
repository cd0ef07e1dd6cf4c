"""研判 on hand-built trees: prediction, roll-up, automation-closed devices, locks, covering outages."""
from datetime import datetime, timedelta, timezone

from dashboard.network.judge import CallSeen, KnownOutage, Rules, covering_outage, judge_call
from dashboard.network.tree import DeviceKind as K, DeviceSpec as D, Network

T0 = datetime(2026, 7, 1, 3, 0, tzinfo=timezone.utc)


def net() -> Network:
    devices = [D("S", K.station, None), D("F1", K.feeder, "S"), D("SW1", K.switch, "F1"), D("SW2", K.switch, "F1")]
    devices += [D(f"T{i}", K.transformer, "SW1" if i < 4 else "SW2", customers=100) for i in range(1, 7)]
    return Network(devices)


def call(i: int, t: str, minutes: int = 0, outage: int | None = None) -> CallSeen:
    return CallSeen(i, t, f"c{i}", T0 + timedelta(minutes=minutes), outage)


def test_one_call_is_not_enough_two_under_one_transformer_predict_it():
    n, rules = net(), Rules()
    first = call(1, "T1")
    assert judge_call(n, rules, first, [first], [], set()).action == "single"
    second = call(2, "T1", 12)
    verdict = judge_call(n, rules, second, [first, second], [], set())
    assert (verdict.action, verdict.device_id, verdict.lone_calls) == ("predict", "T1", (1,))
    assert verdict.reason == "2 calls under T1 in 12 min"


def test_a_covering_outage_takes_the_call_the_highest_one_wins():
    n = net()
    outages = [KnownOutage(7, "SW1", "predicted", False), KnownOutage(8, "F1", "confirmed", True),
               KnownOutage(9, "SW2", "restored", False)]
    verdict = judge_call(n, Rules(), call(1, "T2"), [call(1, "T2")], outages, set())
    assert (verdict.action, verdict.outage_id) == ("link", 8)
    assert covering_outage(n, "T5", [outages[0], outages[2]]) is None  # SW2's is over; SW1's is elsewhere


def test_two_predicted_devices_under_one_parent_move_the_prediction_up_and_absorb_them():
    n = net()
    outages = [KnownOutage(7, "T1", "predicted", False)]
    calls = [call(1, "T1", outage=7), call(2, "T1", 1, outage=7), call(3, "T2", 3), call(4, "T2", 4)]
    verdict = judge_call(n, Rules(), calls[3], calls, outages, set())
    assert (verdict.action, verdict.device_id, verdict.absorb) == ("predict", "SW1", (7,))
    assert set(verdict.lone_calls) == {3}
    assert "2 devices under SW1 out" in verdict.reason


def test_a_locked_outage_counts_as_evidence_but_is_not_absorbed():
    n = net()
    outages = [KnownOutage(7, "T1", "confirmed", True)]
    calls = [call(3, "T2", 3), call(4, "T2", 4)]
    verdict = judge_call(n, Rules(), calls[1], calls, outages, set())
    assert verdict.device_id == "SW1" and verdict.absorb == ()


def test_a_share_of_customers_calling_moves_the_prediction_up():
    n = net()
    rules = Rules(share_to_roll_up=0.01, devices_to_roll_up=99)
    calls = [call(1, "T1"), call(2, "T1", 1), call(3, "T3", 2)]  # 3 callers of SW1's 300 customers = 1 %
    verdict = judge_call(n, rules, calls[1], calls, [], set())
    assert verdict.device_id == "SW1" and "3 of the 300 customers under SW1 called" in verdict.reason


def test_a_device_automation_reports_closed_is_never_predicted():
    n = net()
    calls = [call(1, "T1"), call(2, "T1", 1)]
    verdict = judge_call(n, Rules(), calls[1], calls, [], {"T1"})
    assert verdict.device_id == "SW1" and "T1 reported closed by automation" in verdict.reason
    outages = [KnownOutage(7, "T4", "predicted", False)]
    calls = [call(1, "T1"), call(2, "T1", 1)]
    verdict = judge_call(n, Rules(), calls[1], calls, outages + [KnownOutage(8, "T5", "predicted", False)], {"SW1"})
    assert verdict.device_id == "T1"  # SW1 would be next, and nothing moves F1 up: SW2's side is not enough


def test_roll_up_skips_a_closed_parent_to_the_next_device_up():
    n = net()
    outages = [KnownOutage(7, "T1", "predicted", False)]
    calls = [call(1, "T1", outage=7), call(2, "T1", outage=7), call(3, "T2"), call(4, "T2", 1)]
    verdict = judge_call(n, Rules(), calls[3], calls, outages, {"SW1"})
    assert verdict.device_id == "F1" and "SW1 reported closed by automation, so F1" in verdict.reason


def test_roll_up_past_several_closed_parents_goes_on_from_where_it_landed():
    n = net()
    outages = [KnownOutage(7, "T1", "predicted", False)]
    calls = [call(1, "T1", outage=7), call(2, "T1", outage=7), call(3, "T2"), call(4, "T2", 1)]
    verdict = judge_call(n, Rules(), calls[3], calls, outages, {"SW1", "F1"})
    assert verdict.device_id == "S" and verdict.absorb == (7,)
