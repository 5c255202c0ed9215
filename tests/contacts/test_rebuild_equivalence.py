"""``rebuild_summary`` recomputes exactly what the live write path (record_contacts) folded:
household summaries, person supports, day and hour rollups and list progress, for random
events on every channel, corrections (a household re-recorded with another outcome, earlier or
later), replays and answers, over households split into several rebuild ranges. On PostgreSQL
the rebuild is the SQL fold (app/contacts/rebuild_sql.py), on SQLite the Python fold."""
import dataclasses
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from sqlmodel import select

from app.config import settings
from app.contacts import Actor, rebuild_summary, record_contacts
from app.contacts import rebuild_sql, rollup
from app.contacts.rebuild_sql import QUARTER, clock_rows
from app.contacts.coverage_rollup import recount_coverage
from app.models import (ActivityArea, ActivityDay, ActivityHour, ActivityTotal, AreaCoverage, ContactEvent, DoNotContact,
                        Household, HouseholdSummary, ListPin, Neighbourhood, Person, PersonSupport, SurveyResponse, WalkListDoor)

# Events on 21 quarter hours from 02:00 UTC on 1 November 2026 (ties are frequent): New York (config.toml's
# timezone) reaches midnight at 04:00 UTC and goes back an hour at 06:00 UTC, so 01:00-02:00 local
# happens twice; St. John's (-3:30, hours begin at half past in UTC) at 02:30 and 04:30 UTC.
BASE = datetime(2026, 11, 1, 2, tzinfo=timezone.utc)
ZONES = ["America/New_York", "America/St_Johns"]
CHANNELS = ["door", "phone", "relational"]
DERIVED = (HouseholdSummary, PersonSupport, ActivityDay, ActivityHour, ActivityArea, ActivityTotal)
AREAS = (AreaCoverage,)  # its household counts come from the households, not the events

event_spec = st.tuples(
    st.integers(0, 4),                                       # household
    st.sampled_from(CHANNELS),
    st.integers(0, 9),                                       # code (modulo the channel's codes)
    st.integers(0, 20),                                      # quarter hours from BASE
    st.one_of(st.none(), st.sampled_from(["1", "2", "3", "4", "5"])),  # support given (contacts only)
    st.integers(0, 1),                                       # who answered
    st.integers(0, 2),                                       # actor: nobody, the canvasser, the PIN
)
# A correction: (which earlier event, its new code, how many quarter hours later).
correction_spec = st.tuples(st.integers(0, 30), st.integers(0, 9), st.integers(-4, 4))
batch_spec = st.lists(st.one_of(event_spec, correction_spec, st.integers(0, 30)), min_size=1, max_size=8)


def snapshot(db) -> dict:
    db.expire_all()
    out = {model.__tablename__: sorted(tuple(r) for r in db.execute(sa.select(model.__table__)).all())
           for model in (*DERIVED, *AREAS)}
    doors = WalkListDoor.__table__.c
    out["walk_list_doors"] = sorted(db.execute(sa.select(doors.id, doors.last_door_at)).all())
    out["households.reached"] = sorted(db.execute(sa.select(Household.id, Household.reached)).all())
    return out


@pytest.fixture
def scene(db, make_ward, make_household, make_user, make_walk_list):
    ward = make_ward(neighbourhoods=2)
    hoods = db.exec(select(Neighbourhood.id).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.id)).all()
    second = hoods[1]
    homes = [make_household(ward, people=2), make_household(ward, neighbourhood_id=second, people=2),
             make_household(people=2), make_household(ward, people=2), make_household(ward, people=2)]
    user = make_user(roles="canvasser")
    walk = make_walk_list(homes[:4], assign_to=user, ward=ward)
    pin = ListPin(walk_list_id=walk.id, pin_hash="x")
    db.add(pin)
    db.commit()
    people = {h.id: db.exec(select(Person.id).where(Person.household_id == h.id).order_by(Person.id)).all()
              for h in homes}
    return homes, people, [Actor(), Actor(user_id=user.id), Actor(pin_id=pin.id)], walk


@pytest.fixture
def small_ranges(monkeypatch):
    """Two households per rebuild range, so a rebuild crosses ranges as a state's does."""
    monkeypatch.setattr(rollup, "REBUILD_STEP", 2)
    monkeypatch.setattr(rebuild_sql, "SQL_STEP", 2)


