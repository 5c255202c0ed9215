"""The activity rollups record_contacts folds equal a full rebuild and a direct count of the
events, per campaign-local day and hour, whatever the order and however often batches arrive."""
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from sqlmodel import select

from app.config import settings
from app.contacts import Actor, record_contacts
from app.contacts.rollup import local_hour_start
from app.contacts import rebuild_summary
from app.models import (ActivityDay, ActivityHour, ContactEvent, DoNotContact, Household, HouseholdSummary,
                        ListPin, Neighbourhood, Person, SurveyResponse, WalkListDoor)

# 23:58 in New York (config.toml's campaign timezone): events either side of local midnight.
BASE = datetime(2026, 11, 3, 4, 58, tzinfo=timezone.utc)


def table(db, model) -> dict[tuple, tuple]:
    db.expire_all()
    keys = [c.name for c in model.__table__.primary_key.columns]
    rows = db.execute(sa.select(model.__table__)).mappings().all()
    return {tuple(r[k] for k in keys): tuple(v for k, v in r.items() if k not in keys) for r in rows}


def direct_days(db) -> Counter:
    """(local day, ward, neighbourhood, list, user, pin, channel) -> events, straight from the events."""
    tz = ZoneInfo(settings().timezone)
    areas = {h.id: (h.ward_id, h.neighbourhood_id) for h in db.exec(select(Household)).all()}
    return Counter((e.recorded_at.astimezone(tz).date(), *(a or 0 for a in areas[e.household_id]),
                    e.walk_list_id or 0, e.actor_user_id or 0, e.actor_pin_id or 0, e.channel)
                   for e in db.exec(select(ContactEvent)).all())


event_spec = st.tuples(
    st.integers(0, 2),                        # household
    st.sampled_from(["door", "phone"]),
    st.integers(0, 7),                        # code (modulo the channel's codes)
    st.integers(-4, 4),                       # minutes from BASE: both sides of local midnight
    st.one_of(st.none(), st.sampled_from(["1", "3", "5"])),
    st.integers(0, 2),                        # actor: nobody, the canvasser, the PIN
)
batch_spec = st.lists(st.one_of(event_spec, st.integers(0, 30)), min_size=1, max_size=6)  # int: a replay


@pytest.fixture
def scene(db, make_ward, make_household, make_user, make_walk_list):
    ward = make_ward(neighbourhoods=2)
    second = db.exec(select(Neighbourhood.id).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.id)).all()[1]
    # Two neighbourhoods and one household outside any area.
    homes = [make_household(ward), make_household(ward, neighbourhood_id=second), make_household()]
    user = make_user(roles="canvasser")
    walk = make_walk_list(homes, assign_to=user, ward=ward)
    pin = ListPin(walk_list_id=walk.id, pin_hash="x")
    db.add(pin)
    db.commit()
    people = {h.id: db.exec(select(Person.id).where(Person.household_id == h.id)).first() for h in homes}
    return homes, people, [Actor(), Actor(user_id=user.id), Actor(pin_id=pin.id)], walk


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(batch_spec, min_size=1, max_size=5))
def test_folded_rollups_equal_rebuild_and_direct_count(db, scene, batches):
    homes, people, actors, walk = scene
    conf = settings()
    for model in (DoNotContact, SurveyResponse, HouseholdSummary, ActivityDay, ActivityHour, ContactEvent):
        db.execute(sa.delete(model))
    db.execute(sa.update(WalkListDoor).values(last_door_at=None))
    db.commit()
    codes = {ch: list(conf.codes(ch)) for ch in ("door", "phone")}
    sent: list[tuple[int, str, dict]] = []
    for batch in batches:
        groups: dict[tuple[int, str], list[dict]] = {}
        for item in batch:
            if isinstance(item, int):
                if sent:
                    actor, channel, event = sent[item % len(sent)]
                    groups.setdefault((actor, channel), []).append(event)
                continue
            home, channel, code_i, minutes, support, actor = item
            code = codes[channel][code_i % len(codes[channel])]
            hid = homes[home].id
            event = {"id": str(uuid.uuid4()), "household_id": hid, "code": code,
                     "recorded_at": (BASE + timedelta(minutes=minutes)).isoformat()}
            if channel == "door":
                event["walk_list_id"] = walk.id
            if support is not None and conf.codes(channel)[code].contact:
                event["responses"] = [{"person_id": people[hid], "support_level": support}]
            sent.append((actor, channel, event))
            groups.setdefault((actor, channel), []).append(event)
        for (actor, channel), events in groups.items():
            record_contacts(db, events=events, actor=actors[actor], settings=conf, channel=channel)
        db.commit()

    folded_days, folded_hours, folded_doors = table(db, ActivityDay), table(db, ActivityHour), table(db, WalkListDoor)
    rebuild_summary(db, settings=conf)
    db.commit()
    assert table(db, ActivityDay) == folded_days
    assert table(db, ActivityHour) == folded_hours
    assert table(db, WalkListDoor) == folded_doors

    # List progress: each list door's latest door event recorded on that list.
    latest = {}
    for e in db.exec(select(ContactEvent).where(ContactEvent.channel == "door")).all():
        latest[e.household_id] = max(latest.get(e.household_id, e.recorded_at), e.recorded_at)
    assert {d.household_id: d.last_door_at for d in db.exec(select(WalkListDoor)).all()} == {
        h.id: latest.get(h.id) for h in homes}

    assert Counter({key: counts[0] for key, counts in folded_days.items()}) == direct_days(db)
    tz = ZoneInfo(conf.timezone)
    by_hour = Counter((local_hour_start(e.recorded_at, tz), e.channel) for e in db.exec(select(ContactEvent)).all())
    summed = Counter()
    for (start, channel, _shard), counts in folded_hours.items():
        summed[start, channel] += counts[0]
    assert summed == by_hour
    supports = db.exec(select(sa.func.count()).select_from(SurveyResponse)
                       .where(SurveyResponse.support_level.is_not(None))).one()
    assert sum(c[3] + c[4] + c[5] for c in folded_days.values()) == supports


