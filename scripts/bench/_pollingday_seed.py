"""The polling-day benchmark's constituency (scripts.bench.pollingday), set up outside the timed part:
the made-up 77,000-elector register of scripts.bench.register imported with ``import_register``,
one polling station per district (``import_stations``), today's election and ten committee rooms of
six districts (``create_election``, ``set_committee_room``), support answers, and the accounts.

The support answers are inserted in bulk (contact events and their survey responses, one write
transaction), then ``rebuild_summary`` folds them as DEVELOPERS.md asks of any bulk load. Nobody in
any of it exists.
"""
from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import time as clock_time, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOMS, DISTRICTS_PER_ROOM = 10, 6
TELLERS, KNOCKERS = 60, 300
SUPPORTERS, OTHERS = 0.30, 0.10   # shares of electors with a supporter answer / another answer
TURNOUT, PLEDGE_TURNOUT = 35_000, 0.70


@dataclass
class Constituency:
    stations: dict[str, int]                       # district code -> station id
    voters: list[dict] = field(default_factory=list)   # the day's in-person voters, in the order they vote
    pledges: int = 0
    postal: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _stations_geojson(codes: list[str]) -> dict:
    from scripts.bench.register import square

    features = []
    for i, code in enumerate(codes):
        w, s, e, n = square(i)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [(w + e) / 2, (s + n) / 2]},
                         "properties": {"LOCATION": f"Station {code}", "Address": f"{code} Hall, Testborough",
                                        "W_P": code}})
    return {"type": "FeatureCollection", "features": features}


def _answers(session, rng: random.Random, electors: list[tuple]) -> tuple[set[int], int]:
    """Support answers for SUPPORTERS + OTHERS of the electors: (supporters, rows inserted)."""
    from app.models import ContactEvent, SurveyResponse, utcnow

    now, events, responses, supporters = utcnow(), [], [], set()
    for pid, hid, *_ in electors:
        draw = rng.random()
        if draw >= SUPPORTERS + OTHERS:
            continue
        level = rng.choice(("1", "2")) if draw < SUPPORTERS else rng.choice(("3", "4", "5"))
        if draw < SUPPORTERS:
            supporters.add(pid)
        eid = str(uuid.uuid4())
        events.append({"id": eid, "channel": rng.choice(("door", "door", "phone")), "code": "spoke", "household_id": hid,
                       "person_id": pid, "recorded_at": now - timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600)),
                       "received_at": now, "notes": ""})
        responses.append({"event_id": eid, "person_id": pid, "support_level": level, "issues": "",
                          "volunteer_interest": False, "postal_vote": False, "poster": False})
    conn = session.connection()
    for start in range(0, len(events), 5000):
        conn.execute(sa.insert(ContactEvent.__table__), events[start:start + 5000])
        conn.execute(sa.insert(SurveyResponse.__table__), responses[start:start + 5000])
    return supporters, len(events)


def _accounts(session) -> None:
    from werkzeug.security import generate_password_hash

    from app.models import User
    from scripts.bench._loadclient import PASSWORD

    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # cheap: sign-in is not what is measured
    rows = [{"email": "organiser@bench.test", "roles": "organiser", "name": "Organiser"}]
    rows += [{"email": f"teller{i}@bench.test", "roles": "teller", "name": f"Teller {i}"} for i in range(TELLERS)]
    rows += [{"email": f"knocker{i}@bench.test", "roles": "knocker", "name": f"Knocker {i}"} for i in range(KNOCKERS)]
    session.connection().execute(sa.insert(User.__table__), [{**r, "password_hash": hashed, "is_active": True,
                                                              "session_generation": 0} for r in rows])


def _analyze(engine) -> None:
    """PostgreSQL's statistics, as autovacuum would have them by polling day (the register is
    imported days before). The test server here runs with autovacuum off; without statistics
    the planner reads a list's strike-off by scanning all 77,000 people. Only this schema's
    tables: others' schemas share the database."""
    from sqlmodel import SQLModel

    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in SQLModel.metadata.sorted_tables:
            conn.exec_driver_sql(f'ANALYZE "{table.name}"')


