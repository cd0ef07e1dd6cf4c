"""The executive page's parts as pure functions: the tiles' commitments, the ranking, the choropleth's values, the
reliability chart's MED marking, the hourly curves in local hours, and the whole layout in both languages."""
from datetime import date

from dash import html

from dashboard.domain import ON_TIME_TARGET, SERVICE_LEVEL_TARGET, Role
from dashboard.i18n import STRINGS
from layouts.executive import charts, tiles

ARRIVAL = {"urban": 45, "rural": 90, "remote": 120}


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def _text(node) -> str:
    return " ".join(n for x in _walk(node) for n in ([x.children] if isinstance(getattr(x, "children", None), str)
                                                      else []))


def test_each_tile_names_its_commitment_from_the_rules():
    by_key = {t["key"]: t for t in tiles.config("zh", ARRIVAL)}
    assert by_key["on_time_arrival"]["target"] == ON_TIME_TARGET
    assert by_key["on_time_arrival"]["target_label"] == f"承诺 ≥ {100 * ON_TIME_TARGET:g}%"
    assert by_key["service_level"]["target_label"] == f"承诺 ≥ {100 * SERVICE_LEVEL_TARGET:g}%"
    assert by_key["avg_arrival"]["target_label"] == "承诺 ≤ 45/90/120 分钟"
    assert tiles.config("en", ARRIVAL | {"urban": 30})[1]["target_label"] == "Commitment ≤ 30/90/120 min"
    assert by_key["abandon_rate"]["target"] is None and by_key["abandon_rate"]["target_label"] == "无承诺指标"
    assert by_key["customers_out"]["trend"] is False and by_key["on_time_arrival"]["trend"] is True
    # Every tile has a name and a definition (its tooltip) in both languages.
    for t in tiles.TILES:
        for key in (f"exec.kpi.{t.key}", f"exec.def.{t.key}"):
            zh, en = STRINGS[key]
            assert zh and en and zh != en, key


def test_the_ranking_keeps_the_services_order_and_marks_rates_below_target():
    rows = [{"district": "顺义区", "rank": 1, "received": 10, "on_time_arrival_rate": 0.99, "avg_arrival_min": 20.0,
             "on_time_restoration_rate": 0.9, "avg_restoration_min": 100.0, "overdue": 0},
            {"district": "东城区", "rank": 2, "received": 0, "on_time_arrival_rate": None, "avg_arrival_min": None,
             "on_time_restoration_rate": None, "avg_restoration_min": None, "overdue": 0}]
    table = charts.ranking_table(rows, "zh", ON_TIME_TARGET)
    body = [r for r in _walk(table) if isinstance(r, html.Tr)][1:]
    cells = [[c.children for c in r.children] for r in body]
    assert cells[0][:4] == ["1", "顺义区", "10", "99.0%"] and cells[0][5] == "90.0%"
    assert cells[1][:4] == ["–", "东城区", "0", "–"]  # nothing to rank it by: no place, not a shared one
    restoration = body[0].children[5]
    assert "exec-bad" in restoration.className and "exec-bad" not in body[0].children[3].className
    assert charts.ranking_table([], "en", ON_TIME_TARGET).children == "Nothing in this period"


def test_the_choropleth_colours_each_grid_by_the_measure_in_the_figures_order():
    by_grid = [{"grid": "g2", "on_time_arrival_rate": 0.5, "received": 7},
               {"grid": "g1", "on_time_arrival_rate": None, "received": 0}]
    got = charts.map_values(by_grid, ["g1", "g2", "g3"], "on_time_arrival_rate")
    assert got["z"] == [None, 0.5, None] and got["text"] == ["–", "50.0%", "–"]
    assert got["reverse"] is True and got["any"] is True  # a rate: lower is worse, so the scale turns round
    assert (got["zmin"], got["zmax"]) == (0.5, 1.0)  # every grid on time reads as the top, not the middle
    assert charts.map_values([{"grid": "g1", "on_time_arrival_rate": 1.0}], ["g1"], "on_time_arrival_rate")["zmin"] == 0.8
    received = charts.map_values(by_grid, ["g1", "g2", "g3"], "received")
    assert received["z"] == [0, 7, None] and received["reverse"] is False
    assert (received["zmin"], received["zmax"]) == (0.0, 7)
    assert charts.map_values(by_grid, ["g1"], "no such measure")["z"] == [0]  # unknown: received
    assert charts.map_values([], ["g1"], "overdue")["any"] is False


