"""The made-up demo town: size, numbering, flats, phones, neighbourhoods, determinism."""
from __future__ import annotations

from collections import defaultdict

import phonenumbers
import pytest
from shapely.geometry import Point, shape

from app.demo.town import build_town


@pytest.fixture(scope="module")
def town():
    return build_town(households=400, seed=7)


@pytest.mark.parametrize("households", [1, 57, 400, 2500])
def test_exact_household_count(households):
    assert len(build_town(households=households, seed=2).homes) == households


@pytest.mark.parametrize("households", [0, -3, 50_001])
def test_household_count_out_of_range(households):
    with pytest.raises(ValueError, match="between 1 and 50,000"):
        build_town(households=households)


def test_same_seed_same_town_other_seed_other_town():
    assert build_town(households=150, seed=11) == build_town(households=150, seed=11)
    assert build_town(households=150, seed=11).homes != build_town(households=150, seed=12).homes


def _side(line, lon, lat) -> float:
    """> 0 when (lon, lat) is left of the line's direction of travel (orientation survives the
    lon/lat scaling, so degrees will do)."""
    point = Point(lon, lat)
    along = line.project(point)
    q = line.interpolate(along)
    ahead = line.interpolate(min(along + 1e-6, line.length))
    back = line.interpolate(max(along - 1e-6, 0))
    tx, ty = ahead.x - back.x, ahead.y - back.y
    return tx * (lat - q.y) - ty * (lon - q.x)


def test_odd_numbers_on_the_left_even_on_the_right(town):
    streets = {name: shape(geo) for name, geo in town.streets.items()}
    assert len(streets) >= 20
    sides = defaultdict(set)
    for home in town.homes:
        odd = int(home.house_number) % 2 == 1
        assert (_side(streets[home.street], home.lon, home.lat) > 0) == odd, home
        sides[home.street].add(odd)
    assert sum(1 for s in sides.values() if s == {True, False}) >= 10  # most streets have both sides


def test_addresses_are_unique_and_flats_share_a_building(town):
    addresses = [(h.street, h.house_number, h.unit) for h in town.homes]
    assert len(addresses) == len(set(addresses))
    buildings = defaultdict(list)
    for home in town.homes:
        buildings[home.building_key].append(home)
    blocks = [homes for homes in buildings.values() if len(homes) > 1]
    assert blocks, "no apartment blocks"
    for homes in blocks:
        assert len({(h.street, h.house_number, h.lon, h.lat) for h in homes}) == 1
        assert all(h.unit for h in homes) and len({h.unit for h in homes}) == len(homes)
    singles = [homes[0] for homes in buildings.values() if len(homes) == 1]
    assert all(h.unit == "" for h in singles)


def test_every_phone_is_valid_e164_and_numbers_are_not_shared_across_doors(town):
    owners = defaultdict(set)
    people = [r for h in town.homes for r in h.residents]
    assert all(1 <= len(h.residents) <= 4 for h in town.homes)
    phones = [(r, h) for h in town.homes for r in h.residents if r.phone]
    assert len(phones) > len(people) / 2
    for resident, home in phones:
        number = phonenumbers.parse(resident.phone)
        assert phonenumbers.is_valid_number(number), resident.phone
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == resident.phone
        assert resident.phone[5:9] == "5550" and resident.phone_type in ("mobile", "landline")
        owners[resident.phone].add(home.external_id)
    assert all(len(doors) == 1 for doors in owners.values()), "a number rings at two doors"


def test_homes_lie_in_their_neighbourhood_and_ward(town):
    hoods = {a.code: shape(a.boundary) for a in town.neighbourhoods}
    ward = shape(town.ward.boundary)
    assert 2 <= len(hoods) <= 3
    assert abs(sum(h.area for h in hoods.values()) - ward.area) < ward.area * 1e-5  # they tile the ward (to ~1 cm rounding)
    for home in town.homes:
        point = Point(home.lon, home.lat)
        assert hoods[home.neighbourhood].contains(point), home
        assert ward.contains(point)
    assert {h.neighbourhood for h in town.homes} == set(hoods)
