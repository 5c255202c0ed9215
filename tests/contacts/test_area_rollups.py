"""The per-area rollups (area_coverage, activity_areas), the all-time list and volunteer totals
(activity_totals) and each household's ``reached`` equal a recount after any mix of contact
writes (replays included), corrections (events wiped and their households' and days' summaries
rebuilt, a household moved to another area, a household added) and purges, and a whole rebuild
leaves them as they were folded. The universes' reached and never-reached, which read
``households.reached``, select the people the summaries' counts say (what they read before)."""
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from sqlmodel import select

from app.config import settings
from app.contacts import Actor, rebuild_household_summaries, rebuild_summary, record_contacts
from app.contacts.activity_totals import totals_query
from app.contacts.coverage_rollup import activity_areas_query, recount_query
from app.contacts.reach import mask
from app.contacts.rollup import local_day, rebuild_rollups
from app.models import (ActivityArea, ActivityDay, ActivityHour, ActivityTotal, AreaCoverage, ContactEvent, DoNotContact,
                        FollowUp, Household, HouseholdSummary, ListPin, Neighbourhood, Person, PersonSupport, SurveyAnswer,
                        SurveyResponse)
from app.purge import purge_personal_data
from app.universes import tree as trees
from app.universes.filters import person_clause
from app.universes.queries import count, people_select

BASE = datetime(2026, 11, 3, 4, 58, tzinfo=timezone.utc)


def rollup(db, model) -> dict:
    db.expire_all()
    keys = [c.name for c in model.__table__.primary_key.columns]
    return {tuple(r[k] for k in keys): tuple(v for k, v in r.items() if k not in keys)
            for r in db.execute(sa.select(model.__table__)).mappings() if any(v for k, v in r.items() if k not in keys)}


def recount(db, query, width: int) -> dict:
    return {tuple(r[:width]): tuple(int(v) for v in r[width:]) for r in db.execute(query) if any(r[width:])}


def assert_consistent(db):
    assert rollup(db, AreaCoverage) == recount(db, recount_query(), 2)
    assert rollup(db, ActivityArea) == recount(db, activity_areas_query()[0], 3)
    assert rollup(db, ActivityTotal) == {**recount(db, totals_query("list"), 3), **recount(db, totals_query("volunteer"), 3)}
    assert_reach_as_the_summaries_say(db)


def assert_reach_as_the_summaries_say(db):
    conf, h, s, p = settings(), Household.__table__.c, HouseholdSummary.__table__.c, Person.__table__.c
    summaries = {r["household_id"]: r for r in db.execute(sa.select(HouseholdSummary.__table__)).mappings()}
    reached = dict(db.execute(sa.select(h.id, h.reached)).all())
    assert reached == {hid: mask(summaries.get(hid)) for hid in reached}
    everyone = set(db.execute(sa.select(p.id)).scalars())
    for channel in ("any", "door", "phone", "relational"):
        contacts = [s[f"{c}_contacts"] > 0 for c in (("door", "phone", "relational") if channel == "any" else (channel,))]
        households = sa.select(s.household_id).where(sa.or_(*contacts))
        old = set(db.execute(sa.select(p.id).where(p.household_id.in_(households))).scalars())
        for kind, people in (("reached", old), ("never_reached", everyone - old)):
            tree = trees.parse({"kind": kind, "channel": channel}, settings=conf)
            assert set(db.execute(people_select(tree, settings=conf)).scalars()) == people, tree
            others = person_clause(tree, settings=conf, reach_shares=dict.fromkeys(range(8), 1.0))  # NOT (the others)
            assert set(db.execute(sa.select(p.id).where(others)).scalars()) == people, tree
            homes = set(db.execute(sa.select(p.household_id).where(p.id.in_(people or [0]))).scalars())
            assert count(db, tree=tree, settings=conf).as_dict() == {"people": len(people), "households": len(homes)}


event_spec = st.tuples(st.integers(0, 3), st.sampled_from(["door", "phone", "relational"]), st.integers(0, 7),
                       st.integers(-2000, 2000), st.one_of(st.none(), st.sampled_from(["1", "3", "5"])),
                       st.integers(0, 1))  # by the canvasser, or with the list's PIN
step_spec = st.one_of(
    st.tuples(st.just("write"), st.lists(st.one_of(event_spec, st.integers(0, 30)), min_size=1, max_size=5)),
    st.tuples(st.just("wipe"), st.integers(0, 30)),       # a correction: an event deleted, its rows rebuilt
    st.tuples(st.just("move"), st.integers(0, 3), st.integers(0, 2)),  # to neighbourhood 0/1, or none
    st.tuples(st.just("add"), st.integers(0, 2)),
    st.tuples(st.just("purge"), st.integers(-2000, 2000)),
)


