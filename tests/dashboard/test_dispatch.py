"""The candidates' window: ranking only the nearest crews gives exactly the ranking of all of them."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.services.dispatch import WORKLOAD_MIN, pick_best

crew = st.tuples(st.floats(5, 300, allow_nan=False), st.booleans(), st.integers(0, 40))


@settings(max_examples=300, deadline=None)
@given(crews=st.lists(crew, min_size=1, max_size=400), limit=st.integers(1, 10))
def test_the_window_ranks_like_all_crews_at_once(crews, limit):
    eta = np.array([c[0] for c in crews])
    match = np.array([c[1] for c in crews])
    ids = [f"C{i:04d}" for i in range(len(crews))]
    today = {ids[i]: c[2] for i, c in enumerate(crews)}
    asked = []

    def workload(chosen):
        asked.append(len(chosen))
        return {}, {i: today[i] for i in chosen}
    best, _, _ = pick_best(eta, match, ids, limit, workload)
    everyone = sorted(range(len(crews)), key=lambda i: (not match[i], eta[i] + WORKLOAD_MIN * today[ids[i]], ids[i]))
    assert best == everyone[:limit]
    assert asked[0] <= max(4 * limit, 32)  # the first window is small; it widens only when it must
