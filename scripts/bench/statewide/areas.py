"""A made-up state on real street geometry: the Cambridge, MA address list repeated as tiles, each
tile offset east and north of the last, with made-up towns and ZIP codes, and ward and precinct
boundaries drawn over the tiled doors (wards as strips of equal door counts, each cut into five
precincts of equal door counts) so every area has doors, as real precincts do.

The addresses go in as CSV text through Legwork's own importer (app.imports.addresses), a tile
per call, so the generator holds one tile at a time; boundaries through app.imports.boundaries.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HOUSEHOLDS_PER_WARD = 2_500        # 2.5 million doors in 1,000 wards
PRECINCTS_PER_WARD = 5             # and 5,000 precincts
TILE_DX, TILE_DY = 0.12, 0.07      # degrees between tiles: Cambridge spans about 0.10 by 0.05
PAD = 0.002                        # a tile's areas reach this far beyond its outermost doors

MAPPING = """name = "Statewide benchmark (made-up towns on the Cambridge, MA streets)"
default_region = "US"

[columns]
external_id = "address_id"
house_number = "house_number"
suffix = "suffix"
street = "street"
city = "city"
postcode = "zip"
building_key = "building_key"
lon = "lon"
lat = "lat"
"""
CSV_HEADER = ["address_id", "house_number", "suffix", "street", "city", "zip", "building_key", "lon", "lat"]


@dataclass(frozen=True)
class Source:
    """The Cambridge addresses, as columns."""

    rows: list[list[str]]      # address_id, house_number, suffix, street, building key
    lon: np.ndarray
    lat: np.ndarray

    @classmethod
    def load(cls, path: Path) -> Source:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows, lons, lats = [], [], []
            for r in reader:
                rows.append([r["address_id"], r["house_number"], r["suffix"], r["street"],
                             f"{r['parcel_id']}/{r['building_id']}"])
                lons.append(float(r["lon"]))
                lats.append(float(r["lat"]))
        return cls(rows, np.asarray(lons), np.asarray(lats))


@dataclass(frozen=True)
class Tile:
    index: int
    count: int          # doors of the Cambridge list used (the last tile may be partial)
    dx: float
    dy: float
    wards: int
    first_ward: int     # the state's number of the tile's first ward

    @property
    def town(self) -> str:
        return f"Tile {self.index + 1:03d} Town"

    @property
    def zip(self) -> str:
        return f"{10000 + self.index:05d}"


def plan_tiles(households: int, per_tile: int) -> list[Tile]:
    """Tiles in a square-ish grid; wards shared out so the state has households / 2,500 of them."""
    n = math.ceil(households / per_tile)
    columns = math.ceil(math.sqrt(n))
    total_wards = max(1, round(households / HOUSEHOLDS_PER_WARD))
    tiles, done, given = [], 0, 0
    for i in range(n):
        count = min(per_tile, households - done)
        done += count
        wards = max(1, round(done * total_wards / households) - given)
        tiles.append(Tile(i, count, (i % columns) * TILE_DX, (i // columns) * TILE_DY, wards, given + 1))
        given += wards
    return tiles


def _cuts(values: np.ndarray, parts: int, low: float, high: float) -> list[float]:
    """Edges splitting ``values`` into ``parts`` runs of equal count, from low to high."""
    ordered = np.sort(values)
    inner = [float((ordered[k * len(ordered) // parts - 1] + ordered[k * len(ordered) // parts]) / 2)
             for k in range(1, parts)]
    return [low, *inner, high]


def _rectangle(x0: float, x1: float, y0: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def tile_areas(tile: Tile, source: Source) -> tuple[list[dict], list[dict]]:
    """GeoJSON features of the tile's wards and precincts (codes W0001 and W0001-3)."""
    lon, lat = source.lon[:tile.count] + tile.dx, source.lat[:tile.count] + tile.dy
    x_edges = _cuts(lon, tile.wards, float(lon.min()) - PAD, float(lon.max()) + PAD)
    y0, y1 = float(lat.min()) - PAD, float(lat.max()) + PAD
    wards, precincts = [], []
    first = tile.first_ward
    for w in range(tile.wards):
        code = f"W{first + w:04d}"
        x0, x1 = x_edges[w], x_edges[w + 1]
        wards.append({"type": "Feature", "properties": {"name": f"{tile.town} ward {w + 1}", "code": code},
                      "geometry": _rectangle(x0, x1, y0, y1)})
        inside = lat[(lon >= x0) & (lon < x1)]
        parts = max(1, min(PRECINCTS_PER_WARD, len(inside)))
        y_edges = _cuts(inside, parts, y0, y1) if len(inside) else [y0, y1]
        for p in range(len(y_edges) - 1):
            precincts.append({"type": "Feature", "properties": {
                "name": f"{tile.town} ward {w + 1} precinct {p + 1}", "code": f"{code}-{p + 1}", "ward": code},
                "geometry": _rectangle(x0, x1, y_edges[p], y_edges[p + 1])})
    return wards, precincts


def tile_csv(tile: Tile, source: Source) -> io.StringIO:
    """The tile's addresses as the CSV an organiser would upload (MAPPING reads it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    prefix = f"t{tile.index + 1}-"
    for row, x, y in zip(source.rows[:tile.count], source.lon[:tile.count] + tile.dx, source.lat[:tile.count] + tile.dy):
        writer.writerow([prefix + row[0], row[1], row[2], row[3], tile.town, tile.zip, prefix + row[4],
                         f"{x:.7f}", f"{y:.7f}"])
    out.seek(0)
    return out
