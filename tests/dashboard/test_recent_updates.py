"""The ring of recent updates: what it can and cannot bridge."""
from dashboard.recent_updates import RecentUpdates


def ring(*seqs: int, capacity: int = 10) -> RecentUpdates:
    r = RecentUpdates(capacity)
    for s in seqs:
        r.add({"seq": s, "changes": []})
    return r


def test_returns_everything_after_a_seq_it_still_holds():
    r = ring(5, 6, 7, 8)
    assert [u["seq"] for u in r.after(5)] == [6, 7, 8]
    assert [u["seq"] for u in r.after(4)] == [5, 6, 7, 8]
    assert r.after(8) == []


def test_cannot_bridge_what_fell_out_or_what_is_not_yet_sent():
    r = ring(*range(1, 21), capacity=5)  # holds 16..20
    assert r.after(14) is None
    assert [u["seq"] for u in r.after(15)] == [16, 17, 18, 19, 20]
    assert r.after(21) is None  # a client ahead of this server (another leader's stream)
    assert RecentUpdates().after(0) is None


def test_a_skipped_seq_forgets_the_older_entries():
    r = ring(1, 2, 3)
    r.add({"seq": 5, "changes": []})  # seq 4 was skipped on purpose: everyone must resync
    assert r.after(2) is None and r.after(3) is None
    assert r.after(4) == [{"seq": 5, "changes": []}]


def test_a_seq_taken_but_not_yet_added_is_on_its_way_not_lost():
    r = ring(5, 6)
    assert r.after(7) is None
    assert r.after(7, current=7) == []  # 7 is being flushed right now: it will come by the socket
    assert r.after(8, current=7) is None
    assert RecentUpdates().after(3, current=3) == []