@pytest.fixture
def scene(db, make_ward, make_household, make_user, make_walk_list):
    ward = make_ward(neighbourhoods=2)
    hoods = db.exec(select(Neighbourhood.id).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.id)).all()
    homes = [make_household(ward), make_household(ward, neighbourhood_id=hoods[1]), make_household(),
             make_household(ward, neighbourhood_id=hoods[0])]
    user = make_user(roles="canvasser")
    walk = make_walk_list(homes, assign_to=user, ward=ward)
    pin = ListPin(walk_list_id=walk.id, pin_hash="x")
    db.add(pin)
    db.commit()
    return ward, list(hoods), [h.id for h in homes], (Actor(user_id=user.id), Actor(pin_id=pin.id), walk.id), make_household


def _reset(db, homes):
    for model in (FollowUp, SurveyAnswer, DoNotContact, SurveyResponse, PersonSupport, HouseholdSummary, ActivityDay,
                  ActivityHour, ActivityArea, ActivityTotal, ContactEvent):
        db.execute(sa.delete(model))
    db.execute(sa.delete(Person).where(Person.household_id.not_in(homes)))
    db.execute(sa.delete(Household).where(Household.id.not_in(homes)))
    rebuild_summary(db, settings=settings())
    db.commit()


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step_spec, min_size=1, max_size=6))
def test_area_rollups_equal_a_recount(db, scene, steps):
    ward, hoods, homes, (canvasser, pin, walk), make_household = scene
    conf = settings()
    _reset(db, homes)
    codes = {ch: list(conf.codes(ch)) for ch in ("door", "phone", "relational")}
    sent: list[tuple[Actor, str, dict]] = []
    for step in steps:
        if step[0] == "write":
            for item in step[1]:
                if isinstance(item, int):
                    if sent:  # a replay: stored once
                        actor, channel, event = sent[item % len(sent)]
                        record_contacts(db, events=[event], actor=actor, settings=conf, channel=channel)
                    continue
                home, channel, code_i, minutes, support, by = item
                actor = (canvasser, pin)[by]
                code = codes[channel][code_i % len(codes[channel])]
                hid = homes[home]
                event = {"id": str(uuid.uuid4()), "household_id": hid, "code": code,
                         "recorded_at": (BASE + timedelta(minutes=minutes)).isoformat()}
                person = db.exec(select(Person.id).where(Person.household_id == hid)).first()
                if support is not None and person and conf.codes(channel)[code].contact:
                    event["responses"] = [{"person_id": person, "support_level": support}]
                if channel == "door":
                    event["walk_list_id"] = walk
                sent.append((actor, channel, event))
                record_contacts(db, events=[event], actor=actor, settings=conf, channel=channel)
        elif step[0] == "wipe":
            stored = db.exec(select(ContactEvent).order_by(ContactEvent.id)).all()
            if stored:
                gone = stored[step[1] % len(stored)]
                hid, day = gone.household_id, local_day(gone.recorded_at.replace(tzinfo=timezone.utc), ZoneInfo(conf.timezone))
                for model in (FollowUp, SurveyAnswer, SurveyResponse, DoNotContact):
                    column = model.source_event_id if model is DoNotContact else model.event_id
                    db.execute(sa.delete(model).where(column == gone.id))
                db.execute(sa.delete(ContactEvent).where(ContactEvent.id == gone.id))
                rebuild_household_summaries(db, settings=conf, household_ids=[hid])
                rebuild_rollups(db, settings=conf, days=[day])
        elif step[0] == "move":
            hood = None if step[2] == 2 else hoods[step[2]]
            db.execute(sa.update(Household).where(Household.id == homes[step[1]])
                       .values(neighbourhood_id=hood, ward_id=ward.id if hood or step[1] % 2 else None))
        elif step[0] == "add":
            make_household(ward if step[1] else None, neighbourhood_id=hoods[step[1] - 1] if step[1] else None)
        else:
            purge_personal_data(db, before=BASE + timedelta(minutes=step[1]), settings=conf)
        db.commit()
        assert_consistent(db)

    folded = rollup(db, AreaCoverage), rollup(db, ActivityArea), rollup(db, ActivityTotal)
    rebuild_summary(db, settings=conf)
    db.commit()
    assert rollup(db, AreaCoverage) == folded[0]
    # Activity is counted in the household's area when stored (as activity_days), a rebuild in its
    # area now; and a purge keeps support counts whose answers it deletes.
    if not any(step[0] in ("purge", "move") for step in steps):
        assert rollup(db, ActivityArea) == folded[1]
    if not any(step[0] == "purge" for step in steps):
        assert rollup(db, ActivityTotal) == folded[2]
