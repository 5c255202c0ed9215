"""The real geography in ../shared/data through the real CLI: Cambridge's addresses land in
the ward their own CSV names; a register-style Sunderland file geocoded by postcode lands in
the ward ONS gives its postcode."""
from __future__ import annotations

import csv
import random

import pytest
import sqlalchemy as sa

from app.imports.mapping import MAPPINGS_DIR
from app.models import Household, Neighbourhood, Person, Ward


def invoke(runner, *args):
    result = runner.invoke(args=[str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.shared_data
def test_cambridge_every_address_in_its_own_ward_and_precinct(runner, db, shared_data):
    data = shared_data / "cambridge-ma"
    invoke(runner, "import-boundaries", data / "wards.geojson", "--level", "ward", "--name-field", "Ward",
           "--code-field", "Ward")
    invoke(runner, "import-boundaries", data / "wards_precincts.geojson", "--level", "neighbourhood",
           "--name-field", "WardPrecinct", "--code-field", "WardPrecinct", "--parent-field", "Ward")
    output = invoke(runner, "import-addresses", data / "addresses.csv", "--mapping", MAPPINGS_DIR / "cambridge.toml")
    with open(data / "addresses.csv", newline="", encoding="utf-8") as handle:
        expected = {row["address_id"]: (row["ward"], row["precinct"]) for row in csv.DictReader(handle)}
    outside = sum(1 for ward, _ in expected.values() if not ward)
    assert f"{len(expected)} imported, 0 updated, 0 rejected, {outside} outside every ward" in output
    assert outside == 42

    placed = db.execute(
        sa.select(Household.external_id, Ward.code, Neighbourhood.code)
        .outerjoin(Ward, Ward.id == Household.ward_id)
        .outerjoin(Neighbourhood, Neighbourhood.id == Household.neighbourhood_id)).all()
    db.rollback()
    assert {key: (ward or "", hood or "") for key, ward, hood in placed} == expected
    parents = dict(db.execute(sa.select(Neighbourhood.code, Ward.code).join(Ward)).all())
    assert len(parents) == 33 and all(hood.split("-")[0] == ward for hood, ward in parents.items())
    db.rollback()

    again = invoke(runner, "import-addresses", data / "addresses.csv", "--mapping", MAPPINGS_DIR / "cambridge.toml")
    assert f"0 imported, {len(expected)} updated, 0 rejected" in again
    assert db.execute(sa.select(sa.func.count()).select_from(Household)).scalar_one() == len(expected)
    db.rollback()


FIRST = ("Ada", "Bryn", "Cara", "Dev", "Elsie", "Finlay", "Gwen", "Hal")
SURNAMES = ("Ampleforth", "Brackley", "Cresswell", "Dunmore", "Ellerby", "Fothergill")


@pytest.mark.shared_data
def test_sunderland_register_geocoded_by_postcode_lands_in_the_ons_ward(runner, db, shared_data, tmp_path):
    data = shared_data / "sunderland-uk"
    invoke(runner, "import-boundaries", data / "wards.geojson", "--level", "ward", "--name-field", "WD13NM",
           "--code-field", "WD13CD")
    with open(data / "postcodes.csv", newline="", encoding="utf-8") as handle:
        live = [row for row in csv.DictReader(handle) if not row["terminated"].strip()]
    # A made-up register: one or two made-up electors at a made-up number in each live postcode,
    # the postcode written the sloppy ways real registers write it.
    rng = random.Random(2)
    register = tmp_path / "register.csv"
    with open(register, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["elector_id", "first_name", "surname", "house_number", "flat", "street", "town", "postcode"])
        n = 0
        for i, row in enumerate(live):
            postcode = rng.choice([row["postcode"], row["postcode"].lower(), row["postcode"].replace(" ", "")])
            for _ in range(rng.randint(1, 2)):
                n += 1
                writer.writerow([f"EL{n:06d}", rng.choice(FIRST), rng.choice(SURNAMES), str(i % 120 + 1), "",
                                 f"Example Street {i}", "Sunderland", postcode])
    output = invoke(runner, "import-addresses", register, "--mapping", MAPPINGS_DIR / "uk_register.toml",
                    "--postcodes", data / "postcodes.csv")
    assert f"{len(live)} imported, 0 updated, 0 rejected" in output
    assert f"people: {n} imported" in output

    landed = dict(db.execute(sa.select(Household.postcode, Ward.code).outerjoin(Ward)).all())
    assert db.execute(sa.select(sa.func.count()).select_from(Person)).scalar_one() == n
    db.rollback()
    agree = sum(1 for row in live if landed.get(row["postcode"]) == row["ward_code"])
    assert agree / len(live) >= 0.90, f"only {agree} of {len(live)} postcodes in their ONS ward"