def seed(env: dict, folder: Path) -> Constituency:
    from app import create_app, db as dbmod
    from app.clock import campaign_today
    from app.contacts.summary import rebuild_summary
    from app.models import Elector, Person
    from app.pollingday.operations import create_election, set_committee_room
    from app.pollingday.register import import_register
    from app.pollingday.stations import import_stations
    from scripts.bench import register

    app = create_app({"DATABASE_URL": env["LEGWORK_DATABASE_URL"], "DATABASE_SCHEMA": env.get("LEGWORK_DATABASE_SCHEMA"),
                      "SECRET_KEY": env["LEGWORK_SECRET_KEY"], "TESTING": True})
    rng, seconds = random.Random(18), {}
    with app.app_context():
        dbmod.create_all(app)
        register.add_districts(app)
        csv_path, postcodes = register.generate(folder, random.Random(77))
        codes = register.codes()
        with dbmod.session_scope(app) as s:
            t0 = time.perf_counter()
            report = dbmod.write_transaction(s, lambda s: import_register(s, csv_path=csv_path, postcodes_path=postcodes))
            assert report.people_imported == register.ROWS and not report.rejected, report.summary()
            seconds["register"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            dbmod.write_transaction(s, lambda s: import_stations(s, source=_stations_geojson(codes), note_field=None))
            dbmod.write_transaction(s, lambda s: create_election(
                s, name="Testborough by-election", polling_date=campaign_today(), polls_open=clock_time(7),
                polls_close=clock_time(22), actor_label="bench"))
            for r in range(ROOMS):
                part = codes[r * DISTRICTS_PER_ROOM:(r + 1) * DISTRICTS_PER_ROOM]
                dbmod.write_transaction(s, lambda s, r=r, part=part: set_committee_room(
                    s, name=f"Room {r + 1:02d}", district_codes=part, address=f"{part[0]} Hall", actor_label="bench"))
            stations = dict(s.execute(sa.text(
                "SELECT n.code, d.station_id FROM station_districts d JOIN neighbourhoods n ON n.id = d.neighbourhood_id")).all())
            electors = s.execute(sa.select(Elector.person_id, Person.household_id, Elector.prefix, Elector.number,
                                           Elector.suffix, Elector.postal)
                                 .join(Person, Person.id == Elector.person_id).order_by(Elector.person_id)).all()
            s.rollback()
            supporters, answered = dbmod.write_transaction(s, lambda s: _answers(s, rng, electors))
            dbmod.write_transaction(s, rebuild_summary)
            dbmod.write_transaction(s, _accounts)
            seconds["rest"] = time.perf_counter() - t0
        if not env["LEGWORK_DATABASE_URL"].startswith("sqlite"):
            _analyze(dbmod.engine_for(app))
        dbmod.engine_for(app).dispose()
    place = Constituency(stations=stations, seconds=seconds)
    place.pledges = sum(1 for e in electors if e.person_id in supporters and not e.postal)
    place.postal = sum(1 for e in electors if e.postal)
    place.voters = _voters(rng, electors, supporters)
    print(f"  seeded: {len(electors):,} electors ({place.postal:,} postal), {len(stations)} stations, {ROOMS} rooms, "
          f"{answered:,} support answers ({place.pledges:,} pledges who vote in person); register "
          f"{seconds['register']:.0f} s, the rest {seconds['rest']:.0f} s", flush=True)
    return place


def _voters(rng: random.Random, electors: list, supporters: set[int]) -> list[dict]:
    """The day's in-person voters (TURNOUT of them; pledges turn out at PLEDGE_TURNOUT), shuffled:
    each with what a teller's phone sends, its elector number as typed (or, one in ten, the
    person picked by the name search)."""
    in_person = [e for e in electors if not e.postal]
    pledged = [e for e in in_person if e.person_id in supporters]
    voting = [e for e in pledged if rng.random() < PLEDGE_TURNOUT]
    rest = [e for e in in_person if e.person_id not in supporters]
    voting += rng.sample(rest, min(len(rest), TURNOUT - len(voting)))
    rng.shuffle(voting)
    out = []
    for e in voting:
        who = ({"person_id": e.person_id} if rng.random() < 0.1 else
               {"elector_number": f"{e.prefix}-{e.number}" + (f"/{e.suffix}" if e.suffix else "")})
        out.append({"person_id": e.person_id, "district": e.prefix, "pledge": e.person_id in supporters, "item": who})
    return out
