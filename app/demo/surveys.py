"""The demo's survey: the campaign seeded from config.toml, two questions of its own and a
"Registration drive" survey asking them (with its own door and phone scripts) on the demo
canvasser's lists and every other list of the first ward; the rest ask the main survey."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..models import Assignment, User, WalkList
from ..surveys import operations
from ..surveys.operations_surveys import choose_for_list, save_survey

DOOR_SCRIPT = ("Hi, I'm {canvasser_name}, volunteering with {campaign} on {street}. Are you registered to vote "
               "at this address? And what's the biggest issue round here for you?")
PHONE_SCRIPT = ("Hi, is this {first_name}? I'm {caller_name} with {campaign}. We're checking neighbours on "
                "{street} are registered to vote: are you?")


def seed_demo_surveys(session: Session, *, organiser: User, canvasser: User, settings: Settings) -> dict:
    registered = operations.add_question(session, kind="yes_no", prompt="Are you registered to vote at this address?",
                                         settings=settings, actor=organiser)
    issue = operations.add_question(session, kind="single", prompt="Biggest local issue",
                                    choices=["Housing", "Roads and pavements", "Parks", "Bins and litter", "Buses"],
                                    settings=settings, actor=organiser)
    drive = save_survey(session, survey_id=None, name="Registration drive", door_script=DOOR_SCRIPT,
                        phone_script=PHONE_SCRIPT, question_ids=[registered.id, issue.id], settings=settings,
                        actor=organiser)
    mine = set(session.execute(sa.select(Assignment.walk_list_id).where(Assignment.user_id == canvasser.id)).scalars())
    canvass = list(session.execute(sa.select(WalkList.id, WalkList.ward_id).where(WalkList.knockup_round_id.is_(None))
                                   .order_by(WalkList.id)).all())
    first_ward = canvass[0][1] if canvass else None
    chosen = sorted(mine | {lid for n, (lid, ward) in enumerate(canvass) if ward == first_ward and n % 2 == 0})
    for walk_list_id in chosen:
        choose_for_list(session, walk_list_id=walk_list_id, survey_id=drive.id, settings=settings, actor=organiser)
    return {"survey questions": 2, "lists asking the registration drive": len(chosen)}
