"""Saving universes (checked, canonical, audited) and reading them back for the cut, the sheets and
the export: ``universe_people`` / ``universe_households`` are SELECTs to put inside other queries."""
from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.errors import NotFound, ValidationError
from app.models import AuditEntry, Person, Universe
from app.universes import universe_households, universe_people
from app.universes.operations import create_universe, update_universe
from app.universes.queries import definition


def test_a_bad_tree_saves_nothing(db, town, settings):
    with pytest.raises(ValidationError, match=r"Condition 1 \(/of/0\): there is no walk list 999"):
        write_transaction(db, lambda s: create_universe(s, name="Bad", settings=settings,
                                                        definition={"kind": "and", "of": [{"kind": "walk_list", "ids": [999]}]}))
    assert db.exec(sa.select(sa.func.count()).select_from(Universe)).scalar_one() == 0
    assert db.exec(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one() == 0


def test_saved_canonical_and_audited(db, town, settings, save_universe):
    universe_id = save_universe({"kind": "ward", "ids": [town.wards[1], town.wards[0]]}, name="  Both   wards ")
    universe = db.get(Universe, universe_id)
    assert universe.name == "Both wards"
    assert universe.definition == '{"ids":[%d,%d],"kind":"ward"}' % tuple(sorted(town.wards))
    updated = write_transaction(db, lambda s: update_universe(s, universe_id=universe_id, name="North",
                                                              definition={"kind": "ward", "ids": [town.wards[0]]},
                                                              settings=settings))
    assert updated.definition == '{"ids":[%d],"kind":"ward"}' % town.wards[0]
    detail = db.exec(sa.select(AuditEntry.detail).where(AuditEntry.action == "universe.update")).scalar_one()
    assert '"before": {"definition": "{\\"ids\\":[' in detail


def test_the_selects_other_features_use(db, town, settings, save_universe):
    universe_id = save_universe({"kind": "has_phone"})
    people = set(db.exec(sa.select(Person.id).where(Person.id.in_(universe_people(db, universe_id=universe_id,
                                                                                   settings=settings)))).scalars())
    assert people == {pid for pid, p in town.people.items() if p["phone"] and not p["retired"]}
    households = set(db.exec(universe_households(db, universe_id=universe_id, settings=settings)).scalars())
    assert households == {town.people[pid]["household_id"] for pid in people}
    with pytest.raises(NotFound):
        universe_people(db, universe_id=universe_id + 1, settings=settings)


def test_a_universe_the_settings_no_longer_fit_says_what_to_edit(db, town, settings, save_universe):
    universe_id = save_universe({"kind": "or", "of": [{"kind": "has_phone"}, {"kind": "support", "levels": ["5"]}]},
                                name="Old scale")
    fewer = dataclasses.replace(settings, support_scale=settings.support_scale[:3])
    with pytest.raises(ValidationError, match=r"Universe “Old scale” needs editing: Condition 2 \(/of/1\): unknown support level '5'"):
        definition(db.get(Universe, universe_id), settings=fewer)
