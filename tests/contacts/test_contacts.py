"""The one write path for contact events: idempotent, validated, and the only ledger writer."""
import uuid

import pytest
from sqlmodel import func, select

from app.contacts import Actor, ledger_blocks, record_contacts
from app.models import AuditEntry, ContactEvent, DoNotContact, Person, SurveyResponse


@pytest.fixture
def settings(app):
    return app.extensions["legwork_settings"]


@pytest.fixture
def household(make_ward, make_household):
    return make_household(make_ward(), people=2)


def event(household, **kw):
    return {"id": str(uuid.uuid4()), "household_id": household.id, "code": "spoke",
            "recorded_at": "2026-11-01T10:00:00Z", **kw}


def count(db, model):
    return db.exec(select(func.count()).select_from(model)).one()


def test_stores_then_reports_duplicates_on_replay(db, household, settings, make_user):
    user = make_user()
    batch = [event(household), event(household, code="not_home")]
    first = record_contacts(db, events=batch, actor=Actor(user_id=user.id), settings=settings)
    db.commit()
    again = record_contacts(db, events=batch, actor=Actor(user_id=user.id), settings=settings)
    db.commit()
    assert [s.status for s in first] == ["stored", "stored"]
    assert [s.status for s in again] == ["duplicate", "duplicate"]
    assert count(db, ContactEvent) == 2
    stored = db.get(ContactEvent, batch[0]["id"])
    assert stored.actor_user_id == user.id and stored.received_at is not None


def test_same_id_twice_in_one_batch_is_stored_once(db, household, settings):
    item = event(household)
    statuses = record_contacts(db, events=[item, dict(item)], actor=Actor(), settings=settings)
    assert [s.status for s in statuses] == ["stored", "duplicate"]
    assert count(db, ContactEvent) == 1


def test_two_volunteers_same_door_both_kept(db, household, settings, make_user):
    a, b = make_user(), make_user()
    record_contacts(db, events=[event(household)], actor=Actor(user_id=a.id), settings=settings)
    record_contacts(db, events=[event(household, code="not_home")], actor=Actor(user_id=b.id), settings=settings)
    db.commit()
    assert count(db, ContactEvent) == 2


@pytest.mark.parametrize("change, message", [
    ({"id": "not-a-uuid"}, "id must be a UUID"),
    ({"code": "teleported"}, "unknown door code 'teleported'"),
    ({"household_id": 999999}, "household 999999 does not exist"),
    ({"household_id": "abc"}, "household_id must be a positive integer id"),
    ({"recorded_at": "yesterday"}, "not an ISO 8601 timestamp"),
    ({"recorded_at": "2999-01-01T00:00:00Z"}, "more than a day in the future"),
    ({"lat": 91.0}, "lat must be a number within ±90"),
    ({"notes": "x" * 2001}, "notes must be text of at most 2000"),
    ({"responses": [{"person_id": 424242}]}, "does not live at this household"),
    ({"responses": "yes"}, "responses must be a list"),
    ({"person_id": 424242}, "person 424242 does not live at household"),
])
def test_bad_items_rejected_with_reason_and_nothing_written(db, household, settings, change, message):
    statuses = record_contacts(db, events=[event(household, **change)], actor=Actor(), settings=settings)
    assert statuses[0].status == "rejected"
    assert message in statuses[0].reason
    assert count(db, ContactEvent) == 0


def test_bad_survey_values_rejected(db, household, settings):
    person = db.exec(select(Person).where(Person.household_id == household.id)).first()
    for bad, message in [({"support_level": "9"}, "not on the campaign's scale"),
                         ({"issues": ["Unicorns"]}, "unknown issue 'Unicorns'"),
                         ({"poster": "yes"}, "poster must be true or false")]:
        statuses = record_contacts(db, events=[event(household, responses=[{"person_id": person.id, **bad}])],
                                   actor=Actor(), settings=settings)
        assert message in statuses[0].reason
    assert count(db, SurveyResponse) == 0


def test_survey_responses_stored_per_person(db, household, settings):
    people = db.exec(select(Person).where(Person.household_id == household.id)).all()
    responses = [{"person_id": people[0].id, "support_level": "1", "issues": ["Housing", "Schools"],
                  "volunteer_interest": True},
                 {"person_id": people[1].id, "support_level": "4", "postal_vote": True}]
    record_contacts(db, events=[event(household, responses=responses)], actor=Actor(), settings=settings)
    db.commit()
    rows = {r.person_id: r for r in db.exec(select(SurveyResponse)).all()}
    assert rows[people[0].id].issues == "Housing|Schools" and rows[people[0].id].volunteer_interest
    assert rows[people[1].id].support_level == "4" and rows[people[1].id].postal_vote


def test_door_do_not_contact_blocks_household_and_is_audited(db, household, settings, make_user):
    user = make_user()
    record_contacts(db, events=[event(household, code="do_not_contact")], actor=Actor(user_id=user.id),
                    settings=settings)
    db.commit()
    assert ledger_blocks(db, household_id=household.id)
    entry = db.exec(select(DoNotContact)).one()
    assert entry.channel == "all" and entry.created_by_id == user.id
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "dnc.add")).first() is not None


def test_phone_do_not_call_blocks_person_and_number_for_both_channels(db, household, settings):
    person = db.exec(select(Person).where(Person.household_id == household.id, Person.phone.is_not(None))).first()
    record_contacts(db, events=[event(household, code="do_not_call", person_id=person.id)], actor=Actor(),
                    settings=settings, channel="phone")
    db.commit()
    assert ledger_blocks(db, person_id=person.id)
    assert ledger_blocks(db, phone=person.phone)
    assert not ledger_blocks(db, household_id=household.id)  # the rest of the household may still be knocked


def test_replayed_dnc_writes_the_ledger_once(db, household, settings):
    item = event(household, code="do_not_contact")
    for _ in range(3):
        record_contacts(db, events=[item], actor=Actor(), settings=settings)
        db.commit()
    assert count(db, DoNotContact) == 1
