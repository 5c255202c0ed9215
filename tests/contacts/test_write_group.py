"""Group commit: concurrent door-knock posts of one process share one write transaction, and
each caller still gets exactly its own answer (or its own error)."""
import threading
import uuid
from types import SimpleNamespace

import pytest
from sqlmodel import func, select

from app.contacts import Actor, prepare_contacts, record_contacts_grouped, store_prepared
from app.db import get_session
from app.contacts.write_group import WriteGroup
from app.models import ContactEvent, HouseholdSummary
from tests.support.fakes import FakeSession


@pytest.fixture
def settings(app):
    return app.extensions["legwork_settings"]


def event(household, **kw):
    return {"id": str(uuid.uuid4()), "household_id": household.id, "code": "spoke",
            "recorded_at": "2026-11-01T10:00:00Z", **kw}


def run_threads(group, items, many, one):
    """Submit each item from its own thread; returns {item: result or exception}."""
    answers = {}

    def submit(item):
        try:
            answers[item] = group.submit(FakeSession(), item, many=many, one=one)
        except BaseException as err:  # noqa: BLE001 - the test inspects what each thread got
            answers[item] = err

    threads = [threading.Thread(target=submit, args=(item,)) for item in items]
    for t in threads:
        t.start()
    return threads, answers


def queued_behind_a_running_transaction(later, then, one=None):
    """Item "a" starts a transaction that waits until the ``later`` items have all queued behind
    it; the next transaction, ``then(items)``, gets them in one group. Returns (the groups
    ``many`` was called with, {item: what its thread got}) once every thread is done."""
    group, calls, release = WriteGroup(), [], threading.Event()

    def many(_session, items):
        calls.append(list(items))
        if len(calls) == 1:
            assert release.wait(10)
            return [f"answer to {item}" for item in items]
        return then(items)

    first, answers = run_threads(group, ["a"], many, one)
    while not calls:
        threading.Event().wait(0.005)
    rest, later_answers = run_threads(group, later, many, one)
    while len(group._queue) < len(later):
        threading.Event().wait(0.005)
    release.set()
    for t in first + rest:
        t.join(10)
    return calls, {**answers, **later_answers}


def test_threads_that_arrive_while_a_transaction_runs_share_the_next_one():
    calls, answers = queued_behind_a_running_transaction(
        ["b", "c", "d"], then=lambda items: [f"answer to {item}" for item in items])
    assert calls[0] == ["a"] and sorted(calls[1]) == ["b", "c", "d"] and len(calls) == 2
    assert answers == {item: f"answer to {item}" for item in "abcd"}


def test_a_failing_group_is_rerun_alone_and_only_the_culprit_gets_the_error():
    def fail(items):
        raise ValueError("the group failed")

    def one(_session, item):
        if item == "bad":
            raise ValueError(f"{item} is bad")
        return f"alone {item}"

    _, answers = queued_behind_a_running_transaction(["good", "bad"], then=fail, one=one)
    assert answers["good"] == "alone good"
    assert isinstance(answers["bad"], ValueError) and str(answers["bad"]) == "bad is bad"


def test_a_leader_killed_half_way_answers_nobody_stored():
    def die(items):
        raise KeyboardInterrupt  # not an Exception: no per-item rerun, the thread dies

    _, answers = queued_behind_a_running_transaction(["b", "c"], then=die)
    kinds = sorted(type(answers[k]).__name__ for k in "bc")
    assert kinds == ["KeyboardInterrupt", "RuntimeError"]  # the follower is told, never "stored"


