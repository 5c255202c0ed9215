"""A small campaign with one of each kind of principal, for the access-control tests."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlmodel import SQLModel, select

from app.models import (CallAttempt, CallQueueEntry, CallSheet, CommitteeRoom, CommitteeRoomDistrict, ContactEvent,
                        Election, Elector, Event, EventShift, EventWork, FollowUp, KnockupRound, LiftRequest,
                        Neighbourhood, Person, PersonFix, PollingStation, Question, QuestionVersion, RelationalEntry,
                        StationDistrict, Survey, SurveyItem, TrainingModule, Universe, utcnow)
from app.walk_lists import create_pin
from tests.support.web import FreshContextClient, csrf_token_from

# "volunteer": signed up, no work yet; "lead": leads the team covering the world's ward (and
# nothing else); "other_lead": leads a team elsewhere; "teller": records who has voted on polling
# day; "knocker": knocks up pledges on polling day (holds no list here); "driver": gives lifts to the polls; "committee": runs a committee room. The organiser goes
# last (see the matrix).
PRINCIPALS = ("anonymous", "pin", "canvasser", "caller", "volunteer", "other_lead", "lead", "teller", "knocker",
              "driver", "committee", "organiser")


@dataclass
class World:
    ids: dict            # URL argument name -> id of a resource the principal under test should own
    clients: dict        # principal -> logged-in test client


def build_world(app, db, *, make_ward, make_household, make_user, make_walk_list, make_team) -> World:
    ward = make_ward()
    elsewhere = make_ward(code="W2", bounds=(-71.09, 42.36, -71.07, 42.38))
    volunteer, lead, other_lead = (make_user(roles="volunteer") for _ in range(3))
    team = make_team(wards=[ward], leads=[lead], members=[volunteer])
    other_team = make_team(wards=[elsewhere], leads=[other_lead])
    mine, theirs, called = (make_household(ward) for _ in range(3))
    canvasser, other = make_user(roles="canvasser"), make_user(roles="canvasser")
    caller, organiser, teller = make_user(roles="caller"), make_user(roles="organiser"), make_user(roles="teller")
    driver, committee, knocker = make_user(roles="driver"), make_user(roles="committee"), make_user(roles="knocker")
    my_list = make_walk_list([mine], assign_to=canvasser, ward=ward)
    make_walk_list([theirs], assign_to=other, ward=ward)
    pin_row, pin = create_pin(db, walk_list_id=my_list.id, created_by_id=organiser.id)
    person = db.exec(select(Person).where(Person.household_id == called.id)).first()
    sheet = CallSheet(name="Sheet 1", ward_id=ward.id)
    db.add(sheet)
    db.flush()
    entry = CallQueueEntry(person_id=person.id, sheet_id=sheet.id, phone=person.phone, status="claimed",
                           claimed_by_id=caller.id, claimed_at=utcnow(), claim_expires_at=utcnow() + timedelta(hours=1),
                           timezone="America/New_York")
    db.add(entry)
    db.flush()
    attempt = CallAttempt(queue_entry_id=entry.id, person_id=person.id, caller_id=caller.id, phone=person.phone)
    db.add(attempt)
    # An approved canvass in the team's ward, happening now (check-in open), working the world's list.
    event = Event(kind="canvass", title="Saturday canvass", starts_at=utcnow() + timedelta(minutes=30),
                  ends_at=utcnow() + timedelta(hours=3), meeting_point="The library", lat=42.37, lon=-71.11,
                  capacity=50, team_id=team.id, host_id=lead.id, created_by_id=organiser.id,
                  checkin_code="world-checkin-code-0001")
    db.add(event)
    db.flush()
    shift = EventShift(event_id=event.id, starts_at=event.starts_at, ends_at=event.ends_at, capacity=20)
    db.add_all([shift, EventWork(event_id=event.id, walk_list_id=my_list.id)])
    # A module with a quiz: an empty POST is wrong answers (422), so it records nothing. Required
    # for no event kind, so the world's check-in is judged on access alone.
    module = TrainingModule(slug="knocking-on-a-door", title="Knocking on a door", body="Knock, smile, listen.",
                            quiz='[{"question": "When?", "choices": ["Now", "Later"], "answer": 0}]')
    db.add(module)
    # Polling day: a station for the ward's district, and the called person on its register.
    hood = db.exec(select(Neighbourhood).where(Neighbourhood.ward_id == ward.id)).first()
    station = PollingStation(key="world station", name="World Library", address="1 Main St")
    db.add(station)
    db.flush()
    db.add_all([StationDistrict(station_id=station.id, neighbourhood_id=hood.id),
                Elector(person_id=person.id, prefix=hood.code[:10], number=1)])
    # Polling day: a committee room covering the world's neighbourhood, and a voter there waiting
    # for a lift (nobody holds it, so only committee staff and organisers see who it is for).
    room = CommitteeRoom(name="Testville committee room", address="12 High Street")
    db.add(room)
    db.flush()
    db.add(CommitteeRoomDistrict(committee_room_id=room.id, neighbourhood_id=hood.id))
    # Today's election, a rehearsal (also the one the turnout page reads; the set-up page's wipe:
    # an empty form is a 422, so it wipes nothing), and round 1 of the room's knock-up (no doors:
    # nobody is pledged).
    election = Election(name="World rehearsal", polling_date=date.today(), polls_open=time(7), polls_close=time(22),
                        rehearsal=True)
    db.add(election)
    db.flush()
    db.add(KnockupRound(election_id=election.id, committee_room_id=room.id, number=1))
    lift = LiftRequest(person_id=person.id, household_id=called.id, committee_room_id=room.id, name="A voter",
                       address="1 Lift Lane", access_needs="wheelchair", wanted_at=utcnow())
    db.add(lift)
    universe = Universe(name="World universe", definition='{"kind":"and","of":[]}', created_by_id=organiser.id)
    db.add(universe)
    # People you know: the volunteer's own entry, confirmed as the called person (theirs alone: 404 for everyone else).
    known = RelationalEntry(owner_id=volunteer.id, name="A friend", postcode="02999", person_id=person.id,
                            checked_at=utcnow(), confirmed_at=utcnow())
    db.add(known)
    # A survey with one question, asked on the world's list (app.surveys).
    survey = Survey(name="World survey", door_script="Hi", phone_script="Hi {first_name}", is_default=True)
    question = Question(kind="yes_no", position=1)
    db.add_all([survey, question])
    db.flush()
    db.add_all([QuestionVersion(question_id=question.id, prompt="Registered to vote?"),
                SurveyItem(survey_id=survey.id, question_id=question.id)])
    # At the door: a poster asked for (the follow-up queue) and a name corrected (the fixes' review).
    asked = ContactEvent(id=str(uuid.uuid4()), channel="door", code="spoke", household_id=called.id,
                         person_id=person.id, recorded_at=utcnow())
    db.add(asked)
    db.flush()
    follow_up = FollowUp(event_id=asked.id, kind="poster", household_id=called.id, person_id=person.id)
    names = json.dumps({"first_name": person.first_name, "last_name": person.last_name})
    fix = PersonFix(id=str(uuid.uuid4()), kind="name", household_id=called.id, person_id=person.id,
                    walk_list_id=my_list.id, before=names, after=names, recorded_at=utcnow(), actor_user_id=canvasser.id)
    db.add_all([follow_up, fix])
    db.commit()
    ids = dict(walk_list_id=my_list.id, list_id=my_list.id, neighbourhood_id=hood.id, user_id=canvasser.id,
               pin_id=pin_row.id, attempt_id=attempt.id, sheet_id=sheet.id, token="not-a-real-invite-token",
               filename="app.css", team_id=team.id, other_team_id=other_team.id,
               event_id=event.id, code=event.checkin_code, shift_id=shift.id,
               slug=module.slug, station_id=station.id, room_id=room.id, lift_id=lift.id,
               number=1, election_id=election.id, universe_id=universe.id,
               entry_id=known.id, question_id=question.id, survey_id=survey.id,
               follow_up_id=follow_up.id, fix_id=fix.id, kind="ward")

    app.test_client_class = FreshContextClient  # each request its own context, as in production
    clients = {"anonymous": app.test_client()}
    for name, user in (("canvasser", canvasser), ("caller", caller), ("volunteer", volunteer), ("lead", lead),
                       ("other_lead", other_lead), ("teller", teller), ("knocker", knocker), ("driver", driver),
                       ("committee", committee), ("organiser", organiser)):
        client = app.test_client()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": user.email, "password": "correct horse battery",
                                               "csrf_token": token})
        assert response.status_code == 302, f"{name} could not sign in"
        clients[name] = client
    client = app.test_client()
    token = csrf_token_from(client.get("/canvass/join").get_data(as_text=True))
    response = client.post("/canvass/join", data={"code": my_list.code, "pin": pin, "csrf_token": token})
    assert response.status_code == 302, "PIN joiner could not join"
    clients["pin"] = client
    return World(ids=ids, clients=clients)


def row_counts(db) -> dict[str, int]:
    """Rows in every table but the audit log (a refused request may be audited)."""
    db.expire_all()
    counts = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name != "audit_log":
            counts[table.name] = db.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    db.rollback()
    return counts
