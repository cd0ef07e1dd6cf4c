"""Point-in-grid lookup."""
from shapely.geometry import box

from geo.grids import load_default_grids
from geo.locate import GridIndex


def test_locate_points_vectorised_with_borders_and_misses():
    index = GridIndex(["a", "b"], [box(0, 0, 1, 1), box(1, 0, 2, 1)])
    assert index.locate_points([0.5, 1.5, 1.0, 5.0], [0.5, 0.5, 0.5, 5.0]) == ["a", "b", "a", None]
    assert index.locate_point(1.5, 0.2) == "b"
    assert index.locate_points([], []) == []


def test_grids_intersecting_ignores_touching_edges():
    index = GridIndex(["a", "b", "c"], [box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)])
    assert index.grids_intersecting(box(0.5, 0.2, 1.5, 0.8)) == ["a", "b"]
    assert index.grids_intersecting(box(2, 0, 3, 1)) == []  # shares only an edge with b


def test_default_beijing_grids_locate_known_places():
    grids = load_default_grids()
    index = GridIndex([g.id for g in grids], [g.geometry for g in grids])
    district = {g.id: g.district for g in grids}
    tiananmen, zhongguancun, badaling = index.locate_points([116.3975, 116.3160, 116.0160],
                                                            [39.9087, 39.9830, 40.3560])
    assert district[tiananmen] == "东城区"
    assert district[zhongguancun] == "海淀区"
    assert district[badaling] == "延庆区"
    assert index.locate_point(121.47, 31.23) is None  # Shanghai