def test_the_map_draws_every_grid_outline_under_the_measure():
    grids = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "g1", "name": "<b>一</b>", "district": "东城区"},
         "geometry": {"type": "Polygon", "coordinates": [[[116, 39], [116.1, 39], [116.1, 39.1], [116, 39]]]}}]}
    fig = charts.map_figure(grids)
    outlines, measure = fig["data"]
    assert outlines["z"] == [0] and measure["z"] == [None] and measure["locations"] == ["g1"]
    assert measure["text"] == ["东城区 · &lt;b&gt;一&lt;/b&gt;"]  # a name is text, not markup
    assert "glyphs" not in fig["layout"]["map"]["style"] and "sprite" not in fig["layout"]["map"]["style"]


def _report(meds, daily, threshold):
    indices = {"saifi": 1.2, "saidi": 95.04, "caidi": 79.2, "asai": 0.99982, "cemi_n": 0.01,
               "customer_interruptions": 1, "customer_minutes": 1}
    return {"from": "2026-01-01", "to": "2026-02-01", "customers_served": 1000, "all": indices,
            "excluding_med": indices | {"saidi": 40.0}, "asai_target": 0.999, "meets_target": True,
            "med": {"threshold_min": threshold, "alpha": 1, "beta": 1, "days_in_history": 30, "history_from": "x",
                    "days": [{"date": d, "saidi": s} for d, s in meds]},
            "daily": [{"date": d, "saidi": s} for d, s in daily]}


def test_the_reliability_chart_marks_the_major_event_days():
    report = _report([("2026-01-10", 80.0)], [("2026-01-02", 1.0), ("2026-01-10", 80.0), ("2026-01-11", 2.0)], 12.5)
    fig = charts.reliability_chart(report, "zh")
    normal, marked = fig["data"][:2]
    assert list(normal["x"]) == ["2026-01-02", "2026-01-11"] and list(marked["x"]) == ["2026-01-10"]
    assert list(marked["y"]) == [80.0] and marked["marker"]["color"] == charts.BAD
    assert any(s.get("y0") == 12.5 for s in fig["layout"]["shapes"])  # the T_MED line
    text = _text(charts.reliability_table(report, "zh"))
    assert "99.9820%" in text and "95.0" in text and "40.0" in text and "达标" in text
    assert "重大事件日 1 天" in text and "12.5" in text
    assert "shapes" not in charts.reliability_chart(_report([], [], None), "en")["layout"]


def test_the_hourly_curves_are_in_the_centers_hours():
    today = [{"at": "2026-11-22T16:00:00Z", "received": 3}, {"at": "2026-11-22T17:00:00Z", "received": 5}]
    week = [{"at": "2026-11-15T16:00:00Z", "received": 4}]
    fig = charts.hourly_figure(today, week, "received", "zh", "Asia/Shanghai")
    last_week, now = fig["data"]
    assert list(now["x"]) == [0, 1] and list(now["y"]) == [3, 5]  # 16:00 UTC is midnight in Beijing
    assert list(last_week["x"]) == [0] and last_week["name"] == "上周同日"


def test_the_whole_page_in_both_languages(services, client):
    """The layout as the router builds it, for an executive, in zh and en: every tile and panel, the reports."""
    from callbacks.pages import pages
    from dashboard.principal import Principal
    from layouts.executive.page import layout
    from layouts.page_context import PageContext
    table = pages()
    page = table.find("/executive")
    person = Principal(kind="user", name="liu", role=Role.executive)
    for lang, words in (("zh", ("到达及时率", "各区排名", "供电可靠性", "报表")),
                        ("en", ("On-time arrival", "District ranking", "Reliability (IEEE 1366)", "Reports"))):
        tree = layout(PageContext(services, person, lang, {}, table, page))
        text = _text(tree)
        assert all(w in text for w in words), (lang, words)
        ids = {getattr(n, "id", None) for n in _walk(tree)}
        assert {f"exec-tile-{t.key}" for t in tiles.TILES} <= ids and "reports-panel" in ids
        assert date.today().isoformat()[:4] in str(tree)  # the report form's day is filled in


def test_the_tiles_quote_the_configured_thresholds_not_fixed_ones():
    from dashboard.config import Config
    config = Config(sl_target_s=15, short_abandon_s=3, arrival_limits_min=(("urban", 30), ("rural", 60), ("remote", 90)),
                    restore_limits_min=(("urban", 150), ("rural", 210), ("remote", 240)))
    values = tiles.rule_values(config)
    by_key = {x.key: x for x in tiles.TILES}
    sl = tiles.tile(by_key["service_level"], "zh-CN", values)
    assert sl.children[0].children == "服务水平（15秒接通）"
    assert sl.title == "15秒内接通的呼叫 ÷（接通 + 放弃 − 3秒内短放弃）"
    assert "urban 30 min, rural 60, remote 90" in tiles.tile(by_key["on_time_arrival"], "en", values).title
    assert "urban 2.5 h, rural 3.5 h" in tiles.tile(by_key["on_time_restoration"], "en", values).title
