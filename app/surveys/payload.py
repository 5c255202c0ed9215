"""What a canvasser's phone gets of the survey with a walk list: the questions (current wording,
each with its version id, which the answer carries back) and the door script, with the
placeholders the server knows filled ({campaign}, {list_name}); the phone fills {first_name},
{street} per door and {canvasser_name} from the payload."""
from __future__ import annotations

from sqlmodel import Session

from ..config import Settings
from ..models import WalkList
from .kinds import fill_script
from .queries import current_specs, survey_for_list


def list_survey(session: Session, *, walk_list: WalkList, settings: Settings) -> dict:
    survey = survey_for_list(session, walk_list_id=walk_list.id)
    if survey is None:
        return {"survey_id": None, "questions": [], "door_script": ""}
    keep = {"canvasser_name": "{canvasser_name}", "first_name": "{first_name}", "street": "{street}"}
    script = fill_script(survey.door_script, {"campaign": settings.campaign_name, "list_name": walk_list.name, **keep})
    return {"survey_id": survey.id, "door_script": script,
            "questions": [spec.as_payload() for spec in current_specs(session, survey_id=survey.id)]}
