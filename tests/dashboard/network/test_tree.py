"""The network index and the whole-network validation."""
from dashboard.network.tree import DeviceKind as K, DeviceSpec as D, Network, network_problems


def small() -> list[D]:
    return [D("S", K.station, None), D("F1", K.feeder, "S"), D("SW1", K.switch, "F1"),
            D("T1", K.transformer, "SW1", lon=116.40, lat=39.90, grid_id="g1", customers=100),
            D("T2", K.transformer, "SW1", lon=116.41, lat=39.90, grid_id="g1", customers=50),
            D("T3", K.transformer, "F1", lon=116.50, lat=39.95, grid_id="g2", customers=10)]


def test_a_radial_network_has_no_problems_and_sums_customers_up():
    net = Network(small(), "v1", care={"T1": 2, "T3": 1})
    assert network_problems(small()) == []
    assert net.customers_below == {"S": 160, "F1": 160, "SW1": 150, "T1": 100, "T2": 50, "T3": 10}
    assert net.care_below["SW1"] == 2 and net.care_below["F1"] == 3
    assert net.path("T2") == ["T2", "SW1", "F1", "S"]
    assert net.feeder_of["T2"] == "F1" and net.feeder_of["S"] is None
    assert net.grids_below["F1"] == ("g1", "g2")
    assert net.child_toward("F1", "T2") == "SW1" and net.child_toward("SW1", "SW1") is None
    assert sorted(net.transformers_below("F1")) == ["T1", "T2", "T3"]


def test_the_nearest_transformer_of_the_grid_within_the_distance():
    net = Network(small())
    assert net.nearest_transformer("g1", 116.4095, 39.9, 0.5)[0] == "T2"
    assert net.nearest_transformer("g1", 116.60, 39.9, 0.5) is None  # 17 km away
    assert net.nearest_transformer("g9", 116.40, 39.9, 0.5) is None


def test_every_problem_names_its_device():
    bad = small() + [D("T9", K.transformer, "NOPE", customers=1), D("T1", K.transformer, "F1"),
                     D("A", K.switch, "B"), D("B", K.switch, "A"), D("T8", K.transformer, "SW1", customers=-3),
                     D("F9", K.feeder, "SW1")]
    problems = {(p["field"], p["message"]) for p in network_problems(bad)}
    assert ("T9", "parent NOPE is not in the network") in problems
    assert ("T1", "appears twice: a device has one parent") in problems
    assert ("A", "is on a cycle") in problems and ("B", "is on a cycle") in problems
    assert ("T8", "customers is negative") in problems
    assert ("F9", "a feeder cannot hang under a switch") in problems
