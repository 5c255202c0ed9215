"""Rebuilding the derived data of some households (summaries) or some days (rollups) only: what
a polling-day wipe runs after deleting a rehearsal's door knocks. The rows asked for equal a full
rebuild's; the others are not touched."""
import uuid
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlmodel import select

from app.config import settings
from app.contacts import Actor, rebuild_household_summaries, rebuild_summary, record_contacts
from app.contacts.rollup import rebuild_rollups
from app.models import ActivityDay, ActivityHour, ContactEvent, HouseholdSummary, Person, SurveyResponse

# 23:58 in New York (config.toml's campaign timezone): events either side of local midnight.
BASE = datetime(2026, 11, 3, 4, 58, tzinfo=timezone.utc)
MONDAY, TUESDAY = date(2026, 11, 2), date(2026, 11, 3)


def rows(db, model) -> dict:
    db.expire_all()
    keys = [c.name for c in model.__table__.primary_key.columns]
    out = {tuple(r[k] for k in keys): dict(r) for r in db.execute(sa.select(model.__table__)).mappings()}
    db.rollback()
    return out


def test_only_the_households_and_days_asked_for_are_rebuilt(db, make_ward, make_household, make_user):
    conf = settings()
    ward = make_ward()
    homes = [make_household(ward) for _ in range(3)]
    people = {h.id: db.exec(select(Person.id).where(Person.household_id == h.id)).first() for h in homes}
    actor = Actor(user_id=make_user(roles="canvasser").id)
    events = []
    for home, minutes in ((0, -3), (0, 3), (1, -2), (1, 2), (2, 1)):
        hid = homes[home].id
        events.append({"id": str(uuid.uuid4()), "household_id": hid, "code": "spoke",
                       "recorded_at": (BASE + timedelta(minutes=minutes)).isoformat(),
                       "responses": [{"person_id": people[hid], "support_level": "1"}]})
    record_contacts(db, events=events, actor=actor, settings=conf)
    db.commit()
    assert {k[0] for k in rows(db, ActivityDay)} == {MONDAY, TUESDAY}

    # A wipe deletes household 0's Tuesday knock; the derived rows still count it.
    gone = events[1]["id"]
    db.execute(sa.delete(SurveyResponse).where(SurveyResponse.event_id == gone))
    db.execute(sa.delete(ContactEvent).where(ContactEvent.id == gone))
    # Rows nobody asks to rebuild, made wrong, so a rebuild of them would show.
    db.execute(sa.update(HouseholdSummary).where(HouseholdSummary.household_id == homes[1].id).values(door_events=99))
    db.execute(sa.update(ActivityDay).where(ActivityDay.day == MONDAY).values(events=99))
    db.execute(sa.update(ActivityHour).where(ActivityHour.hour_start < BASE).values(events=99))
    db.commit()

    assert rebuild_household_summaries(db, settings=conf, household_ids=[homes[0].id, homes[0].id]) == 1
    assert rebuild_rollups(db, settings=conf, days=[TUESDAY]) == 1
    assert rebuild_rollups(db, settings=conf, days=[]) == 0
    db.commit()
    narrow = rows(db, HouseholdSummary), rows(db, ActivityDay), rows(db, ActivityHour)
    rebuild_summary(db, settings=conf)
    db.commit()
    full = rows(db, HouseholdSummary), rows(db, ActivityDay), rows(db, ActivityHour)

    summaries, days, hours = narrow
    assert summaries[(homes[0].id,)] == full[0][(homes[0].id,)] and summaries[(homes[0].id,)]["door_events"] == 1
    assert summaries[(homes[1].id,)]["door_events"] == 99
    assert {k: v for k, v in days.items() if k[0] == TUESDAY} == {k: v for k, v in full[1].items() if k[0] == TUESDAY}
    assert sum(v["events"] for k, v in days.items() if k[0] == TUESDAY) == 1  # 00:00: household 1's
    assert {v["events"] for k, v in days.items() if k[0] == MONDAY} == {99}
    assert {k: v for k, v in hours.items() if k[0] >= BASE} == {k: v for k, v in full[2].items() if k[0] >= BASE}
    assert {v["events"] for k, v in hours.items() if k[0] < BASE} == {99}
