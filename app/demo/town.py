"""A made-up town for the demo, generated in code and deterministic for a seed (no files, no
network, no real people). Plain data out; ``app.demo`` writes it to the database.

Geometry is drawn in metres on a local plane around (ORIGIN_LON, ORIGIN_LAT) and converted to
EPSG:4326 degrees, rounded to 7 decimals (~1 cm), before any point-in-polygon test, so the
stored coordinates are exactly the ones that were tested.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon, box, mapping

ORIGIN_LON, ORIGIN_LAT = -71.10, 42.37
M_PER_DEG_LAT = 110_540.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(ORIGIN_LAT))
KERB_OFFSET_M = 12.0        # houses stand this far from the street's centre line
CLEAR_OF_CROSSING_M = 16.0  # no front door in the middle of a junction
TOWN = "Fernley"
POSTCODE = "02999"          # a ZIP code not in use

EAST_WEST = ("River Rd", "Elm St", "Maple St", "Cedar St", "Birch St", "Walnut St", "Chestnut St", "Willow St",
             "Linden St", "Spruce St", "Hawthorn St", "Poplar St")
NORTH_SOUTH = ("Adams Ave", "Baker Ave", "Carver Ave", "Dudley Ave", "Emerson Ave", "Fuller Ave", "Grant Ave",
               "Harlow Ave", "Irving Ave", "Jewett Ave", "Kendall Ave")
FIRST_NAMES = ("Alex", "Amara", "Ana", "Arjun", "Bea", "Ben", "Carla", "Chen", "Chloe", "Dana", "Dev", "Eli",
               "Elena", "Emeka", "Farah", "Finn", "Grace", "Hana", "Ibrahim", "Iris", "Jamal", "Jo", "Jonah",
               "Kai", "Keiko", "Lena", "Leo", "Lucia", "Malik", "Maya", "Mei", "Nadia", "Noah", "Nora", "Omar",
               "Pat", "Priya", "Quinn", "Rafael", "Rosa", "Ruth", "Sam", "Sana", "Sean", "Sofia", "Tariq",
               "Tess", "Theo", "Uma", "Vera", "Wen", "Will", "Yara", "Yusuf", "Zoe")
LAST_NAMES = ("Abbott", "Acheson", "Banerjee", "Barros", "Brennan", "Castillo", "Chowdhury", "Costa", "Dalton",
              "Dube", "Ellery", "Fairweather", "Fenwick", "Garnett", "Haddad", "Hallworth", "Ibarra", "Jansen",
              "Kowalczyk", "Lachance", "Linwood", "Mbeki", "Moreau", "Nakamura", "Novak", "Okafor", "Oyelaran",
              "Pemberton", "Quarrie", "Ramsden", "Rossi", "Sandoval", "Sato", "Thorne", "Trevino", "Underwood",
              "Varga", "Whitlock", "Yilmaz", "Zielinski")
# Eastern-time area codes: with the fictional 555-0100..0199 block each gives 100 numbers.
AREA_CODES = ("617", "857", "339", "781", "508", "774", "978", "351", "413", "401", "603", "207", "802", "203",
              "860", "475", "212", "646", "718", "347", "917", "929", "516", "631", "914", "201", "973", "908",
              "732", "609", "856", "215", "267", "610", "484", "412", "202", "301", "240", "410", "443", "703",
              "571", "804", "757", "305", "786", "954", "561", "407", "813", "727", "404", "678", "770", "919",
              "704", "336", "614", "216", "513")


@dataclass
class Area:
    code: str
    name: str
    boundary: dict  # GeoJSON geometry, degrees


@dataclass
class Resident:
    first_name: str
    last_name: str
    phone: str | None  # E.164
    phone_type: str


@dataclass
class Home:
    external_id: str
    house_number: str
    street: str
    unit: str
    building_key: str
    lon: float
    lat: float
    neighbourhood: str  # code
    residents: list[Resident] = field(default_factory=list)


@dataclass
class Town:
    ward: Area
    neighbourhoods: list[Area]
    homes: list[Home]
    streets: dict[str, dict]  # name -> GeoJSON LineString, degrees (for maps and checks; not stored)


def to_degrees(x, y):
    return (np.round(ORIGIN_LON + np.asarray(x) / M_PER_DEG_LON, 7),
            np.round(ORIGIN_LAT + np.asarray(y) / M_PER_DEG_LAT, 7))


def _geojson(shape_m) -> dict:
    return mapping(shapely.transform(shape_m, lambda xy: np.column_stack(to_degrees(xy[:, 0], xy[:, 1]))))


def _ward_outline(rng: random.Random) -> Polygon:
    """Roughly 1.9 km by 1.5 km, corners and edge midpoints pushed about by up to 60 m."""
    def j():
        return rng.uniform(-60, 60)
    points = [(-950 + j(), -760 + j()), (0 + j(), -780 + j()), (950 + j(), -760 + j()), (980 + j(), 0 + j()),
              (950 + j(), 760 + j()), (0 + j(), 790 + j()), (-950 + j(), 760 + j()), (-980 + j(), 0 + j())]
    return Polygon(points)


def _streets(rng: random.Random) -> dict[str, LineString]:
    streets = {}
    xs = np.arange(-1100, 1101, 20.0)
    # A river road curving along the south side, then a grid, then two diagonals.
    streets[EAST_WEST[0]] = LineString(list(zip(xs, -620 + 45 * np.sin(xs / 230 + rng.uniform(0, 6)))))
    for i, name in enumerate(EAST_WEST[1:]):
        y = -510 + i * 110 + rng.uniform(-8, 8)
        streets[name] = LineString([(-1100, y), (1100, y + rng.uniform(-15, 15))])
    for i, name in enumerate(NORTH_SOUTH):
        x = -790 + i * 158 + rng.uniform(-10, 10)
        streets[name] = LineString([(x, -900), (x + rng.uniform(-20, 20), 900)])
    streets["Broadway"] = LineString([(-1100, -820), (1100, 860)])
    bend = rng.uniform(-90, 90)
    streets["Mill Ln"] = LineString([(-1100, 560), (-400, 330 + bend), (200, 80), (1100, -300)])
    return streets


def _slots(streets: dict[str, LineString], inner: Polygon, spacing: float, rng: random.Random):
    """Candidate front doors: (street, side, index, x, y). side 1 = left = odd numbers."""
    slots = []
    for name, line in streets.items():
        others = shapely.union_all([g for n, g in streets.items() if n != name])
        length = line.length
        dist = np.arange(spacing / 2, length, spacing)
        if not len(dist):
            continue
        dist = dist + rng.uniform(-spacing * 0.15, spacing * 0.15)
        dist = np.clip(dist, 0, length)
        points = shapely.line_interpolate_point(line, dist)
        ahead = shapely.line_interpolate_point(line, np.clip(dist + 1.0, 0, length))
        px, py = shapely.get_x(points), shapely.get_y(points)
        dx, dy = shapely.get_x(ahead) - px, shapely.get_y(ahead) - py
        norm = np.hypot(dx, dy)
        norm[norm == 0] = 1.0
        for side, sign in ((1, 1.0), (0, -1.0)):
            # Left of the direction of travel (a positive cross product) holds the odd numbers.
            hx, hy = px - sign * dy / norm * KERB_OFFSET_M, py + sign * dx / norm * KERB_OFFSET_M
            homes = shapely.points(hx, hy)
            ok = shapely.contains(inner, homes) & (shapely.distance(homes, others) > CLEAR_OF_CROSSING_M)
            for k in np.flatnonzero(ok):
                slots.append((name, side, int(k), float(hx[k]), float(hy[k])))
    return slots


LOCAL_AREA_CODES = 4  # the first few in AREA_CODES are the town's own


def _phone_pool(rng: random.Random) -> list[str]:
    """Unique fictional numbers, handed out from the end: local area codes first, then the rest."""
    local = [f"+1{area}55501{n:02d}" for area in AREA_CODES[:LOCAL_AREA_CODES] for n in range(100)]
    other = [f"+1{area}55501{n:02d}" for area in AREA_CODES[LOCAL_AREA_CODES:] for n in range(100)]
    rng.shuffle(local)
    rng.shuffle(other)
    return other + local


def build_town(*, households: int = 3000, seed: int = 1) -> Town:
    """The same town for the same (households, seed): exactly ``households`` homes."""
    if not 1 <= households <= 50_000:
        raise ValueError("households must be between 1 and 50,000")
    rng = random.Random(seed)
    outline = _ward_outline(rng)
    inner = outline.buffer(-20)
    split_x, split_y = rng.uniform(-250, -50), rng.uniform(0, 200)
    parts = [("FN-1", "Millbrook", box(-2000, -2000, split_x, 2000)),
             ("FN-2", "Ashford Hill", box(split_x, split_y, 2000, 2000)),
             ("FN-3", "Riverside", box(split_x, -2000, 2000, split_y))]
    ward = Area("FN", f"{TOWN} Ward", _geojson(outline))
    hoods = [Area(code, name, _geojson(outline.intersection(part))) for code, name, part in parts]
    streets = _streets(rng)

    frontage = 2 * sum(line.intersection(inner).length for line in streets.values())
    spacing = max(3.0, min(14.0, frontage / (households * 1.2)))
    slots = _slots(streets, inner, spacing, rng)
    while len(slots) < households * 0.8 and spacing > 1.5:  # a very dense request: pack doors closer
        spacing /= 2
        slots = _slots(streets, inner, spacing, rng)

    # Nothing within a metre of a neighbourhood border, so every door is plainly inside one.
    slots = [s for s in slots if abs(s[3] - split_x) > 1 and (s[3] < split_x or abs(s[4] - split_y) > 1)]
    order = list(range(len(slots)))
    rng.shuffle(order)
    chosen, total = [], 0
    for i in order:
        if total >= households:
            break
        units = rng.randint(4, 12) if rng.random() < 0.05 else 1  # about one door in twenty is a block of flats
        units = min(units, households - total)
        chosen.append((slots[i], units))
        total += units
    if total < households:  # not enough room on the streets: stack the rest as flats in existing blocks
        extra = households - total
        for j in range(extra):
            slot, units = chosen[j % len(chosen)]
            chosen[j % len(chosen)] = (slot, units + 1)
    chosen.sort(key=lambda c: (c[0][0], c[0][1], c[0][2]))

    lon, lat = to_degrees([c[0][3] for c in chosen], [c[0][4] for c in chosen])
    hood_shapes = [(h.code, shapely.geometry.shape(h.boundary)) for h in hoods]
    where = np.full(len(chosen), "", dtype=object)
    for code, shape in hood_shapes:
        where[shapely.contains_xy(shape, lon, lat)] = code
    if (where == "").any():  # cannot happen with the margin above; fail loudly rather than misfile a door
        raise AssertionError("a demo household fell outside every neighbourhood")
    phones = _phone_pool(rng)

    homes = []
    for (slot, units), x, y, hood in zip(chosen, lon, lat, where):
        street, side, index, _, _ = slot
        number = str(2 * index + (1 if side == 1 else 2))
        key = f"{number} {street}"
        for u in range(units):
            n = len(homes) + 1
            homes.append(Home(external_id=f"DEMO-H{n:06d}", house_number=number, street=street,
                              unit=f"Apt {u + 1}" if units > 1 else "", building_key=key, lon=float(x),
                              lat=float(y), neighbourhood=hood,
                              residents=_residents(rng, phones)))
    return Town(ward=ward, neighbourhoods=hoods, homes=homes,
                streets={name: _geojson(line) for name, line in streets.items()})


def _residents(rng: random.Random, phones: list[str]) -> list[Resident]:
    family = rng.choice(LAST_NAMES)
    count = rng.choices((1, 2, 3, 4), weights=(30, 35, 20, 15))[0]
    landline = phones.pop() if phones and rng.random() < 0.3 else None  # shared by the household
    people = []
    for _ in range(count):
        last = family if rng.random() < 0.85 else rng.choice(LAST_NAMES)
        if phones and rng.random() < 0.65:
            phone, kind = phones.pop(), "mobile"
        elif landline:
            phone, kind = landline, "landline"
        else:
            phone, kind = None, ""
        people.append(Resident(rng.choice(FIRST_NAMES), last, phone, kind))
    return people


# Made-up ZIP codes beside the town's own, one per neighbourhood: 029xx above 02940 is unused.
NEIGHBOURHOOD_POSTCODES = ("02996", "02997", "02998")


def postcode_csv(town: Town) -> str:
    """The town's postcode centroids as an ``import-postcodes`` CSV: its own ZIP (every home's)
    at the middle of its homes, and one made-up ZIP per neighbourhood at a point inside it."""
    lines = ["postcode,lat,lon"]
    if town.homes:
        lat = sum(h.lat for h in town.homes) / len(town.homes)
        lon = sum(h.lon for h in town.homes) / len(town.homes)
        lines.append(f"{POSTCODE},{lat:.7f},{lon:.7f}")
    for code, area in zip(NEIGHBOURHOOD_POSTCODES, town.neighbourhoods):
        point = shapely.geometry.shape(area.boundary).representative_point()
        lines.append(f"{code},{point.y:.7f},{point.x:.7f}")
    return "\n".join(lines) + "\n"
