"""Build-time script: a believable 10 kV distribution network for the demo's Beijing grids, written once and committed.

Run: `python -m geo.build_beijing_network` (reads geo/data/beijing_grids.geojson, writes
geo/data/beijing_network.csv.gz, the columns of `gridcommand topology import`). Deterministic for a seed.

The shape follows how a city's medium-voltage network is laid out, not any real utility's (which is not public):
- one 110 kV station for every two or three grids of a district, placed among them;
- each grid is fed by its own feeders, one for about every 12,000 customers, each serving one part of the grid
  (a Voronoi cell of the feeder's seed point);
- along each feeder two to four sectionalising switches in series (opening the first blacks out everything after
  it), and branch switches hanging off some of them;
- transformers (台区) of 150–600 customers in the city and 60–250 in the country, where the customers are;
- the customers of a grid's transformers sum to the grid's `customers` exactly.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
from pathlib import Path

import numpy as np
from shapely.geometry import Point, shape

DATA = Path(__file__).parent / "data"
GRIDS = DATA / "beijing_grids.geojson"
NETWORK = DATA / "beijing_network.csv.gz"
COLUMNS = ("id", "kind", "parent_id", "name", "lon", "lat", "grid_id", "customers")
FEEDER_CUSTOMERS = 12_000
TRANSFORMER_CUSTOMERS = {"urban": (150, 600), "suburban": (100, 400), "rural": (60, 250)}
NUMERALS = "一二三四五六七八九十"
LINE_NAMES = ("安华", "和平", "光明", "建设", "平安", "长青", "永丰", "金台", "望京", "双榆", "方庄", "清河", "松园",
              "柳荫", "顺义", "兴旺", "景泰", "富源", "朝阳", "新华", "幸福", "青年", "育新", "回龙")


def _points_in(geom, n: int, rng: np.random.Generator) -> np.ndarray:
    """n random points inside a polygon (rejection sampling in its bounds)."""
    minx, miny, maxx, maxy = geom.bounds
    out: list[tuple[float, float]] = []
    while len(out) < n:
        xs = rng.uniform(minx, maxx, 4 * n)
        ys = rng.uniform(miny, maxy, 4 * n)
        out += [(x, y) for x, y in zip(xs, ys) if geom.contains(Point(x, y))][: n - len(out)]
    return np.array(out)


def _split(total: int, n: int, low: int, high: int, rng: np.random.Generator) -> list[int]:
    """n positive integers summing to total, each drawn around [low, high] and scaled to fit."""
    raw = rng.uniform(low, high, n)
    shares = np.floor(raw / raw.sum() * total).astype(int)
    shares = np.maximum(shares, 1)
    shares[np.argmax(shares)] += total - int(shares.sum())
    return [int(s) for s in shares]


def build(features: list[dict], seed: int = 95598) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows: list[dict] = []
    by_district: dict[str, list[dict]] = {}
    for f in features:
        by_district.setdefault(f["properties"]["district"], []).append(f)
    t_seq = 0
    for district in sorted(by_district):
        grids = sorted(by_district[district], key=lambda f: f["properties"]["id"])
        short = district.removesuffix("区")
        for s_no, start in enumerate(range(0, len(grids), 3), start=1):
            group = grids[start:start + 3]
            centre = np.mean([shape(g["geometry"]).representative_point().coords[0] for g in group], axis=0)
            station = f"ST-{group[0]['properties']['id'][:6]}-{s_no:02d}"
            rows.append({"id": station, "kind": "station", "parent_id": "", "name": f"110kV{short}{_numeral(s_no)}站",
                         "lon": round(float(centre[0]), 6), "lat": round(float(centre[1]), 6), "grid_id": "",
                         "customers": ""})
            for g in group:
                t_seq = _grid(rows, g, station, rng, t_seq)
    return rows


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if n <= len(NUMERALS) else str(n)


def _grid(rows: list[dict], feature: dict, station: str, rng: np.random.Generator, t_seq: int) -> int:
    p = feature["properties"]
    gid, customers, area = p["id"], int(p["customers"]), p["area_class"]
    geom = shape(feature["geometry"])
    low, high = TRANSFORMER_CUSTOMERS.get(area, TRANSFORMER_CUSTOMERS["urban"])
    n_transformers = max(4, round(customers / ((low + high) / 2)))
    n_feeders = max(1, round(customers / FEEDER_CUSTOMERS))
    spots = _points_in(geom, n_transformers, rng)
    seeds = _points_in(geom, n_feeders, rng)
    nearest = np.argmin(((spots[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=2), axis=1)
    loads = _split(customers, n_transformers, low, high, rng)
    for k in range(n_feeders):
        mine = np.flatnonzero(nearest == k)
        if len(mine) == 0:  # a feeder seed nobody is nearest to: move one transformer over
            mine = np.array([int(np.argmax(np.bincount(nearest)))])
            nearest[mine[0]] = k
        feeder = f"F-{gid}-{k + 1}"
        head = seeds[k]
        line = LINE_NAMES[int(rng.integers(len(LINE_NAMES)))]
        rows.append({"id": feeder, "kind": "feeder", "parent_id": station,
                     "name": f"10kV{line}{_numeral(k + 1)}线", "lon": round(float(head[0]), 6),
                     "lat": round(float(head[1]), 6), "grid_id": gid, "customers": ""})
        t_seq = _sections(rows, feeder, gid, head, spots[mine], [loads[i] for i in mine], rng, t_seq,
                          label=f"{line}{_numeral(k + 1)}线")
    return t_seq


def _sections(rows: list[dict], feeder: str, gid: str, head: np.ndarray, spots: np.ndarray, loads: list[int],
              rng: np.random.Generator, t_seq: int, label: str) -> int:
    """Sectionalising switches in series away from the feeder's head, a branch switch off some of them, and the
    transformers of each section under its switch (the nearest ones to the head under the feeder itself)."""
    order = np.argsort(((spots - head) ** 2).sum(axis=1))
    n_sections = min(len(order), int(rng.integers(3, 6)))  # the first section hangs on the feeder directly
    parent = feeder
    n = branches = 0
    for s, chunk in enumerate(np.array_split(order, n_sections)):
        if s > 0:
            parent = _switch(rows, f"{feeder.replace('F-', 'SW-', 1)}-{s}", parent, f"{s}#分段开关",
                             spots[chunk[0]], gid)
        under = [parent] * len(chunk)
        if len(chunk) >= 6 and rng.random() < 0.5:  # a branch: the far half of the section behind its own switch
            half, branches = len(chunk) // 2, branches + 1
            branch = _switch(rows, f"{feeder.replace('F-', 'SW-', 1)}-B{branches}", parent, f"{branches}#分支开关",
                             spots[chunk[half]], gid)
            under[half:] = [branch] * (len(chunk) - half)
        for i, at in zip(chunk, under):
            t_seq, n = t_seq + 1, n + 1
            rows.append({"id": f"T{t_seq:05d}", "kind": "transformer", "parent_id": at,
                         "name": f"{label}{n}号台区", "lon": round(float(spots[i][0]), 6),
                         "lat": round(float(spots[i][1]), 6), "grid_id": gid, "customers": loads[i]})
    return t_seq


def _switch(rows: list[dict], switch: str, parent: str, name: str, at: np.ndarray, gid: str) -> str:
    rows.append({"id": switch, "kind": "switch", "parent_id": parent, "name": name, "lon": round(float(at[0]), 6),
                 "lat": round(float(at[1]), 6), "grid_id": gid, "customers": ""})
    return switch


def write(rows: list[dict], path: Path) -> None:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # mtime=0: the same network gives the same bytes, so a rebuild shows no diff.
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(text.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", default=str(GRIDS))
    parser.add_argument("--out", default=str(NETWORK))
    parser.add_argument("--seed", type=int, default=95598)
    args = parser.parse_args(argv)
    features = json.loads(Path(args.grids).read_text(encoding="utf-8"))["features"]
    rows = build(features, args.seed)
    write(rows, Path(args.out))
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    served = sum(int(r["customers"]) for r in rows if r["kind"] == "transformer")
    print(f"{args.out}: {kinds}, {served:,} customers, {math.ceil(Path(args.out).stat().st_size / 1024)} KiB")


if __name__ == "__main__":
    main()