@pytest.mark.parametrize("zone, at, start", [
    ("America/New_York", "2026-11-03T04:58:00+00:00", "2026-11-03T04:00:00+00:00"),   # 23:58 local
    ("Asia/Kolkata", "2026-11-03T04:58:00+00:00", "2026-11-03T04:30:00+00:00"),       # 10:28 local (+5:30)
    ("America/New_York", "2026-11-01T05:30:00+00:00", "2026-11-01T05:00:00+00:00"),   # 01:30 EDT, before the clocks go back
    ("America/New_York", "2026-11-01T06:30:00+00:00", "2026-11-01T06:00:00+00:00"),   # 01:30 EST, after
])
def test_local_hour_start(zone, at, start):
    assert local_hour_start(datetime.fromisoformat(at), ZoneInfo(zone)) == datetime.fromisoformat(start)


def test_rebuild_if_stale_fills_rollups_of_an_upgraded_database(db, scene):
    """Migration 0002 adds the rollups empty; init-db then rebuilds them from stored events."""
    from app.contacts import rebuild_if_stale

    homes, _people, actors, walk = scene
    record_contacts(db, events=[{"id": str(uuid.uuid4()), "household_id": homes[0].id, "code": "not_home",
                                 "walk_list_id": walk.id, "recorded_at": BASE.isoformat()}],
                    actor=actors[1], settings=settings())
    db.commit()
    assert rebuild_if_stale(db) is False           # rollups already there: nothing to do
    folded = table(db, ActivityDay)
    db.execute(sa.delete(ActivityDay))
    db.execute(sa.delete(ActivityHour))
    db.execute(sa.update(WalkListDoor).values(last_door_at=None))
    db.commit()
    assert rebuild_if_stale(db) is True
    db.commit()
    assert table(db, ActivityDay) == folded
    assert db.exec(select(WalkListDoor.last_door_at).where(WalkListDoor.household_id == homes[0].id)).one() == BASE


def test_a_whole_rebuild_reads_the_events_a_range_of_households_at_a_time(db, scene, monkeypatch):
    """20 million events do not fit in memory: a whole rebuild reads one range of households'
    events (and answers) at a time, and the ranges add up to the same rows as folding them."""
    from app.contacts import rollup

    homes, people, actors, walk = scene
    conf = settings()
    for minutes, home in enumerate(homes):
        events = [{"id": str(uuid.uuid4()), "household_id": home.id, "code": "spoke", "walk_list_id": walk.id,
                   "recorded_at": (BASE + timedelta(minutes=minutes)).isoformat(),
                   "responses": [{"person_id": people[home.id], "support_level": "1"}]}]
        record_contacts(db, events=events, actor=actors[1], settings=conf, channel="door")
    db.commit()
    folded = [table(db, model) for model in (HouseholdSummary, ActivityDay, ActivityHour)]
    monkeypatch.setattr(rollup, "REBUILD_STEP", 1, raising=False)  # a household per range
    # The Python fold (SQLite's, PostgreSQL's fallback); the SQL fold returns no events to Python.
    monkeypatch.setattr("app.contacts.summary.rebuild_in_sql", lambda conn, settings: None)
    reads = []

    def capture(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT") and "contact_events" in statement:
            reads.append(statement)

    engine = db.get_bind()
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        rebuild_summary(db, settings=conf)
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    db.commit()
    assert [table(db, model) for model in (HouseholdSummary, ActivityDay, ActivityHour)] == folded
    unbounded = [s for s in reads if "contact_events.household_id >=" not in s]
    assert not unbounded, unbounded
    assert len(reads) >= 4 * len(homes)  # events and answers, for the summaries and the rollups
