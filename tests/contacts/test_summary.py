"""The household summaries that record_contacts folds equal a full rebuild, and what a direct
count of the events says, whatever the order events arrive in and however often they are replayed."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from sqlmodel import select

from app.config import settings
from app.contacts import Actor, record_contacts
from app.contacts import rebuild_summary
from app.models import ContactEvent, DoNotContact, HouseholdSummary, Person, PersonSupport, SurveyResponse

BASE = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)
COLUMNS = [c.name for c in HouseholdSummary.__table__.columns]


def summary_rows(db) -> dict[int, tuple]:
    db.expire_all()
    return {row[0]: tuple(row) for row in db.execute(sa.select(HouseholdSummary.__table__)).all()}


def support_rows(db) -> dict[int, tuple]:
    return {row[0]: tuple(row) for row in db.execute(sa.select(PersonSupport.__table__)).all()}


def direct_support(db) -> dict[int, tuple]:
    """Each person's latest support answer, straight from the answers: (level, recorded_at, event id)."""
    events = {e.id: e for e in db.exec(select(ContactEvent)).all()}
    answers: dict[int, list] = {}
    for r in db.exec(select(SurveyResponse).where(SurveyResponse.support_level.is_not(None))).all():
        answers.setdefault(r.person_id, []).append((events[r.event_id].recorded_at, r.event_id, r.support_level))
    return {pid: (pid, latest[2], latest[0], latest[1]) for pid, latest in
            ((pid, max(rows)) for pid, rows in answers.items())}


def direct(db) -> dict[int, dict]:
    """The obvious computation, straight from the events: latest, counts, latest support."""
    conf = settings()
    flags = {(ch, c.code): c for ch in ("door", "phone") for c in conf.codes(ch).values()}
    out: dict[int, dict] = {}
    events = {e.id: e for e in db.exec(select(ContactEvent)).all()}
    for e in events.values():
        row = out.setdefault(e.household_id, {"events": [], "door": 0, "phone": 0, "reached": set(), "support": []})
        row["events"].append((e.recorded_at, e.channel, e.code))
        row[e.channel] += 1
        if flags[e.channel, e.code].contact:
            row["reached"].add(e.channel)
    for r in db.exec(select(SurveyResponse).where(SurveyResponse.support_level.is_not(None))).all():
        e = events[r.event_id]
        out[e.household_id]["support"].append((e.recorded_at, r.support_level))
    return {hid: {"latest": max(row["events"]), "door_events": row["door"], "phone_events": row["phone"],
                  "reached": row["reached"], "support": max(row["support"])[1] if row["support"] else None}
            for hid, row in out.items()}


event_spec = st.tuples(
    st.integers(0, 2),                          # household
    st.sampled_from(["door", "phone"]),
    st.integers(0, 7),                          # code (modulo the channel's codes)
    st.integers(-3, 3),                         # minutes from BASE: ties and reordering both happen
    st.one_of(st.none(), st.sampled_from(["1", "3", "5"])),  # support given (contacts only)
    st.integers(0, 1),                          # who answered (each home has two people)
)
batch_spec = st.lists(st.one_of(event_spec, st.integers(0, 30)), min_size=1, max_size=6)  # int: replay an earlier event


