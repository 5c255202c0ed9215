"""Talking to your people: recorded once through the one contact path, counted everywhere."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.models import ContactEvent, HouseholdSummary, RelationalEntry, SurveyResponse, utcnow


@pytest.fixture
def confirmed(db, resident, make_ward):
    """A volunteer's confirmed friend, in the ward (so the dashboard's areas count them)."""
    ward = make_ward()
    friend = resident("Samuel", "Jones", postcode="CB1 2AB", ward=ward)

    def make(user):
        entry = RelationalEntry(owner_id=user.id, name="Sam Jones", postcode="CB1 2AB", phone="+441223555123",
                                person_id=friend.id, checked_at=utcnow(), confirmed_at=utcnow())
        db.add(entry)
        db.commit()
        return entry, friend

    return make


def _events(db):
    db.rollback()
    return db.exec(select(ContactEvent)).all()


def test_the_talk_list_shows_the_script_with_their_name(auth, client, confirmed):
    auth.login_as(roles="volunteer", name="Robin Hood")
    confirmed(auth.user)
    page = client.get("/me/people/talk").get_data(as_text=True)
    assert "Hi Sam, it&#39;s Robin." in page and 'href="tel:+441223555123"' in page
    assert 'name="event_id"' in page


def test_a_talk_is_stored_once_however_often_it_is_sent(auth, client, post, db, confirmed):
    user = auth.login_as(roles="volunteer")
    entry, friend = confirmed(user)
    form = {"event_id": str(uuid.uuid4()), "code": "will_vote", "support_level": "2", "notes": "Over the fence"}
    first = post(f"/me/people/{entry.id}/talk", form)
    again = post(f"/me/people/{entry.id}/talk", form)
    assert first.status_code == again.status_code == 302
    [event] = _events(db)
    assert (event.channel, event.code, event.person_id, event.household_id, event.actor_user_id, event.notes) == (
        "relational", "will_vote", friend.id, friend.household_id, user.id, "Over the fence")
    [answer] = db.exec(select(SurveyResponse)).all()
    assert (answer.person_id, answer.support_level) == (friend.id, "2")
    summary = db.get(HouseholdSummary, friend.household_id)
    assert (summary.relational_events, summary.relational_contacts, summary.door_events, summary.phone_events) == (1, 1, 0, 0)
    page = client.get("/me/people/talk").get_data(as_text=True)
    assert "Last time: Talked: will vote" in page


@pytest.mark.parametrize("form, says", [
    ({"code": "talked"}, "id must be a UUID"),
    ({"event_id": "x" * 5000, "code": "talked"}, "id must be a UUID"),
    ({"event_id": "11111111-2222-4333-8444-555555555555", "code": "spoke"}, "unknown relational code"),
    ({"event_id": "11111111-2222-4333-8444-555555555555", "code": "talked", "support_level": "9"}, "not on the campaign"),
    ({"event_id": "11111111-2222-4333-8444-555555555555", "code": "talked", "notes": "a\x02b"}, "control character"),
])
def test_a_bad_talk_says_why_and_stores_nothing(auth, post, db, confirmed, form, says):
    entry, _ = confirmed(auth.login_as(roles="volunteer"))
    response = post(f"/me/people/{entry.id}/talk", form)
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    assert _events(db) == []


def test_no_talk_before_the_match_is_confirmed(auth, post, db, resident):
    user = auth.login_as(roles="volunteer")
    person = resident("Ann", "Smith", postcode="CB1 2AB")
    entry = RelationalEntry(owner_id=user.id, name="Ann Smith", postcode="CB1 2AB", suggested_person_id=person.id)
    db.add(entry)
    db.commit()
    response = post(f"/me/people/{entry.id}/talk", {"event_id": str(uuid.uuid4()), "code": "talked"})
    assert response.status_code == 422 and _events(db) == []


def test_talks_count_on_the_dashboard_coverage_and_report(auth, client, post, db, confirmed, make_team):
    user = auth.login_as(roles="volunteer")
    entry, friend = confirmed(user)
    make_team(members=[user])
    post(f"/me/people/{entry.id}/talk", {"event_id": str(uuid.uuid4()), "code": "talked"})
    post(f"/me/people/{entry.id}/talk", {"event_id": str(uuid.uuid4()), "code": "not_yet"})
    auth.logout()
    auth.login_as(roles="organiser")
    page = client.get("/organiser/dashboard?period=all").get_data(as_text=True)
    assert '<span class="big">1</span> reached by someone they know<small>2 talks recorded' in page
    assert '<span class="big">0</span> calls made' in page   # a talk is not a call
    from app.maps.coverage import coverage_by_area

    db.rollback()
    assert sum(c.relational_contacted for c in coverage_by_area(db).values()) == 1
    report = client.get("/organiser/people-you-know").get_data(as_text=True)
    assert "Sam Jones" not in report and "CB1 2AB" not in report
    row = report.split("<tfoot>")[1]
    assert [int(n) for n in __import__("re").findall(r'class="num">(\d+)<', row)] == [1, 1, 1, 1]


def test_universes_select_people_reached_by_someone_they_know(auth, post, db, confirmed, conf):
    from app.universes.queries import checked, count

    entry, friend = confirmed(auth.login_as(roles="volunteer"))
    post(f"/me/people/{entry.id}/talk", {"event_id": str(uuid.uuid4()), "code": "talked"})
    db.rollback()
    for channel, people in (("relational", 1), ("any", 1), ("door", 0)):
        tree = checked(db, {"kind": "reached", "channel": channel}, settings=conf)
        assert count(db, tree=tree, settings=conf).people == people, channel
    dated = checked(db, {"kind": "reached", "channel": "relational", "from": "2000-01-01"}, settings=conf)
    assert count(db, tree=dated, settings=conf).people == 1


def test_the_contacts_export_filters_talks_by_channel(auth, client, post, db, confirmed):
    entry, _ = confirmed(auth.login_as(roles="volunteer"))
    post(f"/me/people/{entry.id}/talk", {"event_id": str(uuid.uuid4()), "code": "will_vote", "notes": "Fence"})
    auth.logout()
    auth.login_as(roles="organiser")
    talks = client.get("/organiser/exports/contacts.csv?channel=relational").get_data(as_text=True)
    assert "Talked: will vote" in talks and "Fence" in talks and "Samuel" in talks
    doors = client.get("/organiser/exports/contacts.csv?channel=door").get_data(as_text=True)
    assert "Talked: will vote" not in doors
