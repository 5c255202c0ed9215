"""Matching against the register: blocks by postcode, postcode area and street, never beyond."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from sqlmodel import select

from app.models import Household, Person
from app.relational.matching import Register, Wanted, match_many, match_one
from app.relational.names import name_similarity, name_tokens, postcode_area, postcode_key

FIRST = ("Ann", "Anne", "Samuel", "Priya", "Tomasz", "Grace")
LAST = ("Smith", "Smyth", "Jones", "Patel", "Nowak", "Okafor")
POSTCODES = ("CB1 2AB", "CB1 3CD", "CB2 1EF", "SW1A 1AA", "02139", "02140")
STREETS = ("Mill Road", "Hills Road", "High Street")


@pytest.fixture
def register(db, resident):
    """Every name at every postcode, on one of three streets: a match must be picked by place."""
    for i, postcode in enumerate(POSTCODES):
        for j, (first, last) in enumerate(zip(FIRST, LAST)):
            resident(first, LAST[(j + i) % len(LAST)], postcode=postcode, street=STREETS[(i + j) % 3])
    return db


def _where(db, person_id):
    return db.exec(select(Household.postcode, Household.street).join(Person, Person.household_id == Household.id)
                   .where(Person.id == person_id)).one()


def test_a_friend_at_their_postcode_is_found_there(register, conf):
    found = match_many(register, [Wanted(key=1, name="Sam Jones", postcode="cb1 2ab")], settings=conf)[1]
    person = register.get(Person, found.person_id)
    assert (person.first_name, person.last_name) == ("Samuel", "Jones")
    assert _where(register, found.person_id)[0] == "CB1 2AB"
    assert found.street == _where(register, found.person_id)[1]


def test_elsewhere_in_the_area_needs_a_closer_name(register, resident, conf):
    resident("Grace", "Okafor", postcode="CB1 7XY", street="Mill Road")
    reg = Register(register)
    # "Gray Okafor" is close enough at Grace's own postcode, not from elsewhere in CB1; her full
    # name is found from anywhere in CB1, never from CB2.
    assert match_one(register, Wanted(key=1, name="Gray Okafor", postcode="CB1 7XY"), register=reg, settings=conf)
    assert match_one(register, Wanted(key=1, name="Gray Okafor", postcode="CB1 9ZZ"), register=reg, settings=conf) is None
    found = match_one(register, Wanted(key=1, name="Grace Okafor", postcode="CB1 9ZZ"), register=reg, settings=conf)
    assert found and postcode_area(postcode_key(_where(register, found.person_id)[0])) == "CB1"


def test_no_postcode_area_no_match(register, conf):
    assert match_many(register, [Wanted(key=1, name="Ann Smith", postcode="CB9 1AA")], settings=conf)[1] is None


def test_a_street_alone_finds_people_on_that_street(register, conf):
    found = match_many(register, [Wanted(key=1, name="Priya Patel", street="12 mil rd")], settings=conf)[1]
    assert found and _where(register, found.person_id)[1] == "Mill Road"
    # Priya Patel lives on Mill Road only: Hills Road is another street, however alike the names.
    assert match_many(register, [Wanted(key=1, name="Priya Patel", street="Hills Road")], settings=conf)[1] is None


def test_people_said_no_to_are_never_offered_again(register, conf):
    first = match_many(register, [Wanted(key=1, name="Ann Smith", postcode="CB1 2AB")], settings=conf)[1]
    again = match_many(register, [Wanted(key=1, name="Ann Smith", postcode="CB1 2AB",
                                         exclude=frozenset({first.person_id}))], settings=conf)[1]
    assert again is None or again.person_id != first.person_id


def test_the_phone_they_gave_breaks_a_tie(db, resident, conf):
    resident("Ann", "Smith", postcode="CB1 2AB")
    twin = resident("Ann", "Smith", postcode="CB1 2AB", phone="+441223555123")
    found = match_many(db, [Wanted(key=1, name="Ann Smith", postcode="CB1 2AB", phone="+441223555123")],
                       settings=conf)[1]
    assert found.person_id == twin.id


def _typo(name: str, at: int) -> str:
    at %= len(name)
    return name[:at] + name[at + 1:] if len(name) > 3 else name


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.sampled_from(FIRST), last=st.sampled_from(LAST), typo=st.none() | st.integers(0, 20),
       postcode=st.sampled_from(POSTCODES + ("CB1 9ZZ", "CB9 1AA", "SW1A 2BB", "02141", "cb12ab")),
       street=st.sampled_from(("", "Mill Rd", "hills road", "Nowhere Lane")))
def test_never_a_match_outside_the_postcode_area(register, conf, first, last, typo, postcode, street):
    typed = f"{first} {_typo(last, typo) if typo is not None else last}"
    found = match_many(register, [Wanted(key=0, name=typed, postcode=postcode, street=street)], settings=conf)[0]
    if found is None:
        return
    their_postcode, their_street = _where(register, found.person_id)
    key = postcode_key(postcode)
    assert postcode_area(postcode_key(their_postcode)) == postcode_area(key)
    person = register.get(Person, found.person_id)
    similarity = name_similarity(name_tokens(typed), name_tokens(person.first_name), name_tokens(person.last_name))
    needed = conf.relational.name_threshold if postcode_key(their_postcode) == key else conf.relational.area_name_threshold
    assert similarity >= needed
    assert found.street == their_street  # the street, and nothing else of the register
