"""The demo network: a valid radial network over every grid whose customers sum to the grid's, as committed."""
import gzip
import json
from collections import Counter

from dashboard.network.files import read_network_file
from dashboard.network.tree import Network, network_problems
from geo.build_beijing_network import GRIDS, NETWORK, build, write


def test_the_committed_network_is_what_the_script_builds_and_is_valid(tmp_path):
    features = json.loads(GRIDS.read_text(encoding="utf-8"))["features"]
    rebuilt = tmp_path / "network.csv.gz"
    write(build(features), rebuilt)
    assert gzip.decompress(rebuilt.read_bytes()) == gzip.decompress(NETWORK.read_bytes())  # no drift

    devices = read_network_file(NETWORK)
    assert network_problems(devices) == []
    kinds = Counter(d.kind for d in devices)
    assert 300 <= kinds["feeder"] <= 600 and kinds["transformer"] > 10_000
    served = Counter()
    for d in devices:
        served[d.grid_id] += d.customers
    assert {f["properties"]["id"]: f["properties"]["customers"] for f in features} == \
        {g: n for g, n in served.items() if g}
    net = Network(devices)
    for feeder in (d.id for d in devices if d.kind == "feeder"):
        assert len(net.grids_below[feeder]) == 1  # a feeder serves part of one grid
        assert net.transformers_below(feeder)