def send(db, scene, batches, conf) -> None:
    homes, people, actors, walk = scene
    codes = {ch: list(conf.codes(ch)) for ch in CHANNELS}
    sent: list[tuple[int, str, dict]] = []

    def event(home_id, channel, code, at, support, who, actor) -> tuple[int, str, dict]:
        raw = {"id": str(uuid.uuid4()), "household_id": home_id, "code": code, "recorded_at": at.isoformat()}
        if channel == "door" and home_id in {h.id for h in homes[:4]}:
            raw["walk_list_id"] = walk.id
        if support is not None and conf.codes(channel)[code].contact:
            raw["responses"] = [{"person_id": people[home_id][who], "support_level": support}]
        return actor, channel, raw

    for batch in batches:
        groups: dict[tuple[int, str], list[dict]] = {}
        for item in batch:
            if isinstance(item, int):  # a replay: stored once, folded once
                if not sent:
                    continue
                actor, channel, raw = sent[item % len(sent)]
            elif len(item) == 3:  # a correction: the same household and volunteer, another outcome
                if not sent:
                    continue
                which, code_i, shift = item
                actor, channel, old = sent[which % len(sent)]
                at = datetime.fromisoformat(old["recorded_at"]) + QUARTER * shift
                actor, channel, raw = event(old["household_id"], channel, codes[channel][code_i % len(codes[channel])],
                                            at, "3", code_i % 2, actor)
                sent.append((actor, channel, raw))
            else:
                home, channel, code_i, quarter, support, who, actor = item
                code = codes[channel][code_i % len(codes[channel])]
                at = BASE + QUARTER * quarter
                actor, channel, raw = event(homes[home].id, channel, code, at, support, who, actor)
                sent.append((actor, channel, raw))
            groups.setdefault((actor, channel), []).append(raw)
        for (actor, channel), events in groups.items():
            record_contacts(db, events=events, actor=actors[actor], settings=conf, channel=channel)
        db.commit()


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(batch_spec, min_size=1, max_size=5), zone=st.sampled_from(ZONES))
def test_rebuild_equals_the_live_fold(db, scene, small_ranges, batches, zone):
    conf = dataclasses.replace(settings(), timezone=zone)
    for model in (DoNotContact, SurveyResponse, *DERIVED, ContactEvent):
        db.execute(sa.delete(model))
    db.execute(sa.update(WalkListDoor).values(last_door_at=None))
    db.execute(sa.update(Household).values(reached=0))  # nobody reached yet
    recount_coverage(db.connection())  # the households, nobody reached yet
    db.commit()
    send(db, scene, batches, conf)
    folded = snapshot(db)
    # Nothing of the live fold left for the rebuild to find, and list progress stale: it must
    # recompute every row (and clear a door nobody knocked on its list).
    for model in (*DERIVED, *AREAS):
        db.execute(sa.delete(model))
    db.execute(sa.update(WalkListDoor).values(last_door_at=BASE - timedelta(days=1)))
    db.execute(sa.update(Household).values(reached=sa.case((Household.id % 2 == 0, 7), else_=0)))  # wrong both ways
    db.commit()
    count = rebuild_summary(db, settings=conf)
    db.commit()
    assert snapshot(db) == folded
    assert count == len(folded["household_summaries"])


def test_postgresql_rebuilds_in_sql(db, scene):
    """On PostgreSQL the rebuild is the SQL fold, not the Python fallback."""
    if db.connection().dialect.name != "postgresql":
        pytest.skip("the SQL fold is PostgreSQL's")
    send(db, scene, [[(0, "door", 0, 5, "1", 0, 1), (1, "phone", 1, 12, None, 0, 2)]], settings())
    assert rebuild_sql.rebuild_in_sql(db.connection(), settings()) == 2


def test_clock_follows_the_python_fold_across_the_clocks_going_back():
    tz = ZoneInfo("America/New_York")
    rows = clock_rows([datetime(2026, 11, 1, 3, 45, tzinfo=timezone.utc) + QUARTER * i for i in range(16)], tz)
    for row in rows:
        for at in (row["start"], row["start"] + QUARTER - timedelta(microseconds=1)):
            assert (row["day"], row["hour_start"]) == (rollup.local_day(at, tz), rollup.local_hour_start(at, tz))
    # 05:00 and 06:00 UTC are both 01:00 local (EDT, then EST): two hour rows.
    assert {r["hour_start"] for r in rows if r["start"].hour in (5, 6)} == {
        datetime(2026, 11, 1, 5, tzinfo=timezone.utc), datetime(2026, 11, 1, 6, tzinfo=timezone.utc)}


def test_clock_refuses_a_zone_whose_hours_do_not_fall_on_quarters():
    """Liberia kept -0:44:30 until 1972: its local hours begin mid-quarter, so the SQL fold would
    not be exact there and the rebuild keeps the Python fold."""
    assert clock_rows([datetime(1970, 6, 1, tzinfo=timezone.utc) + QUARTER * i for i in range(8)],
                      ZoneInfo("Africa/Monrovia")) is None
