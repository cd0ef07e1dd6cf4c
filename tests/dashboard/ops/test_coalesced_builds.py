"""Coalesced builds: who shares a build, who waits for the next one, and what happens to errors."""
import threading
import time

import pytest

from dashboard.ops.coalesced_builds import CoalescedBuilds


def test_requests_arriving_during_a_build_share_the_next_one():
    builds = CoalescedBuilds()
    started, release, calls = threading.Event(), threading.Event(), []

    def slow_build():
        calls.append(time.monotonic())
        started.set()
        release.wait(5)
        return f"build {len(calls)}"

    first = []
    t = threading.Thread(target=lambda: first.append(builds.get("k", slow_build)))
    t.start()
    assert started.wait(5)
    # Twenty screens ask while the first build runs: they must not get it (it may predate their own
    # writes), and they must not build twenty times either.
    results, waiting = [], [threading.Thread(target=lambda: results.append(builds.get("k", slow_build)))
                            for _ in range(20)]
    for w in waiting:
        w.start()
    time.sleep(0.2)
    release.set()
    t.join(5)
    for w in waiting:
        w.join(5)
    assert first == ["build 1"]
    assert results == ["build 2"] * 20 and len(calls) == 2 and builds.builds == 2


def test_a_lone_request_always_gets_a_fresh_build():
    builds = CoalescedBuilds()
    counter = iter(range(100))
    assert [builds.get("k", lambda: next(counter)) for _ in range(3)] == [0, 1, 2]


def test_keys_do_not_share_and_a_failed_build_is_raised_not_kept():
    builds = CoalescedBuilds()
    assert builds.get("a", lambda: "A") == "A" and builds.get("b", lambda: "B") == "B"

    def broken():
        raise RuntimeError("database away")
    with pytest.raises(RuntimeError):
        builds.get("a", broken)
    assert builds.get("a", lambda: "A again") == "A again"
