"""The "People you know" page: add, edit, remove, confirm; only the owner; only a street shown."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from sqlmodel import select

from app.models import RelationalEntry, RelationalRejection


def _entries(db, owner_id):
    db.rollback()  # a new snapshot: SQLite's read transaction would keep seeing the old rows
    return db.exec(select(RelationalEntry).where(RelationalEntry.owner_id == owner_id)).all()


def test_adding_a_friend_offers_their_street_and_nothing_else(auth, client, post, db, resident):
    friend = resident("Samuel", "Jones", postcode="CB1 2AB", street="MILL ROAD", house_number="4817", phone="+441223555777")
    resident("Ann", "Smith", postcode="CB1 2AB")
    user = auth.login_as(roles="volunteer")
    response = post("/me/people", {"name": "Sam Jones", "postcode": "cb12ab", "street": "", "phone": ""})
    assert response.status_code == 302
    [entry] = _entries(db, user.id)
    assert (entry.suggested_person_id, entry.person_id, entry.postcode) == (friend.id, None, "CB1 2AB")
    page = client.get("/me/people").get_data(as_text=True)
    assert "We think this is your neighbour on <strong>Mill Road</strong>" in page
    for secret in ("4817", "Samuel", "+441223555777", "1223 555777"):
        assert secret not in page


def test_yes_links_the_entry_no_offers_the_next(auth, post, db, resident):
    first = resident("Ann", "Smith", postcode="CB1 2AB", phone="+441223555001")
    second = resident("Anne", "Smith", postcode="CB1 2AB")
    user = auth.login_as(roles="volunteer")
    post("/me/people", {"name": "Ann Smith", "postcode": "CB1 2AB", "phone": "+44 1223 555001"})
    [entry] = _entries(db, user.id)
    assert entry.suggested_person_id == first.id and entry.phone == "+441223555001"
    assert post(f"/me/people/{entry.id}/match", {"answer": "no"}).status_code == 302
    [entry] = _entries(db, user.id)
    assert entry.suggested_person_id == second.id
    assert db.exec(select(RelationalRejection.person_id)).all() == [first.id]
    assert post(f"/me/people/{entry.id}/match", {"answer": "yes"}).status_code == 302
    [entry] = _entries(db, user.id)
    assert (entry.person_id, entry.suggested_person_id) == (second.id, None) and entry.confirmed_at


def test_saying_no_to_everyone_leaves_nobody_offered(auth, post, db, resident, client):
    resident("Ann", "Smith", postcode="CB1 2AB")
    user = auth.login_as(roles="volunteer")
    post("/me/people", {"name": "Ann Smith", "postcode": "CB1 2AB"})
    [entry] = _entries(db, user.id)
    post(f"/me/people/{entry.id}/match", {"answer": "no"})
    [entry] = _entries(db, user.id)
    assert entry.suggested_person_id is None and entry.person_id is None
    assert "We could not find them on the register" in client.get("/me/people").get_data(as_text=True)
    response = post(f"/me/people/{entry.id}/match", {"answer": "yes"})
    assert response.status_code == 422 and entry.person_id is None


@pytest.mark.parametrize("form, field, says", [
    ({"name": "", "postcode": "CB1 2AB"}, "name", "Their name"),
    ({"name": "Ann Smith"}, "postcode", "Their postcode, or the street"),
    ({"name": "Ann Smith", "postcode": "not a code"}, "postcode", "is not a postcode"),
    ({"name": "Ann Smith", "postcode": "CB1 2AB", "phone": "12"}, "phone", "not a phone number"),
    ({"name": "A" * 101, "postcode": "CB1 2AB"}, "name", "At most 100"),
    ({"name": "Ann\x01Smith", "postcode": "CB1 2AB"}, "name", "control character"),
])
def test_bad_entries_say_what_to_fix_and_store_nothing(auth, post, db, form, field, says):
    user = auth.login_as(roles="volunteer")
    response = post("/me/people", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert says in page and f'id="{field}-error"' in page
    assert _entries(db, user.id) == []


def test_editing_a_place_forgets_the_link(auth, post, db, resident):
    resident("Ann", "Smith", postcode="CB1 2AB")
    moved = resident("Ann", "Smith", postcode="CB2 1EF", street="Hills Road")
    user = auth.login_as(roles="volunteer")
    post("/me/people", {"name": "Ann Smith", "postcode": "CB1 2AB"})
    [entry] = _entries(db, user.id)
    post(f"/me/people/{entry.id}/match", {"answer": "yes"})
    assert post(f"/me/people/{entry.id}/edit", {"name": "Ann Smith", "postcode": "CB2 1EF"}).status_code == 302
    [entry] = _entries(db, user.id)
    assert (entry.person_id, entry.suggested_person_id, entry.postcode) == (None, moved.id, "CB2 1EF")
    assert post(f"/me/people/{entry.id}/edit", {"name": "", "postcode": "CB2 1EF"}).status_code == 422
    assert post(f"/me/people/{entry.id}/delete").status_code == 302
    assert _entries(db, user.id) == []


def test_someone_elses_entry_is_not_found(auth, post, db, resident, make_user):
    person = resident("Ann", "Smith", postcode="CB1 2AB")
    owner = make_user(roles="volunteer")
    entry = RelationalEntry(owner_id=owner.id, name="Ann Smith", postcode="CB1 2AB", suggested_person_id=person.id)
    db.add(entry)
    db.commit()
    for roles in ("volunteer", "organiser"):
        auth.login_as(roles=roles)
        assert auth._client.get(f"/me/people/{entry.id}/edit").status_code == 404
        for action, data in (("edit", {"name": "X Y", "postcode": "CB1 2AB"}), ("match", {"answer": "yes"}),
                             ("delete", {}), ("talk", {"event_id": "5b1c0d3e-8f52-4a8e-9a51-0d8c1e2f3a4b", "code": "talked"})):
            assert post(f"/me/people/{entry.id}/{action}", data).status_code == 404, action
        assert "Ann Smith" not in auth._client.get("/me/people").get_data(as_text=True)
        auth.logout()
    db.rollback()
    entry = db.get(RelationalEntry, entry.id)
    assert (entry.name, entry.person_id, entry.suggested_person_id) == ("Ann Smith", None, person.id)


def test_ids_beyond_a_bigint_and_junk_are_404(auth, client):
    auth.login_as(roles="volunteer")
    for url in ("/me/people/99999999999999999999/edit", "/me/people/abc/edit", "/me/people/0/edit"):
        assert client.get(url).status_code == 404


def test_a_list_has_a_limit(auth, post, db, app):
    app.extensions["legwork_settings"] = __import__("dataclasses").replace(
        app.extensions["legwork_settings"],
        relational=__import__("dataclasses").replace(app.extensions["legwork_settings"].relational, max_entries=1))
    user = auth.login_as(roles="volunteer")
    assert post("/me/people", {"name": "Ann Smith", "postcode": "CB1 2AB"}).status_code == 302
    response = post("/me/people", {"name": "Bob Smith", "postcode": "CB1 2AB"})
    assert response.status_code == 422 and "the most one volunteer may" in response.get_data(as_text=True)
    assert len(_entries(db, user.id)) == 1


@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.from_regex(r"[1-9][0-9]{3}[A-Z]?", fullmatch=True), unit=st.from_regex(r"Flat [0-9]{2}", fullmatch=True))
def test_the_page_never_shows_a_house_number(auth, client, post, db, resident, number, unit):
    from app.models import Household, Person

    person = db.exec(select(Person).where(Person.last_name == "Okafor")).first() or resident(
        "Grace", "Okafor", postcode="CB1 2AB", street="Mill Road")
    household = db.get(Household, person.household_id)
    household.house_number, household.unit = number, unit
    db.add(household)
    db.commit()
    if auth.user is None:
        auth.login_as(roles="volunteer")
        post("/me/people", {"name": "Grace Okafor", "postcode": "CB1 2AB"})
    page = client.get("/me/people").get_data(as_text=True)
    assert "your neighbour on <strong>Mill Road</strong>" in page
    assert number not in page and unit not in page