@pytest.fixture
def homes(db, make_ward, make_household):
    ward = make_ward()
    return [make_household(ward, people=2) for _ in range(3)]


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(batch_spec, min_size=1, max_size=5))
def test_folded_summary_equals_rebuild_and_direct_count(db, homes, batches):
    conf = settings()
    for table in (DoNotContact, SurveyResponse, HouseholdSummary, PersonSupport, ContactEvent):
        db.execute(sa.delete(table))
    db.commit()
    residents = {h.id: db.exec(select(Person.id).where(Person.household_id == h.id)).all() for h in homes}
    codes = {ch: list(conf.codes(ch)) for ch in ("door", "phone")}
    sent: list[tuple[str, dict]] = []
    for batch in batches:
        by_channel: dict[str, list[dict]] = {"door": [], "phone": []}
        for item in batch:
            if isinstance(item, int):
                if sent:
                    channel, event = sent[item % len(sent)]
                    by_channel[channel].append(event)
                continue
            home, channel, code_i, minutes, support, who = item
            code = codes[channel][code_i % len(codes[channel])]
            hid = homes[home].id
            event = {"id": str(uuid.uuid4()), "household_id": hid, "code": code,
                     "recorded_at": (BASE + timedelta(minutes=minutes)).isoformat()}
            if support is not None and conf.codes(channel)[code].contact:
                event["responses"] = [{"person_id": residents[hid][who % len(residents[hid])], "support_level": support}]
            sent.append((channel, event))
            by_channel[channel].append(event)
        for channel, events in by_channel.items():
            if events:
                record_contacts(db, events=events, actor=Actor(), settings=conf, channel=channel)
        db.commit()

    folded, supports = summary_rows(db), support_rows(db)
    rebuild_summary(db, settings=conf)
    db.commit()
    assert summary_rows(db) == folded
    assert support_rows(db) == supports == direct_support(db)  # people's latest support (universes)

    expected = direct(db)
    assert set(folded) == set(expected)
    for hid, row in folded.items():
        got = dict(zip(COLUMNS, row))
        want = expected[hid]
        assert (got["last_at"], got["last_channel"], got["last_code"]) == want["latest"]
        assert (got["door_events"], got["phone_events"]) == (want["door_events"], want["phone_events"])
        reached = {ch for ch in ("door", "phone") if got[f"{ch}_contacts"]}
        assert reached == want["reached"]
        assert got["support_level"] == want["support"]


def test_replayed_batch_changes_nothing(db, make_ward, make_household):
    ward = make_ward()
    home = make_household(ward)
    events = [{"id": str(uuid.uuid4()), "household_id": home.id, "code": "not_home",
               "recorded_at": (BASE + timedelta(minutes=m)).isoformat()} for m in (5, 1)]
    record_contacts(db, events=events, actor=Actor(), settings=settings())
    db.commit()
    before = summary_rows(db)
    statuses = record_contacts(db, events=events, actor=Actor(), settings=settings())
    db.commit()
    assert [s.status for s in statuses] == ["duplicate", "duplicate"]
    assert summary_rows(db) == before
    row = dict(zip(COLUMNS, before[home.id]))
    assert (row["door_events"], row["last_at"]) == (2, BASE + timedelta(minutes=5))


def test_rebuild_summary_command(runner, db, make_ward, make_household):
    ward = make_ward()
    home = make_household(ward)
    record_contacts(db, events=[{"id": str(uuid.uuid4()), "household_id": home.id, "code": "not_home",
                                 "recorded_at": BASE.isoformat()}], actor=Actor(), settings=settings())
    db.commit()
    db.execute(sa.delete(HouseholdSummary))
    db.commit()
    from app.contacts.commands import commands
    result = runner.invoke(commands[0])
    assert result.exit_code == 0, result.output
    assert "1 households" in result.output
    assert set(summary_rows(db)) == {home.id}


def test_one_batch_answering_twice_keeps_the_latest_answer(db, make_ward, make_household):
    """Answers from one phone's backlog arrive in one batch, newest first: the person's latest
    support (person_supports, what universes read) is the newest by recorded_at, then event id."""
    conf = settings()
    home = make_household(make_ward())
    pid = db.exec(select(Person.id).where(Person.household_id == home.id)).first()
    tie = sorted(str(uuid.uuid4()) for _ in range(2))
    events = [{"id": eid, "household_id": home.id, "code": "spoke", "recorded_at": at.isoformat(),
               "responses": [{"person_id": pid, "support_level": level}]}
              for eid, at, level in ((tie[1], BASE, "3"), (str(uuid.uuid4()), BASE - timedelta(hours=1), "1"),
                                     (tie[0], BASE, "5"))]
    record_contacts(db, events=events, actor=Actor(), settings=conf, channel="door")
    db.commit()
    assert db.get(PersonSupport, pid).support_level == "3"  # the same instant: the greater event id
    rebuild_summary(db, settings=conf)
    db.commit()
    db.expire_all()
    assert db.get(PersonSupport, pid).support_level == "3"
