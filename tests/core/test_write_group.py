"""Group commit: concurrent door-knock posts of one process share one write transaction, and
each caller still gets exactly its own answer (or its own error)."""
import threading
import uuid
from types import SimpleNamespace

import pytest
from sqlmodel import func, select

from app.contacts import Actor, prepare_contacts, record_contacts_grouped, store_prepared
from app.db import WriteGroup, get_session
from app.models import ContactEvent, HouseholdSummary


@pytest.fixture
def settings(app):
    return app.extensions["legwork_settings"]


def event(household, **kw):
    return {"id": str(uuid.uuid4()), "household_id": household.id, "code": "spoke",
            "recorded_at": "2026-11-01T10:00:00Z", **kw}


class FakeSession:
    """What write_transaction needs of a session (a database that is not SQLite): the group
    logic is what is under test here."""

    dialect = SimpleNamespace(name="fake")
    identity_map, new, deleted = {}, (), ()

    def rollback(self):
        pass

    def commit(self):
        pass


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


def test_threads_that_arrive_while_a_transaction_runs_share_the_next_one():
    group, calls, first_running, release = WriteGroup(), [], threading.Event(), threading.Event()

    def many(_session, items):
        calls.append(list(items))
        if len(calls) == 1:
            first_running.set()
            assert release.wait(10)
        return [f"answer to {item}" for item in items]

    first, answers_first = run_threads(group, ["a"], many, None)
    assert first_running.wait(10)
    rest, answers = run_threads(group, ["b", "c", "d"], many, None)
    while len(group._queue) < 3:  # all three queued behind the running transaction
        threading.Event().wait(0.005)
    release.set()
    for t in first + rest:
        t.join(10)
    assert calls == [["a"], sorted(calls[1])] and sorted(calls[1]) == ["b", "c", "d"]
    assert answers_first == {"a": "answer to a"}
    assert answers == {item: f"answer to {item}" for item in "bcd"}


def test_a_failing_group_is_rerun_alone_and_only_the_culprit_gets_the_error():
    group, gate = WriteGroup(), threading.Event()
    calls = []

    def many(_session, items):
        calls.append(list(items))
        if len(calls) == 1:
            assert gate.wait(10)
            return ["ok a"]
        raise ValueError("the group failed")

    def one(_session, item):
        if item == "bad":
            raise ValueError(f"{item} is bad")
        return f"alone {item}"

    first, _ = run_threads(group, ["a"], many, one)
    while not calls:
        threading.Event().wait(0.005)
    rest, answers = run_threads(group, ["good", "bad"], many, one)
    while len(group._queue) < 2:
        threading.Event().wait(0.005)
    gate.set()
    for t in first + rest:
        t.join(10)
    assert answers["good"] == "alone good"
    assert isinstance(answers["bad"], ValueError) and str(answers["bad"]) == "bad is bad"


def test_a_leader_killed_half_way_answers_nobody_stored():
    group, gate = WriteGroup(), threading.Event()
    calls = []

    def many(_session, items):
        calls.append(list(items))
        if len(calls) == 1:
            assert gate.wait(10)
            return ["ok"]
        raise KeyboardInterrupt  # not an Exception: no per-item rerun, the thread dies

    first, _ = run_threads(group, ["a"], many, None)
    while not calls:
        threading.Event().wait(0.005)
    rest, answers = run_threads(group, ["b", "c"], many, None)
    while len(group._queue) < 2:
        threading.Event().wait(0.005)
    gate.set()
    for t in first + rest:
        t.join(10)
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
