"""A whole-city cut from a universe on the real Cambridge, MA addresses (made-up residents): every
free door with someone in the universe goes on exactly one list, lists keep to one precinct and
stay near the target size, and saving files them ward by ward."""
from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.imports.addresses import import_addresses
from app.imports.boundaries import import_boundaries
from app.imports.mapping import Mapping
from app.imports.fake_people import add_fake_people
from app.models import Household, Person, WalkList, WalkListDoor
from app.universes.operations import create_universe
from app.walk_lists.city import cut_city, save_any
from tests.support.shared_data import REPO


@pytest.mark.shared_data
# every list is routed along streets (inferred from the households: no lines are imported here),
# about twice the straight lines' CPU: 70-110 s on a busy 2-core machine, once over 180 s on PostgreSQL
@pytest.mark.timeout(600)
def test_cambridge_whole_city_cut_from_a_universe(db, app, shared_data):
    from app.config import settings

    city = shared_data / "cambridge-ma"
    import_boundaries(db, source=city / "wards.geojson", level="ward", name_field="Ward")
    import_boundaries(db, source=city / "wards_precincts.geojson", level="neighbourhood", name_field="WardPrecinct",
                      parent_field="Ward")
    import_addresses(db, csv_path=city / "addresses.csv", mapping=Mapping.load(REPO / "mappings" / "cambridge.toml"))
    add_fake_people(db, seed=7)
    db.commit()
    with app.app_context():
        conf = settings()
    universe = write_transaction(db, lambda s: create_universe(s, name="Has a phone", definition={"kind": "has_phone"},
                                                               settings=conf)).id
    wanted = set(db.execute(sa.select(Person.household_id).join(Household, Household.id == Person.household_id)
                            .where(Person.phone.is_not(None), Household.lon.is_not(None))).scalars())
    proposal = cut_city(db, universe_id=universe, target_size=60)
    cut = [h for t in proposal.turfs for h in t.household_ids]
    assert len(cut) == len(set(cut)) and set(cut) == wanted and len(wanted) > 5000
    areas = dict(db.execute(sa.select(Household.id, Household.neighbourhood_id)).all())
    assert all(len({areas[h] for h in t.household_ids}) == 1 for t in proposal.turfs)
    sizes = sorted(len(t.household_ids) for t in proposal.turfs)
    assert sizes[len(sizes) // 2] in range(54, 67)  # the median list is within ±10% of 60
    saved = write_transaction(db, lambda s: save_any(s, proposal=proposal))
    assert len(saved) == len(proposal.turfs)
    wards = Counter(w.ward_id for w in saved)
    assert len(wards.keys() - {None}) == 11  # Cambridge's eleven wards
    # The few addresses outside every ward's boundary make lists of their own, named for the city.
    outside = [w for w in saved if w.ward_id is None]
    ward_of = dict(db.execute(sa.select(Household.id, Household.ward_id)).all())
    for walk_list in outside:
        assert walk_list.name.startswith("Whole city · ")
        doors = db.execute(sa.select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == walk_list.id)).scalars()
        assert {ward_of[h] for h in doors} == {None}
    assert db.execute(sa.select(sa.func.count(WalkListDoor.id))).scalar_one() == len(cut)
    assert db.execute(sa.select(sa.func.count(WalkList.id))).scalar_one() == len(proposal.turfs)
