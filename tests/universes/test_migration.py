"""Migration 0012 fills person_supports (each person's latest support answer) from the answers a
database already holds, as rebuild_person_supports would; 0023 fills households.reached from the
summaries, as sync_reach would."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from app import db as dbmod
from app.migrate import upgrade
from app.models import ContactEvent, Household, HouseholdSummary, Person, PersonSupport, SurveyResponse

# Households as the migrations before 0023 made them (the model's table has ``reached``).
HOUSEHOLDS = sa.Table("households", sa.MetaData(), *(c._copy() for c in Household.__table__.c if c.name != "reached"))


def test_0012_fills_peoples_latest_support(app):
    engine = dbmod.engine_for(app)
    dbmod.drop_all(app)
    try:
        upgrade(app, "0011")
        at = datetime(2026, 10, 1, 12, tzinfo=timezone.utc)
        with engine.begin() as conn:
            conn.execute(sa.insert(HOUSEHOLDS), [{"id": 1, "street": "Test St"}])
            conn.execute(sa.insert(Person.__table__), [{"id": 1, "household_id": 1}, {"id": 2, "household_id": 1}])
            conn.execute(sa.insert(ContactEvent.__table__), [
                {"id": f"00000000-0000-4000-8000-00000000000{n}", "channel": "door", "code": "spoke", "household_id": 1,
                 "recorded_at": when, "received_at": when}
                for n, when in ((1, at), (2, at.replace(hour=9)), (3, at))])
            conn.execute(sa.insert(SurveyResponse.__table__), [
                {"event_id": "00000000-0000-4000-8000-000000000001", "person_id": 1, "support_level": "2"},
                {"event_id": "00000000-0000-4000-8000-000000000002", "person_id": 1, "support_level": "5"},
                {"event_id": "00000000-0000-4000-8000-000000000003", "person_id": 1, "support_level": None},
                {"event_id": "00000000-0000-4000-8000-000000000002", "person_id": 2, "support_level": "4"}])
        upgrade(app)
        with engine.connect() as conn:
            rows = conn.execute(sa.select(PersonSupport.__table__).order_by(PersonSupport.person_id)).all()
        assert [(r.person_id, r.support_level, r.event_id[-1], r.support_at) for r in rows] == [
            (1, "2", "1", at), (2, "4", "2", at.replace(hour=9))]
    finally:
        _fresh_schema(app)


def test_0023_fills_households_reached_from_the_summaries(app):
    engine = dbmod.engine_for(app)
    dbmod.drop_all(app)
    try:
        upgrade(app, "0022")
        contacts = {1: (0, 0, 0), 2: (2, 0, 0), 3: (0, 1, 0), 4: (3, 0, 1), 5: (1, 2, 3)}  # door, phone, relational
        with engine.begin() as conn:
            conn.execute(sa.insert(HOUSEHOLDS), [{"id": hid, "street": "Test St"} for hid in (*contacts, 6)])
            conn.execute(sa.insert(HouseholdSummary.__table__), [
                {"household_id": hid, "door_events": 4, "door_contacts": d, "phone_events": 2, "phone_contacts": p,
                 "relational_events": r, "relational_contacts": r, "dnc_events": 0, "supporters": 0, "undecided": 0,
                 "against": 0} for hid, (d, p, r) in contacts.items()])
        upgrade(app)
        with engine.connect() as conn:
            reached = dict(conn.execute(sa.select(Household.id, Household.reached)).all())
        assert reached == {1: 0, 2: 1, 3: 2, 4: 5, 5: 7, 6: 0}  # 6: no summary, never attempted
    finally:
        _fresh_schema(app)


def _fresh_schema(app) -> None:
    engine = dbmod.engine_for(app)
    dbmod.drop_all(app)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    dbmod.create_all(app)
