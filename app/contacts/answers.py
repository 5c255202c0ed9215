"""The answers to survey questions inside a contact event's responses: checked against the survey
the event's walk list or call sheet asks (app.surveys), stored with the event in its transaction.

A response carries them as ``"answers": {"<question version id>": value}``. An answer to a version
the list's survey does not ask (unknown, retired, another survey's) or that does not fit its kind
rejects the whole outcome with the reason: nothing of it is stored, and the phone shows why.
"""
from __future__ import annotations

from sqlmodel import Session

from ..surveys.kinds import BadAnswer, answer_value
from ..surveys.queries import answerable, event_surveys
from .validate import Reject, parse_id

MAX_ANSWERS = 100  # per person per event: more than any survey asks


def _has_answers(raw) -> bool:
    return isinstance(raw, dict) and isinstance(raw.get("responses"), list) and any(
        isinstance(r, dict) and r.get("answers") not in (None, {}) for r in raw["responses"])


class AnswerContext:
    """What a batch's answers may answer: per list and per call attempt, the versions asked."""

    def __init__(self, session: Session, events: list):
        self.specs, self.lists, self.attempts, self.default = {}, {}, {}, None
        if not any(_has_answers(raw) for raw in events):
            return
        list_ids = {parse_id(raw.get("walk_list_id")) for raw in events if _has_answers(raw)} - {None}
        attempt_ids = {parse_id(raw.get("call_attempt_id")) for raw in events if _has_answers(raw)} - {None}
        self.lists, self.attempts, self.default = event_surveys(session, list_ids=list_ids, attempt_ids=attempt_ids)
        surveys = set(self.lists.values()) | set(self.attempts.values()) | {self.default}
        self.specs = answerable(session, survey_ids=surveys - {None})

    def check(self, raw: dict, item: dict) -> list[dict]:
        """The answer rows (person_id, question_version_id, value) of one validated event."""
        if not _has_answers(raw):
            return []
        event = item["event"]
        if event["walk_list_id"] is not None:
            survey_id, where = self.lists.get(event["walk_list_id"]), f"walk list {event['walk_list_id']}"
        elif event["call_attempt_id"] is not None:
            survey_id, where = self.attempts.get(event["call_attempt_id"]), "this call sheet"
        else:
            survey_id, where = self.default, "the campaign's survey"
        asked = self.specs.get(survey_id, {})
        out = []
        for response in raw["responses"]:
            answers = response.get("answers")
            if answers in (None, {}):
                continue
            person_id = parse_id(response.get("person_id"))
            if not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
                raise Reject(f"answers must be an object of at most {MAX_ANSWERS} question versions and values")
            questions = set()
            for key, value in answers.items():
                version_id = parse_id(key)
                spec = asked.get(version_id)
                if spec is None:
                    raise Reject(f"question version {str(key)[:20]} is not asked on {where} "
                                 "(retired, or another survey's): reload the list")
                if spec.question_id in questions:
                    raise Reject(f"two answers to “{spec.prompt[:60]}” for person {person_id}")
                questions.add(spec.question_id)
                try:
                    stored = answer_value(spec, value)
                except BadAnswer as err:
                    raise Reject(str(err)) from None
                if stored is not None:
                    out.append({"person_id": person_id, "question_version_id": version_id, "value": stored})
        return out


__all__ = ["AnswerContext"]
