"""The replay wall's own parts: the picker offers play buttons only to those who may start a replay, and a wall
asked for a replay this server does not have says so instead of passing for live."""
from datetime import timedelta
from types import SimpleNamespace

from dashboard.principal import Principal
from dashboard.replay.recording import load_demo_storm
from layouts import ids
from layouts.replay import banner, find, picker
from tests.conftest import now_utc


def _ctx(services, role):
    return SimpleNamespace(services=services, person=Principal("user", "p", role), lang="zh", query={})


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def _buttons(tree):
    return [n.id for n in _walk(tree) if isinstance(getattr(n, "id", None), dict)
            and n.id.get("type") == ids.REPLAY_PLAY]


def test_the_picker_lists_the_storm_with_play_buttons_for_supervisors_only(services):
    load_demo_storm(services.db, now_utc())
    assert _buttons(picker(_ctx(services, "dispatcher"))) == [{"type": ids.REPLAY_PLAY, "index": f"0:{s}"}
                                                               for s in (10, 30, 60)]
    assert _buttons(picker(_ctx(services, "viewer"))) == []
    assert "雷暴" in str(picker(_ctx(services, "viewer")).to_plotly_json())


def test_a_replay_is_found_by_its_id_only_and_the_banner_says_replay(services):
    t0 = now_utc() - timedelta(hours=1)
    session = services.replays.start(t0, t0 + timedelta(minutes=10), 60, by="t", now=now_utc())
    ctx = _ctx(services, "viewer")
    assert find(ctx, session.id)["id"] == session.id
    assert find(ctx, "../x") is None and find(ctx, "0" * 40) is None
    shown = banner(ctx, find(ctx, session.id))
    assert shown.children.startswith("REPLAY 回放 · ") and shown.children.endswith(" · 60×") and not getattr(shown, "hidden", False)
    assert banner(ctx, None).hidden
    session.stop()
