"""GCJ-02 <-> WGS-84."""
import numpy as np

from geo.crs import gcj02_to_wgs84, to_wgs84, wgs84_to_gcj02


def test_forward_offset_in_beijing_is_hundreds_of_metres():
    lon, lat = wgs84_to_gcj02(116.3975, 39.9087)
    # Known offset around Tiananmen: about +0.0062 lon, +0.0014 lat.
    assert 0.005 < lon - 116.3975 < 0.007
    assert 0.0005 < lat - 39.9087 < 0.002


def test_round_trip_is_centimetre_exact():
    lons, lats = np.linspace(115.5, 117.5, 50), np.linspace(39.4, 41.0, 50)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lons, lats))
    assert np.max(np.abs(back_lon - lons)) < 1e-7
    assert np.max(np.abs(back_lat - lats)) < 1e-7


def test_outside_china_is_identity():
    lon, lat = wgs84_to_gcj02(2.35, 48.85)
    assert (float(lon), float(lat)) == (2.35, 48.85)


def test_to_wgs84_dispatches_and_rejects_unknown():
    assert to_wgs84(116.0, 40.0, "wgs84") == (116.0, 40.0)
    lon, _ = to_wgs84(116.0, 40.0, "gcj02")
    assert lon < 116.0
    try:
        to_wgs84(1, 1, "bd09")
    except ValueError:
        pass
    else:
        raise AssertionError("unknown crs accepted")