def test_one_id_sent_by_two_callers_in_one_group_is_stored_and_folded_once(db, make_ward, make_household,
                                                                         make_user, settings):
    household = make_household(make_ward(), people=1)
    a, b = make_user(), make_user()
    item = event(household)
    first = prepare_contacts(db, events=[item], actor=Actor(user_id=a.id), settings=settings)
    second = prepare_contacts(db, events=[dict(item), event(household, code="not_home")],
                              actor=Actor(user_id=b.id), settings=settings)
    batch = [first, second]
    answers = store_prepared(db, batch, settings=settings)
    # A retried transaction calls it again: the batch itself was left untouched.
    assert [s is None for s in first.statuses] == [True]
    db.rollback()
    answers = store_prepared(db, batch, settings=settings)
    db.commit()
    assert [[s.status for s in statuses] for statuses in answers] == [["stored"], ["duplicate", "stored"]]
    assert db.exec(select(func.count()).select_from(ContactEvent)).one() == 2
    assert db.get(ContactEvent, item["id"]).actor_user_id == a.id
    assert db.get(HouseholdSummary, household.id).door_events == 2


def test_grouped_record_commits_and_answers_like_record_contacts(app, make_ward, make_household, settings):
    with app.test_request_context():
        household = make_household(make_ward(), people=1)
        good, bad = event(household), event(household, code="no such code")
        statuses = record_contacts_grouped(get_session(), events=[good, bad, dict(good)], actor=Actor(),
                                           settings=settings)
        assert [s.status for s in statuses] == ["stored", "rejected", "duplicate"]
        assert "unknown door code" in statuses[1].reason
    with app.test_request_context():
        session = get_session()
        assert session.exec(select(func.count()).select_from(ContactEvent)).one() == 1  # committed
        again = record_contacts_grouped(session, events=[good], actor=Actor(), settings=settings)
        assert [s.status for s in again] == ["duplicate"]


def test_a_post_queues_for_the_group_write_without_a_read_snapshot(app, make_ward, make_household, settings,
                                                                   monkeypatch):
    """On SQLite a thread waiting for its group's write must not hold a read snapshot: under steady
    load one always would, and SQLite could never start the WAL over (it grew ~20 MB/s)."""
    seen = []
    real = WriteGroup._lead

    def spy(session, batch, many, one):
        seen.append(session.in_transaction())
        return real(session, batch, many, one)

    monkeypatch.setattr(WriteGroup, "_lead", staticmethod(spy))
    with app.test_request_context():
        household = make_household(make_ward(), people=1)
        session = get_session()
        statuses = record_contacts_grouped(session, events=[event(household)], actor=Actor(), settings=settings)
        assert [s.status for s in statuses] == ["stored"]
        sqlite = session.get_bind().dialect.name == "sqlite"
    # PostgreSQL (READ COMMITTED) keeps the read transaction: ending it would cost two round trips.
    assert seen == ([False] if sqlite else [True])


def test_after_a_group_the_database_refused_the_good_batch_is_stored_alone(app, db, make_ward, make_household,
                                                                         make_user, settings, monkeypatch):
    """The re-run starts from a clean transaction: PostgreSQL refuses every statement in one that
    failed, so without a rollback the good batch failed too ("current transaction is aborted")."""
    import app.contacts.record as contacts  # where the write path calls validate
    from app.contacts import record_contacts
    from app.contacts.write_group import _GroupJob

    real = contacts.validate

    def poisoned(raw, **kw):
        item = real(raw, **kw)
        if raw.get("notes") == "poison":
            item["event"]["walk_list_id"] = 987654  # no such list: a foreign-key error
        return item

    monkeypatch.setattr(contacts, "validate", poisoned)
    household = make_household(make_ward(), people=1)
    user = make_user()
    good = prepare_contacts(db, events=[event(household)], actor=Actor(user_id=user.id), settings=settings)
    bad = prepare_contacts(db, events=[event(household, notes="poison")], actor=Actor(user_id=user.id), settings=settings)
    db.expunge_all()  # as in the API's session, which holds no objects: nothing else prompts a rollback
    jobs = [_GroupJob(good), _GroupJob(bad)]
    WriteGroup._lead(db, jobs, lambda s, batch: store_prepared(s, batch, settings=settings),
                     lambda s, p: record_contacts(s, events=p.events, actor=p.actor, settings=settings))
    assert [s.status for s in jobs[0].result] == ["stored"] and jobs[0].error is None
    assert jobs[1].error is not None and jobs[1].result is None
    db.rollback()
    assert db.exec(select(func.count()).select_from(ContactEvent)).one() == 1
