"""Made-up residents: only for empty households, deterministic, fictional valid numbers."""
from __future__ import annotations

import random

import phonenumbers
import pytest
import sqlalchemy as sa

from app.errors import ValidationError
from app.imports.fake_people import add_fake_people
from app.imports.phones import fictional_phone, parse_phone
from app.models import Person


def people(db) -> list[tuple]:
    return db.execute(sa.select(Person.household_id, Person.first_name, Person.last_name, Person.phone,
                                Person.phone_type).order_by(Person.id)).all()


def test_fills_only_empty_households_and_is_repeatable(db, make_household):
    full = make_household(people=1)
    empty = [make_household(people=0) for _ in range(30)]
    added = add_fake_people(db, seed=7, per_household=(1, 3))
    db.commit()
    rows = people(db)
    assert added == len(rows) - 1
    per = {h.id: sum(1 for r in rows if r.household_id == h.id) for h in empty}
    assert all(1 <= n <= 3 for n in per.values()) and len(set(per.values())) > 1
    assert sum(1 for r in rows if r.household_id == full.id) == 1
    assert add_fake_people(db, seed=7) == 0  # nobody is empty any more
    db.execute(sa.delete(Person).where(Person.household_id != full.id))
    db.commit()
    add_fake_people(db, seed=7, per_household=(1, 3))
    assert people(db) == rows


@pytest.mark.parametrize("region", ["US", "GB", "AU", "FR"])
def test_numbers_are_valid_and_fictional(region):
    rng = random.Random(1)
    for _ in range(200):
        e164, kind = fictional_phone(rng, region)
        number = phonenumbers.parse(e164)
        assert phonenumbers.is_valid_number(number) and kind
        assert parse_phone(e164, region) == (e164, kind)
        if region == "US":
            assert e164[5:10] == "55501"  # NANP 555-0100..0199: reserved for fiction
        if region == "GB":
            assert e164[:9] in {"+44113496", "+44114496", "+44116496", "+44117496", "+44118496", "+44121496",
                                "+44131496", "+44141496", "+44151496", "+44161496", "+44191498"} \
                or e164[:8] in {"+4420794", "+4428964", "+4429201"}


@pytest.mark.parametrize("per_household", [(3, 1), (0, 0), (-1, 2), (1, 50)])
def test_bad_ranges(db, per_household):
    with pytest.raises(ValidationError, match="people per household must be A-B"):
        add_fake_people(db, per_household=per_household)
