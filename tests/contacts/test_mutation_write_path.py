"""The do-not-contact ledger and the write path, pinned where the mutation check
(scripts/bench/mutation.py) found behaviour no other test held."""
import uuid

import pytest
from sqlmodel import select

from app.contacts import Actor, ledger_blocks, record_contacts
from app.models import AuditEntry, DoNotContact, Person


@pytest.fixture
def settings(app):
    return app.extensions["legwork_settings"]


@pytest.fixture
def two_homes(make_ward, make_household):
    ward = make_ward()
    return make_household(ward, people=2), make_household(ward, people=1)


def people_of(db, household):
    return db.exec(select(Person).where(Person.household_id == household.id).order_by(Person.id)).all()


def event(household, **kw):
    return {"id": str(uuid.uuid4()), "household_id": household.id, "code": "spoke",
            "recorded_at": "2026-11-01T10:00:00Z", **kw}


def test_ledger_blocks_nothing_when_asked_about_nothing(db, two_homes, settings):
    record_contacts(db, events=[event(two_homes[0], code="do_not_contact")], actor=Actor(), settings=settings)
    db.commit()
    assert ledger_blocks(db) is False
    assert ledger_blocks(db, phone="") is False


def test_ledger_blocks_a_number_and_only_that_number(db, two_homes, settings):
    home, other = two_homes
    caller = people_of(db, home)[0]
    record_contacts(db, events=[event(home, code="do_not_call", person_id=caller.id)], actor=Actor(),
                    settings=settings, channel="phone")
    db.commit()
    assert ledger_blocks(db, phone=caller.phone)
    assert not ledger_blocks(db, phone=people_of(db, other)[0].phone)
    # The number alone blocks, whoever now answers it (a person the ledger has never seen).
    assert ledger_blocks(db, person_id=10**6, phone=caller.phone)


def test_ledger_blocks_a_person_not_their_housemate(db, two_homes, settings):
    home, _ = two_homes
    first, second = people_of(db, home)
    record_contacts(db, events=[event(home, code="do_not_call", person_id=first.id)], actor=Actor(),
                    settings=settings, channel="phone")
    db.commit()
    assert ledger_blocks(db, person_id=first.id)
    assert not ledger_blocks(db, person_id=second.id, household_id=home.id, phone=second.phone)


def test_a_door_refusal_blocks_its_household_only(db, two_homes, settings):
    home, other = two_homes
    record_contacts(db, events=[event(home, code="do_not_contact")], actor=Actor(), settings=settings)
    db.commit()
    assert ledger_blocks(db, household_id=home.id)
    assert not ledger_blocks(db, household_id=other.id)
    entry = db.exec(select(DoNotContact)).one()
    assert (entry.person_id, entry.household_id, entry.phone) == (None, home.id, None)
    assert entry.reason == "door: do_not_contact" and entry.channel == "all"


def test_a_door_refusal_naming_a_person_keeps_no_number(db, two_homes, settings, make_user):
    """At the door the number is not what was refused: only a phone refusal records it."""
    home, _ = two_homes
    first, _second = people_of(db, home)
    user = make_user()
    record_contacts(db, events=[event(home, code="do_not_contact", person_id=first.id)],
                    actor=Actor(user_id=user.id, label="Pat"), settings=settings)
    db.commit()
    entry = db.exec(select(DoNotContact)).one()
    assert (entry.person_id, entry.phone, entry.created_by_id) == (first.id, None, user.id)
    assert not ledger_blocks(db, phone=first.phone)
    assert not ledger_blocks(db, household_id=home.id)  # the housemate may still be knocked
    audit = db.exec(select(AuditEntry).where(AuditEntry.action == "dnc.add")).one()
    assert audit.target == f"household:{home.id}" and audit.actor_user_id == user.id


def test_a_refusal_covers_everyone_it_names_in_responses(db, two_homes, settings):
    home, _ = two_homes
    first, second = people_of(db, home)
    item = event(home, code="do_not_call", person_id=first.id,
                 responses=[{"person_id": second.id, "support_level": "5"}])
    record_contacts(db, events=[item], actor=Actor(), settings=settings, channel="phone")
    db.commit()
    rows = db.exec(select(DoNotContact).order_by(DoNotContact.person_id)).all()
    assert [(r.person_id, r.phone) for r in rows] == [(first.id, first.phone), (second.id, second.phone)]
    assert all(r.source_event_id == item["id"] and r.reason == "phone: do_not_call" for r in rows)


def test_a_lone_item_whose_transaction_fails_gets_that_error_and_is_not_run_again():
    """Running a group of one again alone would only repeat the failure (and its cost)."""
    from app.contacts.write_group import WriteGroup
    from tests.support.fakes import FakeSession

    alone = []

    def many(_session, items):
        raise ValueError("refused")

    def one(_session, item):
        alone.append(item)
        return f"alone {item}"

    with pytest.raises(ValueError, match="refused"):
        WriteGroup().submit(FakeSession(), "a", many=many, one=one)
    assert alone == []
    assert WriteGroup().submit(FakeSession(), "b", many=lambda s, items: [f"got {i}" for i in items],
                               one=one) == "got b"


def test_a_status_names_its_reason_only_when_it_has_one():
    from app.contacts import Status

    assert Status("e1", "stored").as_dict() == {"id": "e1", "status": "stored"}
    assert Status("e2", "rejected", "id must be a UUID").as_dict() == {
        "id": "e2", "status": "rejected", "reason": "id must be a UUID"}


def test_grouped_record_of_nothing_storable_answers_without_writing(app, make_ward, make_household, settings):
    from app.contacts import record_contacts_grouped
    from app.db import get_session

    with app.test_request_context():
        household = make_household(make_ward(), people=1)
        statuses = record_contacts_grouped(get_session(), events=[event(household, code="teleported"), "x"],
                                           actor=Actor(), settings=settings)
    assert [s.status for s in statuses] == ["rejected", "rejected"]


def test_a_lock_error_reaches_the_phone_a_refusal_is_stored_item_by_item(app, make_ward, make_household, settings,
                                                                         monkeypatch):
    """A dropped connection or a lock is the phone's to retry; only data the database refuses is
    re-run one item at a time."""
    import sqlalchemy as sa

    import app.contacts.record as record
    from app.db import get_session

    def fail_with(err):
        def store(*args, **kwargs):
            raise err
        return store

    with app.test_request_context():
        household = make_household(make_ward(), people=1)
        monkeypatch.setattr(record, "store_prepared", fail_with(sa.exc.OperationalError("x", {}, Exception("locked"))))
        with pytest.raises(sa.exc.OperationalError):
            record.record_contacts_grouped(get_session(), events=[event(household)], actor=Actor(), settings=settings)
    with app.test_request_context():
        monkeypatch.setattr(record, "store_prepared", fail_with(ValueError("refused")))
        one_by_one = []
        monkeypatch.setattr(record, "_record_one_by_one", lambda session, prepared, **kw: one_by_one.append(1) or ["x"])
        assert record.record_contacts_grouped(get_session(), events=[event(household)], actor=Actor(),
                                              settings=settings) == ["x"]
        assert one_by_one == [1]
